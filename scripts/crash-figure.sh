#!/usr/bin/env bash
# Crash figure of `scim-companion apply`: CRASH_RUNS times (default 1000), against an empty
# sim-target, start `apply t --yes`, `kill -9` it at a random point, re-run the apply to
# completion and check that
#   - the re-run exits 0 and a final `plan` is empty (exit 0),
#   - the target holds no userName and no group displayName twice,
#   - `PRAGMA integrity_check` of history.sqlite answers ok,
#   - the killed run is marked failed "interrupted" in the history (or was killed before it
#     was recorded, or after it was recorded complete, or had already exited: counted apart).
# The point is a write count drawn uniformly from 0 to the writes of a clean apply (measured
# first), watched on the target's counter, so it does not drift with the machine's load; at 0,
# a random delay before the first write. Prints one line per run and a summary; exits non-zero
# if any run failed a check.
#   CRASH_RUNS=20 bash scripts/crash-figure.sh
#   CRASH_USERS / CRASH_GROUPS: size of the JumpCloud simulator (default 300 / 8)
#   CRASH_LATENCY_MS: latency the target adds to each request (default 10, so the counter is
#     watched closely enough to stop near the chosen write)
#   RELIABILITY_PROFILE=release: use release builds
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/sim-procs.sh"
sim_begin "$@" # keyring, build, set-up

RUNS="${CRASH_RUNS:-1000}"
LATENCY="${CRASH_LATENCY_MS:-10}"

start_jumpcloud jc --users "${CRASH_USERS:-300}" --groups "${CRASH_GROUPS:-8}" --seed 11
start_target t
PORT=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.urlparse(json.loads(open(sys.argv[1]).readline())["base_url"]).port)' "$WORK/t.out")
# One settings.json (and keychain token) for every run: the target restarts on the same port.
new_data_dir "$WORK/template" jc t

# empty_target: a fresh simulator on the same address, so the store starts empty.
empty_target() {
  stop_target t
  local _
  for _ in 1 2 3 4 5; do
    start_target t --port "$PORT" && [ "$(stat t users)" = 0 ] && break
    stop_target t
    sleep 0.2
  done
  ctl t "faults 0 1 $LATENCY"
}

fresh_dir() {
  rm -rf "$1"
  mkdir -p "$1"
  cp "$WORK/template/settings.json" "$1/"
}

integrity() {
  python3 - "$1/history.sqlite" <<'PY'
import os, sqlite3, sys
if not os.path.exists(sys.argv[1]):
    sys.exit(print("missing"))
con = sqlite3.connect(sys.argv[1])
print(",".join(r[0] for r in con.execute("PRAGMA integrity_check")))
PY
}

# writes: the target's write counter, read without python (polled every few ms).
writes() {
  rm -f "$WORK/t.json"
  ctl t "stats $WORK/t.json"
  until [ -s "$WORK/t.json" ]; do sleep 0.005; done
  sed -E 's/.*"writes":([0-9]+).*/\1/' "$WORK/t.json"
}

log "calibrating: a clean apply"
empty_target
fresh_dir "$WORK/cal"
start=$(date +%s%N)
sc "$WORK/cal" apply t --yes >"$WORK/cal.out" 2>&1 || { log "the clean apply failed:"; cat "$WORK/cal.out" >&2; exit 1; }
TOTAL_WRITES=$(writes)
CAL_MS=$((($(date +%s%N) - start) / 1000000))
log "clean apply: $TOTAL_WRITES writes in $CAL_MS ms; each run is killed once the target has seen a random 0..$((TOTAL_WRITES - 1)) writes (at 0: after a random delay up to a quarter of that time)"

ok=0 failed=0 interrupted=0 unrecorded=0 finished=0 completed=0 mid_write=0 dup_users=0 dup_groups=0 bad_db=0
kill_writes=()
began=$SECONDS
for i in $(seq 1 "$RUNS"); do
  empty_target
  dir="$WORK/run"
  fresh_dir "$dir"
  goal=$(((RANDOM * 32768 + RANDOM) % TOTAL_WRITES))
  SCIM_COMPANION_DATA_DIR="$dir" "$BIN/scim-companion" apply t --yes >"$WORK/kill.out" 2>&1 &
  cli=$!
  if [ "$goal" = 0 ]; then
    delay=$(((RANDOM * 32768 + RANDOM) % (CAL_MS / 4 + 1)))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  else
    while kill -0 "$cli" 2>/dev/null && [ "$(writes)" -lt "$goal" ]; do :; done
  fi
  kill -9 "$cli" 2>/dev/null || true
  status=0
  wait "$cli" 2>/dev/null || status=$?
  before=$(stat t writes)
  kill_writes+=("$before")
  set +e
  sc "$dir" apply t --yes >"$WORK/rerun.out" 2>&1
  rerun=$?
  sc "$dir" plan t >"$WORK/plan.out" 2>&1
  final=$?
  set -e
  du=$(stat t duplicate_usernames)
  dg=$(stat t duplicate_group_names)
  db=$(integrity "$dir")
  read -r runs first < <(apply_runs "$dir")
  if [ "$status" != 137 ]; then
    journal="finished before the kill (exit $status)"; finished=$((finished + 1))
  elif [[ "$first" == *" succeeded "* ]] && [ "$runs" = 2 ] && [ "$before" = "$TOTAL_WRITES" ]; then
    # Killed while exiting, after the run was recorded complete: nothing to recover.
    journal="killed after its run was recorded complete"; completed=$((completed + 1))
  elif [ "$runs" = 1 ]; then
    journal="killed before it was recorded"; unrecorded=$((unrecorded + 1))
  elif [[ "$first" == *" failed interrupted"* ]]; then
    journal="killed run interrupted"; interrupted=$((interrupted + 1))
  else
    journal="killed run: ${first:-none}"
  fi
  [ "$before" -gt 0 ] && [ "$before" -lt "$TOTAL_WRITES" ] && mid_write=$((mid_write + 1))
  dup_users=$((dup_users + du)); dup_groups=$((dup_groups + dg))
  [ "$db" = ok ] || bad_db=$((bad_db + 1))
  if [ "$rerun" = 0 ] && [ "$final" = 0 ] && [ "$du" = 0 ] && [ "$dg" = 0 ] && [ "$db" = ok ] \
    && [[ "$journal" != "killed run:"* ]]; then
    ok=$((ok + 1)); verdict=ok
  else
    failed=$((failed + 1)); verdict=FAIL
    mkdir -p "$ROOT/target/crash-figure"
    cp -r "$dir" "$ROOT/target/crash-figure/run-$i"
    cp "$WORK/kill.out" "$WORK/rerun.out" "$WORK/plan.out" "$ROOT/target/crash-figure/run-$i/"
  fi
  printf 'run %d: %s; kill aimed at %d writes, came after %d; re-run exit %d, plan exit %d; duplicates %d users %d groups; integrity %s; %s\n' \
    "$i" "$verdict" "$goal" "$before" "$rerun" "$final" "$du" "$dg" "$db" "$journal"
done

elapsed=$((SECONDS - began))
median=$(printf '%s\n' "${kill_writes[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'crash figure: %d runs in %d s (%.1f s per run); %d converged, %d failed; duplicates: %d userNames, %d group displayNames; history integrity not ok: %d; killed runs marked interrupted %d, killed before being recorded %d, killed after being recorded complete %d, finished before the kill %d; killed mid-write (0 < writes < %d) %d, median writes before the kill %s\n' \
  "$RUNS" "$elapsed" "$(awk "BEGIN {print $elapsed / $RUNS}")" "$ok" "$failed" "$dup_users" "$dup_groups" "$bad_db" \
  "$interrupted" "$unrecorded" "$completed" "$finished" "$TOTAL_WRITES" "$mid_write" "$median"
[ "$failed" = 0 ]
