#!/usr/bin/env bash
# End-to-end dashboard test: the real tailnas in tmux on a tiny synthetic search, then a training of its
# genotype. Presses keys as a person would (pause, edit a schedule, scrub, help, resume, zoom, quit) and checks
# the screen and the runs' events.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tailnas"
[ -x "$bin" ] || { echo "tmux-test: build the release binary first (swift build -c release)"; exit 1; }
work=$(mktemp -d)
session="tailnas-test-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session"; }
fail() {
  echo "tmux-test: FAILED: $1"
  echo "----- screen -----"; screen || true; echo "------------------"
  exit 1
}
# wait_for TEXT [SECONDS]: polls the screen until it shows TEXT.
wait_for() {
  local text="$1" limit="${2:-60}" i=0
  while ! screen | grep -qF -- "$text"; do
    i=$((i + 1)); [ "$i" -gt $((limit * 5)) ] && fail "timed out waiting for '$text'"
    sleep 0.2
  done
}
check=0
pass() { check=$((check + 1)); echo "ok $check - $1"; }

tmux new-session -d -s "$session" -x 140 -y 45 \
  "cd '$PWD' && TERM=xterm-256color '$bin' search --preset tiny --epochs 8 --steps-per-epoch 6 --runs-dir '$work/runs'; echo EXITED \$?; sleep 30"

wait_for "hls" 120
wait_for "step " 120
pass "dashboard shows the run's status line"

tmux send-keys -t "$session" Space
wait_for "PAUSED" 60
pass "space pauses the search (PAUSED badge)"

tmux send-keys -t "$session" e
wait_for "edit schedule" 10
tmux send-keys -t "$session" Tab Left Left Tab
for _ in 1 2 3 4 5 6; do tmux send-keys -t "$session" BSpace; done
tmux send-keys -t "$session" 1 . 5
wait_for "mu value 1.5 is outside [0, 1]" 10
pass "the edit form rejects mu = 1.5 with a clear message"
tmux send-keys -t "$session" BSpace BSpace BSpace 0 . 4
wait_for "ok: applies at the next step" 10
tmux send-keys -t "$session" Enter
wait_for "edit applied: mu = constant 0.4" 30
pass "an edit of the mu schedule is applied by the engine"

tmux send-keys -t "$session" '?'
wait_for "tailnas keys" 10
pass "? shows the help"
tmux send-keys -t "$session" x
sleep 0.5
screen | grep -qF "tailnas keys" && fail "help did not close"

# While paused the step counter stands still; after Space it must move past where it stood.
paused_at=$(screen | grep -o 'step [0-9]*/[0-9]*' | head -1)
sleep 1
[ "$(screen | grep -o 'step [0-9]*/[0-9]*' | head -1)" = "$paused_at" ] || fail "the step moved while paused"
tmux send-keys -t "$session" Space
i=0
while screen | grep -qF "PAUSED" || [ "$(screen | grep -o 'step [0-9]*/[0-9]*' | head -1)" = "$paused_at" ]; do
  i=$((i + 1)); [ "$i" -gt 600 ] && fail "the search did not move on from $paused_at after space"
  sleep 0.2
done
wait_for "epoch 2/8" 120
pass "space resumes and the search moves on (from $paused_at)"

tmux send-keys -t "$session" Left
wait_for "alphas @ epoch 1/" 20
pass "left arrow scrubs the heatmaps to an earlier epoch"
tmux send-keys -t "$session" End

tmux send-keys -t "$session" q
wait_for "quit tailnas?" 10
wait_for "tailnas resume" 10
pass "q asks before quitting a running search"
tmux send-keys -t "$session" y
wait_for "EXITED 3" 120
pass "quitting stops the search at a step boundary (exit code 3, resumable)"

events=$(ls "$work"/runs/*/events.jsonl)
python3 - "$events" <<'PY' || fail "the run's events lack the controls"
import json, sys
events = [json.loads(line)["event"] for line in open(sys.argv[1]) if line.strip()]
commands = [e["data"]["command"] for e in events if e["type"] == "control"]
kinds = [c["type"] for c in commands]
assert "pause" in kinds and "resume" in kinds and "stop" in kinds, kinds
edits = [c["edit"] for c in commands if c["type"] == "edit"]
assert edits and edits[0] == {"target": "mu", "curve": "constant 0.4"}, edits
types = [e["type"] for e in events]
assert types[0] == "started" and types[-1] == "finished", types
print("events:", kinds)
PY
pass "the run's events record pause, the edit, resume and stop"

# The evaluation phase in the same dashboard: train the stopped search's last genotype.
search=$(dirname "$events")
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 140 -y 45 \
  "cd '$PWD' && TERM=xterm-256color '$bin' train '$search' --preset tiny --epochs 20 --steps-per-epoch 30; echo EXITED \$?; sleep 30"
wait_for "│ train │" 120
wait_for "cells (trained genotype)" 60
wait_for "c_{k-2}" 10
wait_for "c_{k}" 10
wait_for "step " 60
pass "a training run shows its status line and its cells drawn as graphs"

tmux send-keys -t "$session" Space
wait_for "PAUSED" 60
pass "space pauses the training"
tmux send-keys -t "$session" e
wait_for "edit schedule" 10
wait_for "target  ◀ weight lr ▶" 10
tmux send-keys -t "$session" Tab Tab
for _ in 1 2 3 4 5 6 7 8; do tmux send-keys -t "$session" BSpace; done
tmux send-keys -t "$session" 0 . 0 1
wait_for "ok: applies at the next step" 10
tmux send-keys -t "$session" Enter
wait_for "edit applied: weight lr = cosine 0.01 -> 0" 30
pass "an edit of the training's learning rate is applied by the engine"

tmux send-keys -t "$session" Space
sleep 1
screen | grep -qF "PAUSED" && fail "the training did not resume"
tmux send-keys -t "$session" 3
wait_for "instance head" 10
wait_for "class head" 10
pass "zooming panel 3 draws every cell of the two-head network"
tmux send-keys -t "$session" 0
tmux send-keys -t "$session" q
wait_for "quit tailnas?" 10
tmux send-keys -t "$session" y
wait_for "EXITED 3" 120
pass "quitting stops the training at a step boundary (exit code 3, resumable)"

python3 - "$search/train/events.jsonl" <<'PY' || fail "the training's events lack the controls"
import json, sys
events = [json.loads(line)["event"] for line in open(sys.argv[1]) if line.strip()]
commands = [e["data"]["command"] for e in events if e["type"] == "control"]
edits = [c["edit"] for c in commands if c["type"] == "edit"]
assert edits and edits[0] == {"target": "weight_lr", "curve": "cosine 0.01 0"}, edits
edited = next(i for i, e in enumerate(events) if e["type"] == "control" and e["data"]["command"]["type"] == "edit")
before = [e["data"]["values"]["weightLearningRate"] for e in events[:edited] if e["type"] == "step"]
after = [e["data"]["values"]["weightLearningRate"] for e in events[edited:] if e["type"] == "step"]
assert before and after and before[-1] > 0.02 and all(lr <= 0.01 for lr in after), (before[-1:], after[:3])
print("edits:", edits, "lr before", before[-1], "after", after[0])
PY
pass "the training's events record the lr edit and its steps use the new rate"

# Replay of the real runs: the search, then its training (P switches phases).
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 140 -y 45 \
  "cd '$PWD' && TERM=xterm-256color '$bin' replay '$search'; echo EXITED \$?; sleep 30"
wait_for "REPLAY" 30
wait_for "│ train │" 30
pass "replay opens a search with its training and shows the training first"
tmux send-keys -t "$session" P
wait_for "showing search" 10
wait_for "alphas @ epoch" 10
tmux send-keys -t "$session" Left
wait_for "alphas @ epoch 1/" 10
pass "P shows the search's phase and left arrow scrubs back to its first epoch"
tmux send-keys -t "$session" q
wait_for "EXITED 0" 20
pass "q leaves a replay with exit code 0"
# The study view: a tiny study of two runs with two local workers; open a running run, come back, stop.
cat > "$work/view.toml" <<'TOML'
preset = "tiny"
[data]
dataset = "synthetic"
[search]
epochs = 6
[grid]
method = ["darts", "hls"]
TOML
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 140 -y 40 \
  "cd '$PWD' && TERM=xterm-256color '$bin' study '$work/view.toml' --jobs 2; echo EXITED \$?; sleep 30"
wait_for "tailnas study view" 30
wait_for "2 runs: 2 running" 60
wait_for "mean ± std over seeds" 10
screen | grep -q "▶ darts .*search .*running" || fail "the study view does not show the darts run searching"
pass "the study view lists both runs live with their phase and state"
tmux send-keys -t "$session" Down Enter
wait_for "│ hls │" 20
tmux send-keys -t "$session" Space
wait_for "only watches it" 10
pass "Enter opens the selected run's live dashboard, which only watches it"
tmux send-keys -t "$session" Escape
wait_for "tailnas study view" 10
screen | grep -q "▶ hls" || fail "the selection did not stay on the opened run"
pass "Esc comes back to the study view"
tmux send-keys -t "$session" q
wait_for "EXITED 3" 60
grep -q "stopping the study's workers" <(screen) || fail "q did not say it stops the workers"
status=$("$bin" study status "$work/view.toml")
grep -q "search stopped after" <<< "$status" || fail "the stopped study's runs are not listed as stopped and resumable: $status"
pass "q stops the study (exit 3), its runs resume when it runs again"
echo "$check passed, 0 failed"
