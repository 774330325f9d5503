#!/usr/bin/env bash
# Fault test: what happens to a run's files must not lose the run. Reproduces issue 15's items 1-4 with the
# real tailnas and reads every run back with tailnas itself (runs, report, export):
#   a torn last line then a resume; a damaged line in the middle; a damaged newest checkpoint; a run killed
#   before its first checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "fault-test: build the release binary first"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }
fail() { echo "fault-test: FAILED: $1"; exit 1; }
expect() {
  local code="$1"; shift
  set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [ "$rc" = "$code" ] || { cat "$work/out" "$work/err"; fail "'$*' exited $rc, expected $code"; }
}
args=(search --headless --preset tiny --epochs 4 --steps-per-epoch 8 --seed 5 --threads 2)
# start_and_kill DIR FILE: starts a search under DIR, kills it with -9 once FILE (relative to the run) exists.
start_and_kill() {
  "$bin" "${args[@]}" --runs-dir "$1" > /dev/null 2>&1 &
  local pid=$! run=""
  for _ in $(seq 1 600); do
    run=$(ls -d "$1"/*/ 2>/dev/null | head -1 || true)
    [ -n "$run" ] && [ -e "$run/$2" ] && break
    sleep 0.05
  done
  kill -9 $pid; wait $pid 2>/dev/null || true
  [ -e "$run/$2" ] || fail "no $2 appeared"
  echo "${run%/}"
}
# reads_back RUN STATUS: runs, report and export read RUN whole and see STATUS.
reads_back() {
  expect 0 "$bin" runs --runs-dir "$(dirname "$1")"
  grep -q "$(basename "$1") .* $2 " "$work/out" || { cat "$work/out" "$work/err"; fail "runs does not show $1 as $2"; }
  expect 0 "$bin" report "$1"
  expect 0 "$bin" export "$1" --csv epochs
}

# 1. A torn last line, then a resume: the tail is cut back before appending.
run=$(start_and_kill "$work/torn" checkpoints/epoch-001.safetensors)
printf '{"event":{"data":{"epoch":1,"glo' >> "$run/events.jsonl"
expect 0 "$bin" resume "$run" --headless
grep -q "cut a torn last line of 32 bytes" "$work/err" || { cat "$work/err"; fail "resume did not say it cut the torn line"; }
reads_back "$run" finished
grep -q "damaged\|torn" "$work/err" && { cat "$work/err"; fail "the resumed log still has a damaged line"; }
[ "$(grep -c '^5,' "$work/out" || true)" = 0 ] && [ "$(tail -1 "$work/out" | cut -d, -f1)" = 4 ] || fail "epochs.csv is not epochs 1-4"
pass "a torn last line is cut when a resume opens the log; runs, report and export read the run whole"

# 2. A damaged line in the middle: readers salvage the rest and name file:line; resume explains.
run=$(start_and_kill "$work/middle" checkpoints/epoch-002.safetensors)
sed -i '4s/.*/{"event": damaged/' "$run/events.jsonl"
expect 0 "$bin" runs --runs-dir "$work/middle"
grep -q "events.jsonl:4: skipped a damaged line (it is not valid JSON)" "$work/err" || { cat "$work/err"; fail "runs did not name file:line"; }
grep -q "$(basename "$run") " "$work/out" || fail "runs does not list the damaged run"
expect 0 "$bin" report "$run"
grep -q "events.jsonl:4" "$work/err" || fail "report did not warn"
expect 0 "$bin" export "$run" --genotype
expect 65 "$bin" resume "$run" --headless
grep -q "events.jsonl:4 is damaged: it is not valid JSON" "$work/err" && grep -q -- "--salvage" "$work/err" \
  || { cat "$work/err"; fail "resume does not say what is wrong and how to proceed"; }
grep -q "DecodingError\|Debug description\|NSCocoaErrorDomain" "$work/err" && fail "Swift internals in the message"
expect 0 "$bin" resume "$run" --headless --salvage
reads_back "$run" finished
pass "a damaged middle line: runs/report/export salvage with file:line; resume says how, --salvage continues"

# 3. A damaged newest checkpoint: resume reports it and uses the newest intact one.
run=$(start_and_kill "$work/checkpoint" checkpoints/epoch-003.safetensors)
sleep 0.2
newest=$(ls "$run"/checkpoints/*.safetensors | tail -1)
truncate -s 5000 "$newest"
mkdir -p "$work/flip" && cp -r "$run" "$work/flip/"
expect 0 "$bin" resume "$run" --headless
grep -q "$(basename "$newest") is damaged" "$work/err" || { cat "$work/err"; fail "the damaged checkpoint was not reported"; }
grep -q "using epoch-00" "$work/err" || fail "resume did not say which checkpoint it used"
reads_back "$run" finished
pass "a truncated newest checkpoint is reported and the newest intact one used"
python3 - "$work/flip"/*/checkpoints/*.safetensors <<'PY' || fail "cannot flip bits"
import sys
for path in sys.argv[1:]:
    data = bytearray(open(path, "rb").read())
    data[-3] ^= 0x10
    open(path, "wb").write(data)
PY
expect 65 "$bin" resume "$(ls -d "$work"/flip/*/ | head -1)" --headless
grep -q "checksum" "$work/err" && grep -q "every checkpoint is damaged" "$work/err" \
  || { cat "$work/err"; fail "a flipped bit did not fail the checksum"; }
pass "a flipped bit fails the checkpoint's checksum, and with no intact one resume says how to start over"

# 4. Killed before its first checkpoint: resume starts it from epoch 0.
run=$(start_and_kill "$work/early" events.jsonl)
[ -e "$run/checkpoints/epoch-001.safetensors" ] && fail "the kill came too late"
expect 0 "$bin" resume "$run" --headless
grep -q "from its start" "$work/out" || { cat "$work/out"; fail "resume did not start from epoch 0"; }
reads_back "$run" finished
pass "a run killed before its first checkpoint resumes from its start"
echo "$check passed, 0 failed"
