#!/usr/bin/env bash
# Command-line test of the evaluation phase: the real tailnas trains a search run's genotype, a genotype
# from a genotypes.py, a search with --train (the pipeline), resumes a stopped training, and refuses bad
# input with the documented exit codes (64 usage, 65 bad data, 66 missing input).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}"  # runfiles.py for the inline Python
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "cli-test: build the release binary first"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }
fail() { echo "cli-test: FAILED: $1"; exit 1; }
# expect CODE COMMAND...: runs COMMAND, which must exit with CODE; its stderr is kept in $work/err.
expect() {
  local code="$1"; shift
  set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [ "$rc" = "$code" ] || { cat "$work/out" "$work/err"; fail "'$*' exited $rc, expected $code"; }
}
# events RUN: the event types of RUN's events.jsonl, one line.
events() { python3 -c 'import json,sys; print(" ".join(json.loads(l)["event"]["type"] for l in open(sys.argv[1]) if l.strip()))' "$1/events.jsonl"; }
tiny=(--preset tiny --epochs 2 --seed 3 --threads 2)

"$bin" search --headless "${tiny[@]}" --steps-per-epoch 3 --runs-dir "$work/runs" > "$work/search.log"
run=$(ls -d "$work"/runs/*/ | head -1); run=${run%/}

expect 0 "$bin" train "$run" "${tiny[@]}"
grep -q "running headless" "$work/err" || fail "train without a terminal did not say it runs headless"
[ -f "$run/train/events.jsonl" ] || fail "no training run inside the search run"
ev=$(events "$run/train")
[[ "$ev" == started\ * && "$ev" == *\ finished && $(grep -o epoch <<< "$ev" | wc -l) = 2 ]] || fail "training events: $ev"
grep -q '^phase = "training"' "$run/train/config.toml" || fail "the training config is not marked"
grep -q '^source_epoch = 2$' "$run/train/config.toml" || fail "source_epoch is not the last epoch, from 1"
grep -q "test accuracy (epoch 2)" "$work/out" || fail "no final test accuracy line"
pass "train RUN trains the last epoch's genotype inside the search run"

expect 0 "$bin" train "$run" --epoch 1 --recipe plain "${tiny[@]}"
[ -f "$run/train-2/events.jsonl" ] || fail "a second training is not RUN/train-2"
grep -q '^source_epoch = 1$' "$run/train-2/config.toml" || fail "--epoch 1 was not recorded"
grep -q "with the plain recipe" "$work/out" || fail "--recipe plain was not used"
pass "train RUN --epoch 1 --recipe plain is kept as RUN/train-2"

"$bin" runs --runs-dir "$work/runs" > "$work/runs.txt"
grep -q "$(basename "$run")/train-2 " "$work/runs.txt" || { cat "$work/runs.txt"; fail "runs does not list RUN/train-2"; }
pass "runs lists the training runs under their search run"

expect 0 "$bin" report "$run" --runs-dir "$work/runs"
grep -q "search top-1" "$work/out" && grep -q "train-2" "$work/out" || { cat "$work/out"; fail "report lacks the trainings"; }
expect 0 "$bin" export "$run/train" --svg "$work/figures" --dot "$work/dot" --genotype --csv all --out "$work/exports"
for f in figures/loss.svg figures/schedules.svg figures/cell-normal.svg figures/cell-class.svg dot/cell-reduce.dot \
  exports/genotype.py exports/steps.csv exports/epochs.csv; do
  [ -s "$work/$f" ] || fail "export did not write $f"
done
head -1 "$work/exports/steps.csv" | grep -q "auxiliary_loss" || fail "the training's steps.csv lacks auxiliary_loss"
expect 0 "$bin" train --genotype-file "$work/exports/genotype.py" "${tiny[@]}" --epochs 1 --runs-dir "$work/again"
pass "report shows search and training side by side; export writes a training's figures, cells and tables"

cat > "$work/genotypes.py" <<'PY'
from collections import namedtuple
Genotype = namedtuple('Genotype', 'normal normal_concat reduce reduce_concat')
DARTS_V2 = Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])
DARTS = DARTS_V2
PY
expect 0 "$bin" train --genotype-file "$work/genotypes.py" --genotype-name DARTS_V2 "${tiny[@]}" --runs-dir "$work/hand"
hand=$(ls -d "$work"/hand/*/ | head -1)
[[ "$(events "$hand")" == *finished ]] || fail "the hand-given genotype's training did not finish"
pass "train --genotype-file genotypes.py --genotype-name DARTS_V2 trains a new run"

expect 64 "$bin" train --genotype-file "$work/genotypes.py" --genotype-name NOPE "${tiny[@]}" --runs-dir "$work/hand"
grep -q "DARTS_V2" "$work/err" || { cat "$work/err"; fail "an unknown genotype name does not list the names there are"; }
expect 64 "$bin" train "$run" --epoch 9 "${tiny[@]}"
grep -q "has no epoch 9" "$work/err" || fail "--epoch 9 message: $(cat "$work/err")"
expect 64 "$bin" train "$run" --epochs 0
grep -q -- "--epochs" "$work/err" || fail "--epochs 0 message: $(cat "$work/err")"
expect 64 "$bin" train "$run" --no-such 3
expect 64 "$bin" train --genotype "Genotype(normal=oops)"
expect 66 "$bin" train "$work/runs/nope"
expect 66 "$bin" train --genotype-file "$work/missing.py"
grep -q "the genotype file .*missing.py does not exist" "$work/err" || fail "missing genotype file: $(cat "$work/err")"
pass "bad flags, names, epochs and genotypes exit 64; a missing run or file exits 66"
# A config file from a pipe (process substitution) is read as a file is.
expect 0 "$bin" train --genotype-file "$work/genotypes.py" --genotype-name DARTS_V2 "${tiny[@]}" --epochs 1 \
  --runs-dir "$work/piped" --config <(printf '[train]\nepochs = 1\n')
grep -q "test accuracy (epoch 1)" "$work/out" || fail "train --config <(...): $(cat "$work/out" "$work/err")"
pass "a config file can come from a pipe; a missing genotype file is named as one"

expect 0 "$bin" search --headless "${tiny[@]}" --steps-per-epoch 3 --train --train-epochs 2 --runs-dir "$work/pipe"
pipe=$(ls -d "$work"/pipe/*/ | head -1); pipe=${pipe%/}
[[ "$(events "$pipe")" == *finished ]] || fail "the pipeline's search did not finish"
[[ "$(events "$pipe/train")" == *finished ]] || fail "the pipeline's training did not finish"
grep -q "now training" "$work/out" || fail "the pipeline did not say it moves on to training"
pass "search --train searches, then trains the found genotype in RUN/train"

# A training stopped by SIGINT at a step boundary resumes to the same end as one that ran through.
args=(train "$run" --recipe plain --preset tiny --epochs 3 --steps-per-epoch 30 --seed 5 --threads 2)
"$bin" "${args[@]}" > "$work/through.log" 2>&1
through=$(ls -d "$run"/train-*/ | sort -V | tail -1)
"$bin" "${args[@]}" > "$work/stopped.log" 2>&1 &
pid=$!
stopped=""
for _ in $(seq 1 600); do
  stopped=$(ls -d "$run"/train-*/ | sort -V | tail -1)
  [ "$stopped" != "$through" ] && [ -e "$stopped/checkpoints/epoch-001.safetensors" ] && break
  sleep 0.1
done
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ "$rc" = 3 ] || { cat "$work/stopped.log"; fail "a stopped training exited $rc, expected 3"; }
listing=$("$bin" runs --runs-dir "$(dirname "$run")")
grep -E "$(basename "$stopped").* stopped " <<< "$listing" > /dev/null || { echo "$listing"; fail "tailnas runs does not list the stopped training as stopped"; }
expect 0 "$bin" resume "$stopped" --headless
python3 - "$through/events.jsonl" "$stopped/events.jsonl" <<'PY' || fail "the resumed training differs"
import sys
from runfiles import by_epoch, epoch_reports
def epochs(path):
    return by_epoch(epoch_reports(path))
a, b = epochs(sys.argv[1]), epochs(sys.argv[2])
assert sorted(a) == sorted(b) == [0, 1, 2], (sorted(a), sorted(b))
assert a == b, "epoch metrics differ"
PY
pass "a stopped training resumes (tailnas resume RUN/train-N) to the same metrics"
# The command line: version, a file where a directory belongs, numbers as people write them.
expect 0 "$bin" --version
grep -qE '^tailnas [0-9]+\.[0-9]+\.[0-9]+$' "$work/out" || fail "--version printed: $(cat "$work/out")"
touch "$work/afile"
expect 64 "$bin" runs --runs-dir "$work/afile"
grep -q "is a file, not a directory of runs" "$work/err" || fail "runs --runs-dir FILE: $(cat "$work/err")"
expect 74 "$bin" export "$run" --genotype --out "$work/afile/exports"
grep -q "afile is a file, not a directory" "$work/err" || fail "export --out under a file: $(cat "$work/err")"
grep -q "NSCocoaErrorDomain\|UserInfo\|DecodingError" "$work/err" && fail "Swift internals in: $(cat "$work/err")"
expect 0 "$bin" export "$run" --csv steps
python3 - "$work/out" "$run/config.toml" <<'PY' || fail "numbers with arithmetic noise"
import re, sys
for path in sys.argv[1:]:
    numbers = re.findall(r"[0-9]*\.[0-9]+", open(path).read())
    noisy = [n for n in numbers if len(re.sub(r"\D", "", n).lstrip("0")) > 15]
    assert not noisy, (path, noisy[:5])
PY
pass "--version; a file given as a directory is named; CSV and config numbers have no arithmetic noise"
# Without --preset the sizes are the demo preset's, as the help says (a bare search once ran C 8 at batch
# 32 over every training image while calling itself demo).
expect 0 "$bin" search --headless --dataset synthetic --epochs 1 --steps-per-epoch 1 --threads 2 --runs-dir "$work/bare"
bare=$(ls -d "$work"/bare/*/ | head -1); bare=${bare%/}
for line in 'preset = "demo"' 'init_channels = 4' 'batch_size = 24' 'max_per_class = 3000'; do
  grep -q "^$line$" "$bare/config.toml" || { cat "$bare/config.toml"; fail "a bare search lacks $line"; }
done
expect 0 "$bin" train "$bare" --epochs 1 --steps-per-epoch 1 --threads 2
for line in 'init_channels = 8' 'batch_size = 32' 'layers = 5'; do
  grep -q "^$line$" "$bare/train/config.toml" || { cat "$bare/train/config.toml"; fail "a bare train lacks $line"; }
done
pass "without --preset, search and train take the demo preset's sizes"
echo "$check passed, 0 failed"
