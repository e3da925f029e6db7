#!/usr/bin/env bash
# Reliability checks of `scim-companion plan` / `apply` against the simulators, as separate
# processes (sim-target, sim-jumpcloud) so state persists between CLI runs and a CLI can be
# killed mid-apply. Prints one figure per check; exits non-zero if any check fails.
#   a. the fault mix (20 % 429 with Retry-After, 5 % 503, 3 % HTML 502, 3 % replies cut off after
#      the write): one apply completes every operation, no duplicate, no retry before
#      Retry-After, capped attempts
#   b. 503 on the JumpCloud read: plan/apply fail, zero writes to the target
#   c. kill -9 mid-apply, re-run: converges, no duplicate userNames, the killed run is interrupted
#   d. a plan above the deletion threshold halts without confirmation, zero writes
#   e. no token or API key in the data folder (settings, history database, WAL, logs)
#   f. an HTML page answering 200: a clear error at once; a cut-off reply: repeated and
#      recovered, and a clear error when it keeps coming
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

source "$ROOT/scripts/sim-procs.sh"
sim_begin "$@"
FAILED=0

pass() { printf '  PASS %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*"; FAILED=$((FAILED + 1)); }

start_jumpcloud jc --users 300 --groups 8 --seed 11

log "a. fault mix on the target: 20 % 429 (Retry-After 1), 5 % 503, 3 % HTML 502, 3 % cut-off replies"
start_target ta --max-results 100
new_data_dir "$WORK/a" jc ta
ctl ta "faults 0.2 1 0 0.05 0.03 0.03"
ctl ta reset
set +e
sc "$WORK/a" apply t --yes >"$WORK/a.stdout" 2>"$WORK/a.stderr"
code=$?
set -e
req=$(stat ta requests); n429=$(stat ta status_429); n5xx=$(stat ta status_5xx)
viol=$(stat ta retry_violations); att=$(stat ta max_attempts); dups=$(stat ta duplicate_usernames)
echo "  exit $code; requests $req, 429s $n429, 5xx $n5xx, retry_violations $viol (same method, path, query and body), max attempts seen $att, duplicate userNames $dups"
tail -n 2 "$WORK/a.stdout" | sed 's/^/  /'
ctl ta "faults 0 1 0"
set +e
sc "$WORK/a" plan t >"$WORK/a.plan" 2>&1
replan=$?
set -e
echo "  plan afterwards: exit $replan ($(grep -m1 -iE 'nothing|operations' "$WORK/a.plan" | sed 's/^ *//'))"
# Attempts: 8 that may fail plus 12 that may be throttled (scim::RetryPolicy::default()).
{ [ "$code" = 0 ] && [ "$n429" -gt 0 ] && [ "$n5xx" -gt 0 ] && [ "$viol" = 0 ] && [ "$att" -le 20 ] \
  && [ "$dups" = 0 ] && [ "$replan" = 0 ] && grep -q ' 0 failed, 0 skipped' "$WORK/a.stdout"; } \
  && pass "one apply converged through the fault mix" || fail "fault-mix apply (see $WORK/a.stderr)"
ctl ta clear

log "b. 503 on the JumpCloud read"
start_jumpcloud jcdown --users 50 --groups 2 --seed 3 --unavailable
start_target tb
new_data_dir "$WORK/b" jcdown tb
set +e
sc "$WORK/b" apply t --yes >"$WORK/b.stdout" 2>"$WORK/b.stderr"
code=$?
set -e
writes=$(stat tb writes)
echo "  exit $code; writes = $writes; error: $(grep -m1 '^error:' "$WORK/b.stderr" || true)"
{ [ "$code" = 1 ] && [ "$writes" = 0 ]; } && pass "JumpCloud outage: no writes" || fail "JumpCloud outage"

log "c. kill -9 mid-apply, then re-run"
start_target tc
new_data_dir "$WORK/c" jc tc
ctl tc "faults 0 1 40"
SCIM_COMPANION_DATA_DIR="$WORK/c" "$BIN/scim-companion" apply t --yes >"$WORK/c1.stdout" 2>"$WORK/c1.stderr" &
cli=$!
for _ in $(seq 1 200); do
  [ "$(stat tc writes)" -ge 20 ] && break
  sleep 0.1
done
kill -9 "$cli" 2>/dev/null || true
wait "$cli" 2>/dev/null || true
before=$(stat tc writes)
ctl tc "faults 0 1 0"
set +e
sc "$WORK/c" apply t --yes >"$WORK/c2.stdout" 2>"$WORK/c2.stderr"
rerun=$?
sc "$WORK/c" plan t >"$WORK/c3.stdout" 2>"$WORK/c3.stderr"
final=$?
set -e
after=$(stat tc writes); dups=$(stat tc duplicate_usernames); users=$(stat tc users)
killed=$(first_apply_run "$WORK/c")
kid=${killed%% *}
sc "$WORK/c" history show "$kid" >"$WORK/c.show" 2>&1 || true
journal=$(grep -Eci 'pending|running' "$WORK/c.show" || true)
echo "  operations before the kill $before, after the re-run $after (re-run exit $rerun), final plan exit $final"
echo "  users on the target $users, duplicates = $dups; killed run: $killed; journal lines pending/running: $journal"
{ [ "$rerun" = 0 ] && [ "$final" = 0 ] && [ "$dups" = 0 ] && [ "$before" -gt 0 ] && [[ "$killed" == *interrupted* ]]; } \
  && pass "converged after kill -9" || fail "kill -9 recovery"

log "d. deletion guard"
start_target td --seed-users 40 --seed 5
new_data_dir "$WORK/d" jc td
# The seeded accounts carry externalIds JumpCloud does not know: with --all-objects they are
# all deprovisioned, far above the guard.
ctl td reset
set +e
sc "$WORK/d" plan t --all-objects >"$WORK/d1.stdout" 2>"$WORK/d1.stderr"
plan_code=$?
sc "$WORK/d" apply t --all-objects --yes >"$WORK/d2.stdout" 2>"$WORK/d2.stderr"
code=$?
set -e
writes=$(stat td writes)
echo "  $(grep -m1 'deletion guard' "$WORK/d1.stdout" | sed 's/^ *//') (plan exit $plan_code)"
echo "  apply exit $code: $(grep -m1 '^error:' "$WORK/d2.stderr" || true); writes = $writes"
{ [ "$code" = 1 ] && [ "$writes" = 0 ] && grep -q HALTED "$WORK/d1.stdout"; } \
  && pass "the guard halted the plan" || fail "deletion guard (see $WORK/d1.stdout $WORK/d1.stderr)"

log "f. an HTML page on a read, and cut-off replies"
plan_with() {
  set +e
  sc "$WORK/a" plan t >/dev/null 2>"$WORK/f.$1"
  code=$?
  set -e
  msg=$(grep -m1 '^error:' "$WORK/f.$1" || true)
  echo "  $1: exit $code; ${msg:-no error}"
  ctl ta clear
}
# A page answering 200 is a wrong address or a login wall: said at once, not retried.
ctl ta "push html"
plan_with html
{ [ "$code" = 1 ] && [ -n "$msg" ]; } && pass "html: clear error" || fail "html answer"
# One cut-off page is a transient fault: read again.
ctl ta "push truncated"
plan_with truncated-once
[ "$code" = 0 ] && pass "a cut-off reply was read again" || fail "cut-off reply not recovered"
# Cut-off replies that keep coming exhaust the attempts (8): a clear error. The plan reads users
# and groups concurrently and the queued faults go to whichever read comes next, so queue
# enough that one read must meet 8 in a row: 40 covers up to 5 concurrent reads.
for _ in $(seq 1 40); do ctl ta "push truncated"; done
plan_with truncated-always
{ [ "$code" = 1 ] && [[ "$msg" == *truncated* ]]; } && pass "persistent cut-off replies: clear error" || fail "persistent cut-off replies"

log "e. tokens in the data folders, exports and logs"
# Exports and the CLI's own output of a full run land next to the data folders, so the grep
# covers what an admin would save or paste into a ticket, not only what the app keeps.
mkdir -p "$WORK/exports"
for format in json csv html; do
  sc "$WORK/a" diff t --format "$format" --no-history >"$WORK/exports/diff.$format" 2>>"$WORK/exports/cli.log" || true
done
sc "$WORK/a" history list --json >"$WORK/exports/history.json" 2>>"$WORK/exports/cli.log" || true
sc "$WORK/a" history show 1 >"$WORK/exports/history-run-1.txt" 2>>"$WORK/exports/cli.log" || true
for f in diff.json diff.csv diff.html history.json; do
  [ -s "$WORK/exports/$f" ] || fail "no $f to search"
done
hits=0
for secret in "$TOKEN" "$KEY"; do
  n=$(grep -rlaF -- "$secret" "$WORK"/a "$WORK"/b "$WORK"/c "$WORK"/d "$WORK"/exports 2>/dev/null | wc -l || true)
  hits=$((hits + n))
done
echo "  files searched: $(find "$WORK"/a "$WORK"/b "$WORK"/c "$WORK"/d "$WORK"/exports -type f | wc -l) (data folders, 3 diff exports, history list and run, CLI log); hits = $hits"
[ "$hits" = 0 ] && pass "no secret on disk" || fail "a secret was written to the data folder"

if [ "$FAILED" -gt 0 ]; then
  log "$FAILED reliability check(s) failed"
  exit 1
fi
log "all reliability checks passed"
