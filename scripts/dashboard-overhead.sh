#!/usr/bin/env bash
# Measures what the dashboard costs the search: the same search headless and under the dashboard (in a
# 200x60 tmux pane), alternately, N rounds each; compares the median step throughput (images/s from the
# engine's own step reports, first epoch skipped). A benchmark, not a test: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tailnas"
rounds="${1:-3}"
work=$(mktemp -d)
trap 'tmux kill-session -t overhead 2>/dev/null || true; rm -rf "$work"' EXIT
args=(--preset tiny --epochs 3 --steps-per-epoch 20 --seed 3)

throughput() {  # median images/s of the step reports after the first epoch
  python3 - "$1" <<'PY'
import json, statistics, sys
rates = [e["data"]["imagesPerSecond"] for e in map(lambda l: json.loads(l)["event"], open(sys.argv[1]))
         if e["type"] == "step" and e["data"]["epoch"] > 0]
print(statistics.median(rates))
PY
}

for round in $(seq 1 "$rounds"); do
  "$bin" search --headless "${args[@]}" --runs-dir "$work/headless-$round" > /dev/null
  tmux new-session -d -s overhead -x 200 -y 60 \
    "TERM=xterm-256color '$bin' search ${args[*]} --runs-dir '$work/dashboard-$round'; tmux wait-for -S overhead-done"
  # Quit once the run has finished: the dashboard then exits on q without asking.
  until grep -q '"type":"finished"' "$work"/dashboard-"$round"/*/events.jsonl 2>/dev/null; do sleep 1; done
  tmux send-keys -t overhead q
  tmux wait-for overhead-done
  h=$(throughput "$work"/headless-"$round"/*/events.jsonl)
  d=$(throughput "$work"/dashboard-"$round"/*/events.jsonl)
  echo "round $round: headless $h img/s, dashboard $d img/s"
  echo "$h $d" >> "$work/pairs"
done
python3 - "$work/pairs" <<'PY'
import statistics, sys
pairs = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
h = statistics.median(p[0] for p in pairs)
d = statistics.median(p[1] for p in pairs)
print(f"median headless {h:.1f} img/s, dashboard {d:.1f} img/s, dashboard cost {100 * (h - d) / h:.1f}%")
PY
