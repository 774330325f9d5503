"""Per-op forward+backward, tailnas against PyTorch eager, alternated round by round on one machine.

Each round runs `tailnas bench ops` and then `scripts/bench_ops_torch.py` (same shapes, same thread
count), so slow spells of a noisy machine hit both sides alike. Prints, per op, the median over rounds of
each side's per-op median and the ratio torch / tailnas (the speedup), plus every round's ratios.

    python3 scripts/compare_ops.py --python /tmp/torchenv/bin/python --rounds 5 --threads 2
"""
import argparse, json, statistics, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        if line.startswith('{'):
            row = json.loads(line)
            rows[row['op']] = row
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--python', required=True, help='a Python with torch installed')
    ap.add_argument('--tailnas', default=str(ROOT / '.build/release/tailnas'))
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--filter', default=None)
    a = ap.parse_args()
    extra = ['--filter', a.filter] if a.filter else []
    ours, theirs = [], []
    for r in range(a.rounds):
        print(f'round {r + 1}/{a.rounds}', file=sys.stderr, flush=True)
        ours.append(run([a.tailnas, 'bench', 'ops', '--threads', str(a.threads)] + extra))
        theirs.append(run([a.python, str(ROOT / 'scripts/bench_ops_torch.py'), '--threads', str(a.threads)] + extra))
    print(f"{'op':22}{'tailnas f+b ms':>16}{'torch f+b ms':>14}{'speedup':>9}   per round")
    for op in ours[0]:
        if not all(op in o for o in ours) or not all(op in t for t in theirs):
            continue
        mine = [o[op]['forward_backward_ms'] for o in ours]
        torch = [t[op]['forward_backward_ms'] for t in theirs]
        m, t = statistics.median(mine), statistics.median(torch)
        rounds = ' '.join(f'{b / a_:.1f}' for a_, b in zip(mine, torch))
        print(f'{op:22}{m:16.3f}{t:14.3f}{t / m:8.1f}x   {rounds}')


if __name__ == '__main__':
    main()
