#!/usr/bin/env bash
# TensorBoard export test: a tiny search-and-train pipeline is exported with `tailnas export RUN --tensorboard
# DIR`, and TensorBoard's own reader (the `tensorboard` pip package, in a virtual environment cached under
# .build/) reads the files back: one TensorBoard run per tailnas run (RUN/search, RUN/train), and every tag,
# step, value and wall time equal to what the run's events.jsonl holds.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "tensorboard-test: build the release binary first"; exit 1; }
venv="$PWD/.build/tensorboard-venv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "tensorboard-test: FAILED: $1"; exit 1; }

if ! [ -e "$venv/.ready" ] || ! "$venv/bin/python" -c "import tensorboard" 2> /dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check tensorboard setuptools || fail "pip install tensorboard"
  touch "$venv/.ready"
fi

"$bin" search --headless --preset tiny --dataset synthetic --epochs 2 --steps-per-epoch 3 --seed 4 --threads 2 \
  --train --train-epochs 2 --runs-dir "$work/runs" > "$work/search.log" 2>&1 || { cat "$work/search.log"; fail "search"; }
run=$(ls -d "$work"/runs/*/ | head -1); run=${run%/}
id=$(basename "$run")
"$bin" export "$run" --tensorboard "$work/tb" 2> "$work/err" || { cat "$work/err"; fail "export --tensorboard"; }
[ "$(grep -c '^wrote .*/events\.out\.tfevents\.' "$work/err")" = 2 ] || { cat "$work/err"; fail "export did not list two files"; }
echo "ok 1 - export RUN --tensorboard DIR writes the search's and the training's event files"

"$venv/bin/python" - "$work/tb" "$run" "$id" <<'PY' || fail "TensorBoard read back something else than the run recorded"
import json, math, os, struct, sys
from tensorboard.backend.event_processing import event_accumulator

root, run, run_id = sys.argv[1:]

def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]

def number(v):
    return float(v) if isinstance(v, str) else v  # JSON writes non-finite numbers as "nan", "inf"

def expected(events_path):
    """tag -> [(step, value, wall time)] from events.jsonl, folded as tailnas folds it (a resume cuts)."""
    started, steps, epochs = None, {}, {}
    for line in open(events_path):
        if not line.strip():
            continue
        envelope = json.loads(line)
        kind, data, time = envelope["event"]["type"], envelope["event"].get("data"), envelope["time"]
        if kind == "started":
            started = data
            cut = data.get("startEpoch", 0) * data["stepsPerEpoch"]
            steps = {k: v for k, v in steps.items() if k < cut}
            epochs = {k: v for k, v in epochs.items() if k < data.get("startEpoch", 0)}
        elif kind == "step":
            steps = {k: v for k, v in steps.items() if k < data["globalStep"]}
            steps[data["globalStep"]] = (data, time)
        elif kind == "epoch":
            epochs[data["epoch"]] = (data, time)
    training = started.get("phase") == "training"
    series = {}
    def add(tag, step, value, time):
        if value is not None:
            series.setdefault(tag, []).append((step, number(value), time))
    for g in sorted(steps):
        s, time = steps[g]
        step = g + 1
        for tag, key in [("step/train_loss", "trainLoss"), ("step/validation_loss", "validationLoss"),
                         ("step/auxiliary_loss", "auxiliaryLoss"), ("step/train_loss_instance", "trainLossInstance"),
                         ("step/train_loss_class", "trainLossClass"), ("step/images_per_second", "imagesPerSecond")]:
            add(tag, step, s.get(key), time)
        values = s["values"]
        add("lr/weights", step, values["weightLearningRate"], time)
        if not training:
            for c in started["components"]:
                add("lr/alphas_" + c, step, values["architectureLearningRates"].get(c), time)
        add("mu", step, values["mu"], time)
        add("drop_path", step, values.get("dropPath"), time)
    for e in sorted(epochs):
        r, time = epochs[e]
        step = (e + 1) * started["stepsPerEpoch"]
        add("epoch", step, e + 1, time)
        for split in ["train", "validation", "test"]:
            add("loss/" + split, step, (r.get(split) or {}).get("loss"), time)
        for split in ["train", "validation", "test"]:
            add("accuracy/" + split, step, (r.get(split) or {}).get("accuracy"), time)
        for group in ["many", "medium", "few"]:
            add("accuracy/test_" + group, step, r["groupAccuracy"].get(group), time)
        for i, accuracy in enumerate(r["perClassAccuracy"]):
            add("accuracy_class/" + started["classNames"][i], step, accuracy, time)
        add("time/epoch_seconds", step, r["seconds"], time)
    return training, series

found = sorted(os.path.relpath(d, root) for d, _, files in os.walk(root) if any("tfevents" in f for f in files))
assert found == [run_id + "/search", run_id + "/train"], found
for sub, source in [("search", run), ("train", os.path.join(run, "train"))]:
    training, want = expected(os.path.join(source, "events.jsonl"))
    acc = event_accumulator.EventAccumulator(os.path.join(root, run_id, sub), size_guidance={event_accumulator.SCALARS: 0})
    acc.Reload()
    tags = sorted(acc.Tags()["scalars"])
    assert tags == sorted(want), (sub, sorted(set(tags) ^ set(want)))
    assert ("step/validation_loss" in tags) != training and ("drop_path" in tags) == training, (sub, tags)
    for tag in tags:
        got = [(e.step, e.value, e.wall_time) for e in acc.Scalars(tag)]
        assert [g[0] for g in got] == [w[0] for w in want[tag]], (sub, tag, "steps", got, want[tag])
        for (step, value, wall), (_, v, time) in zip(got, want[tag]):
            same = (math.isnan(value) and math.isnan(v)) or value == f32(v)
            assert same, (sub, tag, step, value, v)
            assert wall == time, (sub, tag, step, "wall time", wall, time)
    print(f"ok - {run_id}/{sub}: {len(tags)} tags, {sum(len(v) for v in want.values())} scalars match events.jsonl")
PY
echo "ok 2 - TensorBoard reads back every tag, step, value and wall time of the search and its training"

# Exporting again replaces the files (same names: the run's start time and this host); a missing run exits 66,
# a file where the directory belongs exits 74 with the path in the message.
"$bin" export "$run" --tensorboard "$work/tb" 2> /dev/null
[ "$(find "$work/tb" -name '*tfevents*' | wc -l)" = 2 ] || fail "a second export added files instead of replacing them"
set +e
"$bin" export "$work/runs/nope" --tensorboard "$work/tb" 2> "$work/err"; rc=$?
touch "$work/blocker"
"$bin" export "$run" --tensorboard "$work/blocker/tb" 2> "$work/err2"; rc2=$?
set -e
[ "$rc" = 66 ] || fail "a missing run exited $rc, expected 66"
[ "$rc2" = 74 ] || { cat "$work/err2"; fail "a file in the way exited $rc2, expected 74"; }
grep -q "blocker is a file, not a directory" "$work/err2" || { cat "$work/err2"; fail "unclear message for a file in the way"; }
echo "ok 3 - exporting again replaces the files; a missing run exits 66, a file in the way 74"

# A full disk (a small tmpfs, where the machine lets us mount one) is a clear error, exit 74, and the export
# already there stays whole.
mkdir "$work/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k tmpfs "$work/full" 2> /dev/null; then
  trap 'umount "$work/full" 2> /dev/null || true; rm -rf "$work"' EXIT
  "$bin" export "$run" --tensorboard "$work/full/tb" 2> /dev/null
  cp -r "$work/full/tb" "$work/before"
  dd if=/dev/zero of="$work/full/fill" bs=4k 2> /dev/null || true
  set +e; "$bin" export "$run" --tensorboard "$work/full/tb" 2> "$work/err"; rc=$?; set -e
  [ "$rc" = 74 ] || { cat "$work/err"; fail "a full disk exited $rc, expected 74"; }
  grep -q "No space left on device" "$work/err" || { cat "$work/err"; fail "unclear message for a full disk"; }
  diff -r "$work/before" "$work/full/tb" > /dev/null || fail "a failed export damaged the export already there"
  umount "$work/full"
  trap 'rm -rf "$work"' EXIT
  echo "ok 4 - a full disk exits 74 with the system's reason and leaves the earlier export whole"
else
  echo "ok 4 - skipped: a full disk needs a tmpfs mount (root)"
fi
echo "tensorboard-test: all passed"
