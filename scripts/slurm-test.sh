#!/usr/bin/env bash
# Slurm test: starts a single-node Slurm cluster on this machine (a private munged, slurmctld and slurmd on
# localhost, one node with the machine's cores, all in a temporary folder with their own ports and munge key),
# submits a tiny study (2 methods x 2 seeds) as the job array that `tailnas study slurm` writes, waits for it
# with `sbatch --wait`, and checks that every run finished, nothing ran twice (one `started` event per search
# and per training) and every array task left its Slurm log. The daemons it started are stopped on any exit.
# Runs as root or as a user with sudo (the daemons need root); installs slurm-wlm and munge when missing.
# SLURM_TEST_KEEP=1 keeps the daemons' and the study's folders (configuration, logs, runs) for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
began=$(date +%s)
say() { echo "slurm-test: $*"; }
fail() {
  echo "slurm-test: FAILED: $*" >&2
  failed=1
  exit 1
}
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Debian's packages, only those missing (as scripts/install-deps.sh does).
missing=()
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
for tool in munged mungekey slurmctld slurmd scontrol sbatch sinfo squeue scancel python3; do
  command -v "$tool" > /dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is not installed"
done
export PATH="$PATH:/usr/sbin:/sbin"

bin="$PWD/.build/release/tailnas"
if [ ! -x "$bin" ]; then
  say "no release binary: building it (swift build -c release --product tailnas)"
  swift build -c release --product tailnas
fi

# The daemons' folder belongs to root (munged insists on a key and folders only root can write); the study's
# folder belongs to whoever runs this script, as the jobs do.
daemons=$($SUDO mktemp -d /tmp/tailnas-slurm.XXXXXX)
work=$(mktemp -d /tmp/tailnas-slurm-study.XXXXXX)
failed=0
jobid=""

# stop PIDFILE NAME: ends the daemon whose pid PIDFILE holds, and waits for it.
stop() {
  local pid
  pid=$($SUDO cat "$1" 2> /dev/null) || return 0
  [ -n "$pid" ] || return 0
  $SUDO kill "$pid" 2> /dev/null || return 0
  for _ in $(seq 50); do
    $SUDO kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  say "$2 (pid $pid) did not stop on SIGTERM; sending SIGKILL"
  $SUDO kill -9 "$pid" 2> /dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  trap '' PIPE # a reader that went away (| head) must not stop the cleanup half-way
  if [ -n "$jobid" ] && squeue -h -j "$jobid" 2> /dev/null | grep -q .; then
    say "cancelling job $jobid"
    scancel "$jobid"
    for _ in $(seq 100); do
      squeue -h -j "$jobid" 2> /dev/null | grep -q . || break
      sleep 0.2
    done
  fi
  if [ "$failed" = 1 ] || [ "$rc" != 0 ]; then
    for log in slurmctld.log slurmd.log munged.log; do
      [ -f "$daemons/log/$log" ] || continue
      echo "----- $log (last lines) -----"
      $SUDO tail -n 15 "$daemons/log/$log"
    done
  fi
  stop "$daemons/run/slurmd.pid" slurmd
  stop "$daemons/run/slurmctld.pid" slurmctld
  stop "$daemons/run/munged.pid" munged
  if [ "${SLURM_TEST_KEEP:-0}" = 1 ]; then
    say "kept $daemons and $work"
  else
    $SUDO rm -rf "$daemons"
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_until() {
  local limit="$1" what="$2"
  shift 2
  local i=0
  until "$@" > /dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -le $((limit * 5)) ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

# munged: its own key, socket and pid file in the daemons' folder (a system munged, if any, is left alone).
$SUDO chmod 755 "$daemons"
$SUDO mkdir -p "$daemons/munge" "$daemons/run" "$daemons/log" "$daemons/state" "$daemons/spool"
$SUDO chmod 700 "$daemons/munge"
$SUDO chmod 755 "$daemons/run" "$daemons/log"
$SUDO mungekey --create --keyfile="$daemons/munge/munge.key"
socket="$daemons/run/munge.socket"
$SUDO munged --socket="$socket" --key-file="$daemons/munge/munge.key" --pid-file="$daemons/run/munged.pid" \
  --log-file="$daemons/log/munged.log" --seed-file="$daemons/munge/munged.seed" \
  || fail "munged did not start"
munge_works() { munge -n -S "$socket" | unmunge -S "$socket"; }
wait_until 10 "munged's socket" munge_works
pass "munged runs with a fresh key on $socket"

# Two free TCP ports on the loopback for slurmctld and slurmd.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
cpus=$(nproc)
memory=$(free -m | awk '/^Mem:/ { print $2 }')
memory=$((memory > 2048 ? memory - 1024 : memory / 2))
conf="$daemons/slurm.conf"
$SUDO tee "$conf" > /dev/null << EOF
# A single-node test cluster (scripts/slurm-test.sh): no accounting, no cgroups.
ClusterName=tailnas-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$daemons/state
SlurmdSpoolDir=$daemons/spool
SlurmctldPidFile=$daemons/run/slurmctld.pid
SlurmdPidFile=$daemons/run/slurmd.pid
SlurmctldLogFile=$daemons/log/slurmctld.log
SlurmdLogFile=$daemons/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SlurmdParameters=config_overrides
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"

$SUDO slurmctld -f "$conf" || fail "slurmctld did not start"
wait_until 30 "slurmctld to answer" scontrol ping
$SUDO slurmd -f "$conf" -N localhost || fail "slurmd did not start"
node_idle() { [ "$(sinfo -h -n localhost -o %t)" = idle ]; }
wait_until 60 "the node to be idle in sinfo" node_idle
pass "slurmctld and slurmd run; sinfo shows node localhost idle with $cpus CPUs and ${memory}M"

# The tiny study: 2 methods x 2 seeds, each a short search and a short training. Its name has a space, so
# its folder (in the script's #SBATCH lines and commands) does too.
cat > "$work/tiny.toml" << 'EOF'
preset = "tiny"

[study]
name = "tiny study"

[data]
dataset = "synthetic"

[search]
epochs = 2
steps_per_epoch = 3

[train]
epochs = 2
steps_per_epoch = 3

[grid]
method = ["darts", "hls"]
seed = [0, 1]
EOF
study="$work/tiny.toml"
folder="$work/tiny study"
runs=4
"$bin" study slurm "$study" --threads 1 --memory 1G > "$work/job.sbatch" \
  || fail "tailnas study slurm exited $?"
grep -q "^#SBATCH --array=0-$((runs - 1))$" "$work/job.sbatch" || { cat "$work/job.sbatch"; fail "no array 0-$((runs - 1))"; }
pass "tailnas study slurm wrote a job-array script for $runs runs"

submitted=$(date +%s)
(cd "$work" && sbatch --parsable "$work/job.sbatch") > "$work/sbatch.out" || fail "sbatch refused the script"
jobid=$(cut -d';' -f1 < "$work/sbatch.out")
say "submitted job array $jobid; waiting for it"
job_done() { ! squeue -h -j "$jobid" | grep -q .; }
wait_until 600 "job $jobid to end" job_done
waited=$(($(date +%s) - submitted))
scontrol -o show job "$jobid" > "$work/job.txt" || fail "scontrol show job $jobid failed"
completed=$(grep -c "JobState=COMPLETED .*ExitCode=0:0" "$work/job.txt" || true)
[ "$completed" = "$runs" ] || { cat "$work/job.txt"; fail "$completed of $runs array tasks completed with exit code 0"; }
pass "job array $jobid: all $runs tasks completed with exit code 0, in ${waited}s"

logs="$folder/slurm"
for k in $(seq 0 $((runs - 1))); do
  log="$logs/${jobid}_$k.out"
  [ -f "$log" ] || { ls -la "$logs" || true; fail "array task $k left no Slurm log $log"; }
done
count=$(find "$logs" -name '*.out' | wc -l)
[ "$count" = "$runs" ] || { ls -la "$logs"; fail "$count Slurm logs for $runs array tasks"; }
pass "every array task left its log in $logs, and no other task ran"

"$bin" study status "$study" > "$work/status.txt" 2>&1 || { cat "$work/status.txt"; fail "study status failed"; }
grep -q "study tiny study: $runs finished (of $runs)" "$work/status.txt" || {
  cat "$work/status.txt"
  for log in "$logs"/*.out; do echo "----- $log"; tail -n 5 "$log"; done
  fail "not every run finished"
}
pass "tailnas study status: all $runs runs finished"

# started FILE: how many `started` events FILE holds.
started() {
  python3 -c 'import json,sys; print(sum(json.loads(l)["event"]["type"] == "started" for l in open(sys.argv[1]) if l.strip()))' "$1"
}
dirs=("$folder"/runs/*/)
[ ${#dirs[@]} = "$runs" ] || fail "expected $runs run folders, found ${#dirs[@]}"
for dir in "${dirs[@]}"; do
  for events in "$dir/events.jsonl" "$dir/train/events.jsonl"; do
    [ -f "$events" ] || fail "no $events"
    n=$(started "$events")
    [ "$n" = 1 ] || fail "$events has $n started events, expected 1"
  done
done
pass "each of the $runs searches and trainings started exactly once"

say "the job script's directives:"
grep '^#SBATCH' "$work/job.sbatch" | sed 's/^/  /'
say "status:"
sed 's/^/  /' "$work/status.txt"
say "passed in $(($(date +%s) - began))s (wall time, before stopping the daemons)"
echo "$check passed, 0 failed"
