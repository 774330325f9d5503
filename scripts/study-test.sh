#!/usr/bin/env bash
# End-to-end test of studies: GNU parallel runs a tiny study (synthetic data, 2 methods x 2 seeds, tiny
# presets, each run a search then a training) with 2 workers; one worker is killed with kill -9 in the middle
# of its run; running the study again finishes it with nothing redone (every run's `started` events counted:
# one per search and training, plus one resume segment for the killed run, which starts from its checkpoint);
# the report's numbers equal those recomputed here from the runs' own events; the figures are valid SVG and
# render (rsvg-convert).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "study-test: build the release binary first"; exit 1; }
command -v parallel > /dev/null || { echo "study-test: GNU parallel is missing (make deps installs it)"; exit 1; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }
fail() { echo "study-test: FAILED: $1"; exit 1; }

cat > "$work/tiny.toml" <<'TOML'
preset = "tiny"
[data]
dataset = "synthetic"
[search]
epochs = 4
[train]
epochs = 2
[grid]
method = ["darts", "hls"]
seed = [0, 1]
TOML
study="$work/tiny"

"$bin" study jobs "$work/tiny.toml" > "$work/jobs"
[ "$(wc -l < "$work/jobs")" = 4 ] || fail "study jobs printed $(wc -l < "$work/jobs") commands for 4 runs"
grep -q -- "study run $work/tiny.toml --job 3 --threads 1" "$work/jobs" || fail "unexpected job command: $(head -1 "$work/jobs")"
pass "study jobs prints one command per run"

# Two GNU parallel workers; kill -9 the holder of the first run as soon as its first checkpoint is written.
parallel --jobs 2 --joblog "$work/joblog" < "$work/jobs" > "$work/parallel.log" 2>&1 &
runner=$!
killed=""
for _ in $(seq 1 600); do
  for lock in "$study"/runs/*.lock; do
    [ -f "$lock" ] || continue
    run=${lock%.lock}
    # In its search: the first checkpoint is written, the search has not finished.
    if ls "$run"/checkpoints/epoch-001.safetensors > /dev/null 2>&1 && ! grep -q '"type":"finished"' "$run/events.jsonl"; then
      pid=$(awk '{print $2}' "$lock")
      kill -9 "$pid" && killed=$run
      break 2
    fi
  done
  sleep 0.1
done
[ -n "$killed" ] || fail "no run reached its first checkpoint to be killed"
set +e; wait "$runner"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$work/parallel.log"; fail "parallel exited $rc, expected 1 (one job killed)"; }
[ "$(awk -F'\t' 'NR > 1 && ($7 != 0 || $8 != 0)' "$work/joblog" | wc -l)" = 1 ] || fail "the joblog does not show exactly one failed job"
"$bin" study status "$work/tiny.toml" > "$work/status" 2>&1
grep -q "interrupted" "$work/status" || { cat "$work/status"; fail "the killed run is not listed as interrupted"; }
[ "$(grep -c "finished$" "$work/status")" = 3 ] || { cat "$work/status"; fail "the other runs did not finish"; }
pass "GNU parallel ran the study with 2 workers; the killed run is interrupted, the others finished"

"$bin" study "$work/tiny.toml" --jobs 2 > "$work/again.log" 2>&1 || { cat "$work/again.log"; fail "the study did not complete when run again"; }
grep -q "4 finished (of 4)" "$work/again.log" || { cat "$work/again.log"; fail "not every run finished"; }
grep -q "took over the stale lock" "$study"/logs/worker-*.log || fail "the killed worker's lock was not taken over"
# started events: one per search and per training; the killed run's search has a second, resumed segment.
python3 - "$study" "$killed" <<'PY' || fail "runs were redone"
import glob, json, os, sys
study, killed = sys.argv[1], sys.argv[2]
def started(path):
    events = [json.loads(l)["event"] for l in open(path) if l.strip()]
    return [e["data"].get("startEpoch", 0) for e in events if e["type"] == "started"]
for run in sorted(glob.glob(study + "/runs/*/")):
    run = run.rstrip("/")
    search, train = started(run + "/events.jsonl"), started(run + "/train/events.jsonl")
    expected = [0, 1] if run == killed else [0]
    if search[:1] != [0] or len(search) != len(expected) or (run == killed and search[1] < 1):
        sys.exit(f"{run}: search started at epochs {search}, expected {expected}")
    if train != [0]:
        sys.exit(f"{run}: training started at epochs {train}, expected [0]")
PY
"$bin" study "$work/tiny.toml" > "$work/third.log" 2>&1
"$bin" study status "$work/tiny.toml" | grep -c "finished$" | grep -qx 4 || fail "status after the third run"
python3 -c 'import glob,json,sys; sys.exit(any(sum(json.loads(l)["event"]["type"]=="started" for l in open(f)) > 2 for f in glob.glob(sys.argv[1]+"/runs/*/**/events.jsonl", recursive=True)))' "$study" \
  || fail "running a finished study again started runs"
pass "running the study again resumed the killed run from its checkpoint and redid nothing"

sed 's/^seed = \[0, 1\]$/seed = [0, 1, 2]/' "$work/tiny.toml" > "$work/tiny-more.toml"
sed -i 's/^\[grid\]$/[study]\nname = "tiny"\n[grid]/' "$work/tiny-more.toml"
status=$("$bin" study status "$work/tiny-more.toml")
[ "$(grep -c "finished$" <<< "$status")" = 4 ] && [ "$(grep -c "not started$" <<< "$status")" = 2 ] \
  || { echo "$status"; fail "a new grid value should add 2 runs and keep the 4 finished ones"; }
pass "a new grid value adds only its runs (4 finished kept, 2 new)"

"$bin" study report "$work/tiny.toml" --format csv > "$work/report.csv"
python3 - "$study" "$work/report.csv" <<'PY' || fail "the report's numbers differ from the runs' events"
import csv, glob, json, statistics, sys
study, report = sys.argv[1], sys.argv[2]
def last_epoch(path):
    epochs = [json.loads(l)["event"] for l in open(path) if l.strip()]
    epochs = [e["data"] for e in epochs if e["type"] == "epoch"]
    return epochs[-1]
def method(run):
    for l in open(run + "/events.jsonl"):
        e = json.loads(l)["event"]
        if e["type"] == "started": return e["data"]["method"]
runs = {}
for run in sorted(glob.glob(study + "/runs/*/")):
    run = run.rstrip("/")
    trained, searched = last_epoch(run + "/train/events.jsonl"), last_epoch(run + "/events.jsonl")
    runs.setdefault(method(run), []).append((trained["test"]["accuracy"], trained["groupAccuracy"]["few"], searched["test"]["accuracy"]))
rows = list(csv.DictReader(open(report, newline="")))
assert [r["method"] for r in rows] == ["darts", "hls"], rows
for row in rows:
    values = runs[row["method"]]
    assert int(row["finished"]) == len(values) == 2, row
    for column, index in [("top1", 0), ("few", 1), ("search_top1", 2)]:
        xs = [v[index] for v in values]
        mean, std = statistics.mean(xs), statistics.stdev(xs)
        assert abs(float(row[column + "_mean"]) - mean) < 1e-9, (column, row, mean)
        assert abs(float(row[column + "_std"]) - std) < 1e-9, (column, row, std)
hls = next(r for r in rows if r["method"] == "hls")
d = statistics.mean(v[0] for v in runs["hls"]) - statistics.mean(v[0] for v in runs["darts"])
assert abs(float(hls["vs_darts"]) - d) < 1e-9 and float(hls["vs_darts_low"]) <= d <= float(hls["vs_darts_high"])
PY
"$bin" study report "$work/tiny.toml" > "$work/report.txt"
grep -q "HLS is comparable to or better than plain DARTS: " "$work/report.txt" || { cat "$work/report.txt"; fail "no claim verdicts"; }
grep -q "4 of 4 runs finished" "$work/report.txt" || fail "the report does not count the finished runs"
pass "the report's means, standard deviations and differences equal those recomputed from the events"

"$bin" study report "$work/tiny.toml" --svg "$work/figures" > /dev/null
for name in fig3-alphas-normal fig3-alphas-class fig5-schedules accuracy-per-method per-class-accuracy; do
  [ -s "$work/figures/$name.svg" ] || fail "missing figure $name.svg"
done
for f in "$work"/figures/*.svg; do
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$f" || fail "$f is not well-formed XML"
  rsvg-convert "$f" -o "${f%.svg}.png" || fail "$f does not render"
done
[ "$(grep -c 'class="bar"' "$work/figures/accuracy-per-method.svg")" = 2 ] || fail "accuracy-per-method does not have one bar per method"
pass "the figures are valid SVG and render"

# TensorBoard files for every run (the venv that tensorboard-test.sh makes, when it is there).
"$bin" study report "$work/tiny.toml" --tensorboard "$work/tb" > "$work/tb.log"
[ "$(find "$work/tb" -name 'events.out.tfevents.*' | wc -l)" = 8 ] || { find "$work/tb"; fail "not 8 event files (4 runs x search and train)"; }
venv="$PWD/.build/tensorboard-venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import tensorboard" 2> /dev/null; then
  "$venv/bin/python" - "$work/tb" <<'PY' || fail "TensorBoard does not read the study's event files"
import os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
root = sys.argv[1]
for name in ["darts/seed=0", "darts/seed=1", "hls/seed=0", "hls/seed=1"]:
    for phase in ["search", "train"]:
        acc = EventAccumulator(os.path.join(root, name, phase)); acc.Reload()
        tags = acc.Tags()["scalars"]
        assert "accuracy/test" in tags and "loss/train" in tags, (name, phase, tags)
PY
  pass "study report --tensorboard writes every run's search and training, and TensorBoard reads them"
else
  pass "study report --tensorboard writes every run's search and training (no tensorboard venv to read them)"
fi

# Bad input: a clear sentence and the documented exit code.
expect() {
  local code="$1"; shift
  set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [ "$rc" = "$code" ] || { cat "$work/out" "$work/err"; fail "'$*' exited $rc, expected $code"; }
}
expect 66 "$bin" study status "$work/none.toml"
grep -q "does not exist" "$work/err" || fail "a missing study file: $(cat "$work/err")"
printf 'preset = "tiny"\n[grid]\ncolour = [1, 2]\n' > "$work/bad.toml"
expect 64 "$bin" study "$work/bad.toml"
grep -q "grid.colour is no setting" "$work/err" || fail "an unknown grid key: $(cat "$work/err")"
printf 'preset = "tiny"\n[grid]\nmethod = ["darts", "nonsense"]\n' > "$work/bad.toml"
expect 64 "$bin" study status "$work/bad.toml"
grep -q "run 1 (method=nonsense)" "$work/err" || fail "an invalid grid value: $(cat "$work/err")"
expect 64 "$bin" study run "$work/tiny.toml" --job 4
grep -q "jobs 0...3, not 4" "$work/err" || fail "a job out of range: $(cat "$work/err")"
expect 64 "$bin" study report "$work/tiny.toml" --format xml
pass "bad study files, grid values, jobs and flags are refused with a clear message and exit code 64 or 66"

# A failed run: the training of the first run the kill -9 above did not touch, cut back to its first
# checkpoint and ended by a failure, as a full disk would leave it. Workers leave it alone; --retry-failed resumes it from that checkpoint to the end.
failed_run=$(ls -d "$study"/runs/*/ | sed 's:/$::' | grep -vx "$killed" | sort | head -1)
python3 - "$failed_run/train" <<'PY' || fail "could not stage a failed training"
import glob, json, os, sys
train = sys.argv[1]
lines = [l for l in open(train + "/events.jsonl") if l.strip()]
first = next(i for i, l in enumerate(lines) if json.loads(l)["event"]["type"] == "checkpoint")
kept = lines[:first + 1]
envelope = json.loads(kept[-1])
envelope["event"] = {"type": "failed", "data": {"reason": "cannot write the run's events: No space left on device"}}
open(train + "/events.jsonl", "w").write("".join(kept) + json.dumps(envelope) + "\n")
newest = sorted(glob.glob(train + "/checkpoints/*.safetensors"))
for path in newest[1:]:
    os.remove(path)
PY
status=$("$bin" study status "$work/tiny.toml")
grep -q "$(basename "$failed_run") *failed" <<< "$status" || { echo "$status"; fail "the failed run is not listed as failed"; }
before=$(md5sum < "$failed_run/train/events.jsonl")
expect 0 "$bin" study run "$work/tiny.toml"
[ "$(md5sum < "$failed_run/train/events.jsonl")" = "$before" ] || fail "a worker without --retry-failed touched the failed run"
expect 1 "$bin" study "$work/tiny.toml" --jobs 1 --headless
grep -q "1 run failed.*--retry-failed resumes them" "$work/err" || fail "the study does not say a run failed: $(cat "$work/err")"
expect 0 "$bin" study run "$work/tiny.toml" --retry-failed
"$bin" study status "$work/tiny.toml" | grep -c "finished$" | grep -qx 4 || fail "--retry-failed did not finish the failed run"
python3 - "$failed_run/train/events.jsonl" <<'PY' || fail "the retried training did not resume from its checkpoint"
import json, sys
events = [json.loads(l)["event"] for l in open(sys.argv[1]) if l.strip()]
starts = [e["data"].get("startEpoch", 0) for e in events if e["type"] == "started"]
assert len(starts) == 2 and starts[0] == 0 and starts[1] >= 1, starts
assert events[-1]["type"] == "finished", events[-1]["type"]
PY
pass "a failed run is left alone by workers and the study exits 1 naming it; --retry-failed resumes it from its checkpoint"

echo "study-test: all $check checks passed"
