#!/usr/bin/env bash
# MPI test: builds tailnas with MPI (TAILNAS_MPI=1, in .build/mpi, or with TAILNAS_BUILD_FLAGS in the
# default scratch path with those flags, as `make test` does) and checks that a 2-rank `mpirun`
# search (first and second order) and training equal, bit for bit, one process that emulates the 2 ranks
# (TAILNAS_EMULATED_RANKS=2): every epoch report, every tensor of the final checkpoint, and each epoch's
# checksums of weights and alphas, which are also equal on both ranks; a 4-rank search (more ranks than
# cores) against its emulation too, and 3 ranks for a batch of 16 refused. Then kills one rank with kill -9:
# the job must end saying so, and `mpirun ... tailnas resume` must finish the run as if nothing happened.
# Skipped when Open MPI is not installed (`make` installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}"  # runfiles.py for the inline Python
command -v mpirun > /dev/null && pkg-config --exists ompi-c || { echo "mpi-test: skipped (no Open MPI)"; exit 0; }
read -r -a arch <<< "${TAILNAS_ARCH_FLAGS:-}"
work=$(mktemp -d)
if [ -n "${TAILNAS_BUILD_FLAGS:-}" ]; then
  # `make test`: the MPI flavour in the test build's own scratch path and flags, where only the tailnas
  # target differs (about 40 s instead of a whole second build); the binary is copied out and the plain
  # one rebuilt when the test ends, so .build stays the plain build.
  read -r -a flags <<< "$TAILNAS_BUILD_FLAGS"
  TAILNAS_MPI=1 swift build "${flags[@]}" --product tailnas > /dev/null
  cp "$(swift build "${flags[@]}" --show-bin-path)/tailnas" "$work/tailnas-mpi"
  bin="$work/tailnas-mpi"
  trap 'rm -rf "$work"; swift build "${flags[@]}" --product tailnas > /dev/null' EXIT
else
  TAILNAS_MPI=1 swift build -c release "${arch[@]}" --scratch-path .build/mpi --product tailnas > /dev/null
  bin="$PWD/.build/mpi/release/tailnas"
  trap 'rm -rf "$work"' EXIT
fi
root=()
[ "$(id -u)" -ne 0 ] || root=(--allow-run-as-root)
mpi=(mpirun --oversubscribe -np 2 "${root[@]}")
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }
fail() { echo "mpi-test: FAILED: $1"; exit 1; }

# same A B LOG_A LOG_B [RANKS]: the runs in directories A and B (one run each) have equal epoch reports, final
# checkpoints and per-epoch checksums, and every one of A's RANKS ranks (default 2) had the same checksums.
same() {
  python3 - "$@" <<'PY'
import glob, re, sys
from runfiles import epoch_reports, newest_checkpoint, safetensors
def run(directory):
    return sorted(glob.glob(directory + "/*/events.jsonl"))[0].rsplit("/", 1)[0]
def epochs(path):
    return epoch_reports(path + "/events.jsonl")
def tensors(path):
    return safetensors(newest_checkpoint(path + "/checkpoints"))
def checksums(log):
    rows = {}
    for line in open(log):
        m = re.search(r"epoch (\d+) checksums \(weights alphas\): (.*)", line)
        if m:
            rows[int(m.group(1))] = [r.split(" ", 2)[2] for r in m.group(2).split(", ")]
    return rows
a, b = run(sys.argv[1]), run(sys.argv[2])
ea, eb = epochs(a), epochs(b)
assert len(ea) == len(eb) > 0 and ea == eb, "epoch reports differ"
(ta, ma), (tb, mb) = tensors(a), tensors(b)
assert ta.keys() == tb.keys() and all(ta[k] == tb[k] for k in ta), \
    "final checkpoints differ: " + ", ".join(k for k in ta if ta[k] != tb.get(k))[:300]
ranks_expected = sys.argv[5] if len(sys.argv) > 5 else "2"
assert ma["world_size"] == mb["world_size"] == ranks_expected, (ma["world_size"], mb["world_size"])
ca, cb = checksums(sys.argv[3]), checksums(sys.argv[4])
assert sorted(ca) == list(range(1, len(ea) + 1)), f"checksum lines of epochs {sorted(ca)}"
for epoch, ranks in ca.items():
    assert len(ranks) == int(ranks_expected) and len(set(ranks)) == 1, f"epoch {epoch}: the ranks differ: {ranks}"
    assert cb[epoch] == ranks[:1], f"epoch {epoch}: mpirun {ranks[0]} but emulation {cb[epoch]}"
PY
}

search=(search --headless --preset tiny --epochs 3 --steps-per-epoch 4 --seed 5 --threads 1)
"${mpi[@]}" "$bin" "${search[@]}" --runs-dir "$work/s-mpi" > "$work/s-mpi.log" 2>&1 || { cat "$work/s-mpi.log"; fail "2-rank search"; }
TAILNAS_EMULATED_RANKS=2 "$bin" "${search[@]}" --runs-dir "$work/s-emu" > "$work/s-emu.log" 2>&1
same "$work/s-mpi" "$work/s-emu" "$work/s-mpi.log" "$work/s-emu.log" || fail "first-order search"
pass "2-rank mpirun search (first order) equals the 2-rank emulation bit for bit; ranks in step every epoch"
"$bin" "${search[@]}" --runs-dir "$work/s-one" > /dev/null 2>&1
! same "$work/s-mpi" "$work/s-one" "$work/s-mpi.log" "$work/s-emu.log" 2> /dev/null || fail "a 1-process run matched"
pass "a 1-process search differs from them (per-rank batch-norm statistics), so the comparison can fail"

# More ranks than cores: 4 ranks (4 images each of the tiny preset's 16) against the 4-rank emulation; 3 ranks
# cannot split 16 images evenly and are refused before any work.
mpirun --oversubscribe -np 4 "${root[@]}" "$bin" "${search[@]}" --runs-dir "$work/s-mpi4" > "$work/s-mpi4.log" 2>&1 || { cat "$work/s-mpi4.log"; fail "4-rank search"; }
TAILNAS_EMULATED_RANKS=4 "$bin" "${search[@]}" --runs-dir "$work/s-emu4" > "$work/s-emu4.log" 2>&1
same "$work/s-mpi4" "$work/s-emu4" "$work/s-mpi4.log" "$work/s-emu4.log" 4 || fail "4-rank search"
set +e; mpirun --oversubscribe -np 3 "${root[@]}" "$bin" "${search[@]}" --runs-dir "$work/s-mpi3" > "$work/s-mpi3.log" 2>&1; rc=$?; set -e
[ "$rc" != 0 ] && grep -q "batch size 16 does not split into 3 equal slices" "$work/s-mpi3.log" \
  || { cat "$work/s-mpi3.log"; fail "a 3-rank run of batch 16 was not refused"; }
pass "4-rank mpirun search equals the 4-rank emulation bit for bit; 3 ranks for a batch of 16 are refused"

second=(search --headless --preset tiny --epochs 2 --steps-per-epoch 3 --seed 6 --threads 1 --order second)
"${mpi[@]}" "$bin" "${second[@]}" --runs-dir "$work/o-mpi" > "$work/o-mpi.log" 2>&1 || { cat "$work/o-mpi.log"; fail "2-rank second-order search"; }
TAILNAS_EMULATED_RANKS=2 "$bin" "${second[@]}" --runs-dir "$work/o-emu" > "$work/o-emu.log" 2>&1
same "$work/o-mpi" "$work/o-emu" "$work/o-mpi.log" "$work/o-emu.log" || fail "second-order search"
pass "2-rank mpirun search (second order) equals the 2-rank emulation bit for bit"

run=$(ls -d "$work"/s-mpi/*/ | head -1); run=${run%/}
train=(--headless --preset tiny --epochs 3 --steps-per-epoch 4 --seed 5 --threads 1 --drop-path 0.3)
"${mpi[@]}" "$bin" train "$run" "${train[@]}" --runs-dir "$work/t-mpi" > "$work/t-mpi.log" 2>&1 || { cat "$work/t-mpi.log"; fail "2-rank training"; }
TAILNAS_EMULATED_RANKS=2 "$bin" train "$run" "${train[@]}" --runs-dir "$work/t-emu" > "$work/t-emu.log" 2>&1
mkdir -p "$work/t-mpi-run" "$work/t-emu-run"
ln -s "$run/train" "$work/t-mpi-run/a"
ln -s "$run/train-2" "$work/t-emu-run/b"
same "$work/t-mpi-run" "$work/t-emu-run" "$work/t-mpi.log" "$work/t-emu.log" || fail "training"
pass "2-rank mpirun training (drop path, two heads) equals the 2-rank emulation bit for bit"

# rank PID R: the pid of rank R among the children of mpirun PID.
rank() {
  for child in $(ps -o pid= --ppid "$1"); do
    tr '\0' '\n' < "/proc/$child/environ" 2> /dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && { echo "$child"; return; }
  done
}
"${mpi[@]}" "$bin" "${search[@]}" --runs-dir "$work/k" > "$work/k.log" 2>&1 &
job=$!
killed=""
for _ in $(seq 1 1200); do
  run=$(ls -d "$work"/k/*/ 2> /dev/null | head -1 || true)
  if [ -n "$run" ] && [ -e "$run/checkpoints/epoch-001.safetensors" ]; then
    killed=$(rank "$job" 1)
    [ -n "$killed" ] && kill -9 "$killed"
    break
  fi
  sleep 0.1
done
[ -n "$killed" ] || { kill "$job"; fail "no checkpoint or no rank 1 to kill"; }
set +e; wait "$job"; rc=$?; set -e
[ "$rc" -ne 0 ] || fail "the job went on after rank 1 was killed"
grep -q "process rank 1 .* exited on signal 9" "$work/k.log" || { cat "$work/k.log"; fail "no message naming the killed rank"; }
echo "# $(grep -m1 "process rank 1 .* exited on signal 9" "$work/k.log")"
pass "kill -9 of rank 1 ends the whole job, saying which rank died"

run=${run%/}
cp -r "$run" "$work/copy"
"${mpi[@]}" "$bin" resume "$run" --headless > "$work/k-resume.log" 2>&1 || { cat "$work/k-resume.log"; fail "resume"; }
grep -q "resuming" "$work/k-resume.log" || fail "resume did not say so"
python3 - "$work"/s-mpi/*/ "$run" <<'PY'
import sys
from runfiles import by_epoch, epoch_reports
def epochs(path):
    return by_epoch(epoch_reports(path + "/events.jsonl", torn_lines=True))  # a torn last line from the kill
a, b = epochs(sys.argv[1]), epochs(sys.argv[2])
assert sorted(a) == sorted(b) == [0, 1, 2], (sorted(a), sorted(b))
assert all(a[k] == b[k] for k in a), "the resumed run differs from the uninterrupted one"
PY
pass "mpirun tailnas resume finishes the killed run exactly as the uninterrupted 2-rank run"

"$bin" resume "$work/copy" --headless > "$work/w.log" 2>&1 || { cat "$work/w.log"; fail "resume on one process"; }
grep -q "warning: the checkpoint was written by a run on 2 ranks, this one has 1" "$work/w.log" \
  || { cat "$work/w.log"; fail "no warning when resuming on another number of ranks"; }
pass "resuming a 2-rank run on one process continues with a warning"
echo "mpi-test: all $check checks passed"
