#!/usr/bin/env bash
# Crash test: kill -9 a real `tailnas search --headless` mid-run, resume it, and check that it ends exactly
# like an uninterrupted run with the same seed and thread count (final alphas and every epoch metric); then
# the same for a training (`tailnas train`): every weight, running statistic and epoch metric.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}"  # runfiles.py for the inline Python
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "kill-resume-test: build the release binary first"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(search --headless --preset tiny --epochs 4 --steps-per-epoch 5 --seed 7 --threads 2)

"$bin" "${args[@]}" --runs-dir "$work/whole" > "$work/whole.log"
"$bin" "${args[@]}" --runs-dir "$work/killed" > "$work/killed.log" &
pid=$!
run=""
for _ in $(seq 1 600); do
  run=$(ls -d "$work"/killed/*/ 2>/dev/null | head -1 || true)
  [ -n "$run" ] && [ -e "$run/checkpoints/epoch-002.safetensors" ] && break
  sleep 0.1
done
[ -e "$run/checkpoints/epoch-002.safetensors" ] || { echo "FAILED: no checkpoint appeared"; kill -9 $pid; exit 1; }
sleep 0.3
kill -9 $pid
wait $pid 2>/dev/null || true
echo "ok 1 - killed the search with kill -9 after epoch 2"

"$bin" resume "$run" --headless > "$work/resume.log"
grep -q "resuming" "$work/resume.log" || { cat "$work/resume.log"; echo "FAILED: resume did not say so"; exit 1; }
echo "ok 2 - tailnas resume continued the run"

python3 - "$work"/whole/*/events.jsonl "$run/events.jsonl" "$work"/whole/*/checkpoints "$run/checkpoints" <<'PY'
import sys
from runfiles import by_epoch, epoch_reports, newest_checkpoint, safetensors
def epochs(path):
    return by_epoch(epoch_reports(path, torn_lines=True))  # a torn last line from the kill
def alphas(directory):
    tensors, _ = safetensors(newest_checkpoint(directory))
    return {k: v for k, v in tensors.items() if k.startswith("alphas_")}
a, b = epochs(sys.argv[1]), epochs(sys.argv[2])
assert sorted(a) == sorted(b) == [0, 1, 2, 3], (sorted(a), sorted(b))
for k in a:
    assert a[k] == b[k], f"epoch {k} differs"
assert alphas(sys.argv[3]) == alphas(sys.argv[4]), "final alphas differ"
PY
# tailnas itself reads the resumed run back whole: no warning, finished, every epoch.
"$bin" runs --runs-dir "$work/killed" > "$work/runs.txt" 2> "$work/runs.err"
grep -q "finished *4/4" "$work/runs.txt" && [ ! -s "$work/runs.err" ] \
  || { cat "$work/runs.txt" "$work/runs.err"; echo "FAILED: tailnas runs does not read the resumed run whole"; exit 1; }
"$bin" report "$run" > "$work/report.txt" 2> "$work/report.err"
[ ! -s "$work/report.err" ] || { cat "$work/report.err"; echo "FAILED: report warned"; exit 1; }
echo "ok 3 - the resumed run's final alphas and metrics equal the uninterrupted run's; tailnas reads it whole"

search=$(ls -d "$work"/whole/*/ | head -1)
targs=(train "$search" --recipe bbn --preset tiny --epochs 3 --steps-per-epoch 20 --seed 11 --threads 2)
"$bin" "${targs[@]}" > "$work/train-whole.log" 2>&1
"$bin" "${targs[@]}" > "$work/train-killed.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ -e "$search/train-2/checkpoints/epoch-001.safetensors" ] && break
  sleep 0.1
done
[ -e "$search/train-2/checkpoints/epoch-001.safetensors" ] || { echo "FAILED: no training checkpoint"; kill -9 $pid; exit 1; }
sleep 0.3
kill -9 $pid
wait $pid 2>/dev/null || true
grep -q '"finished"' "$search/train-2/events.jsonl" && { echo "FAILED: the training ended before the kill"; exit 1; }
echo "ok 4 - killed the training with kill -9 after epoch 1"
"$bin" resume "$search/train-2" --headless > "$work/train-resume.log" 2>&1
grep -q "resuming" "$work/train-resume.log" || { cat "$work/train-resume.log"; echo "FAILED: no resume"; exit 1; }
python3 - "$search/train/events.jsonl" "$search/train-2/events.jsonl" "$search/train/checkpoints" \
  "$search/train-2/checkpoints" <<'PY'
import sys
from runfiles import by_epoch, epoch_reports, newest_checkpoint, safetensors
def epochs(path):
    return by_epoch(epoch_reports(path, torn_lines=True))  # a torn last line from the kill
def tensors(directory):
    return safetensors(newest_checkpoint(directory))[0]
a, b = epochs(sys.argv[1]), epochs(sys.argv[2])
assert sorted(a) == sorted(b) == [0, 1, 2], (sorted(a), sorted(b))
assert a == b, "epoch metrics differ"
ta, tb = tensors(sys.argv[3]), tensors(sys.argv[4])
assert ta.keys() == tb.keys() and len(ta) > 100, (len(ta), len(tb))
different = [k for k in ta if ta[k] != tb[k]]
assert not different, different[:5]
PY
echo "ok 5 - the resumed training's weights, statistics and metrics equal the uninterrupted training's"
echo "5 passed, 0 failed"
