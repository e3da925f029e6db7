#!/usr/bin/env bash
# The large-tenant benchmark through the CLI (issue 18; docs/performance.md). The demo crate's
# `large_tenant serve` example holds a generated JumpCloud directory (50,000 users, 10,000
# groups, 250,000 memberships, all bound to one AWS app) behind a JumpCloud simulator, and an
# AWS-dialect simulator seeded with what JumpCloud would push (a few deliberate differences)
# behind 40 ms of latency and a per-tenant quota of 20 requests a second. This script runs
# `scim-companion plan t` against both (a JumpCloud read, the target's read, the diff and the
# plan, as an administrator would) and prints one table: wall time and requests per phase,
# the answered rate against the quota, 429s, and the CLI's peak memory.
#   bash scripts/large-tenant.sh                       # the issue's size (about 10 minutes)
#   bash scripts/large-tenant.sh --users 2000 --groups 400 --memberships 10000   # a quick look
#   (--latency-ms MS and --quota PER_SECOND as for the example)
# The in-process figures (engine only, no JumpCloud read) come from
#   cargo run -p demo --release --example large_tenant -- engine
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/sim-procs.sh"
export RELIABILITY_PROFILE=release
sim_begin "$@"
timed cargo build --manifest-path src-tauri/Cargo.toml -p demo --release --example large_tenant

mkfifo "$WORK/ctl"
"$CARGO_TARGET_DIR/release/examples/large_tenant" serve "$@" <"$WORK/ctl" >"$WORK/lt.out" 2>"$WORK/lt.err" &
PIDS+=($!)
exec 7>"$WORK/ctl" # holds the example's stdin open; "stats" lines go here
for _ in $(seq 1 600); do
  [ -s "$WORK/lt.out" ] && break
  sleep 0.2
done
[ -s "$WORK/lt.out" ] || { cat "$WORK/lt.err" >&2; log "the example did not start"; exit 1; }
log "$(cat "$WORK/lt.err")"

DATA="$WORK/data"
mkdir -p "$DATA"
python3 - "$DATA" "$WORK/lt.out" <<'PY'
import json, sys
d, out = sys.argv[1:]
lt = json.loads(open(out).readline())
json.dump({"workspace": {"version": 1,
           "jumpcloud": {"region": "us", "base_url": lt["jumpcloud_url"]},
           "targets": [{"id": "t", "kind": "aws", "name": "Large AWS tenant (simulated)",
                        "base_url": lt["target_url"], "local_endpoint": True,
                        "auth": {"kind": "bearer"}, "jumpcloud_app_id": lt["app_id"],
                        "manage_groups": True, "created_at": "2026-01-01T00:00:00Z"}]}},
          open(d + "/settings.json", "w"))
PY
export JUMPCLOUD_API_KEY
JUMPCLOUD_API_KEY=$(field <(head -1 "$WORK/lt.out") api_key)
field <(head -1 "$WORK/lt.out") token | tr -d '\n' | sc "$DATA" targets set-token t

log "scim-companion plan t (reads JumpCloud, then the target; about 10 minutes at the issue's size)"
started=$(date +%s.%N)
set +e
SCIM_COMPANION_DATA_DIR="$DATA" /usr/bin/time -v -o "$WORK/plan.time" "$BIN/scim-companion" plan t --format json \
  >"$WORK/plan.json" 2> >(while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$WORK/plan.progress")
code=$?
set -e
ended=$(date +%s.%N)
sleep 0.5 # the progress reader's last lines
[ "$code" = 0 ] || [ "$code" = 2 ] || { tail -20 "$WORK/plan.progress" >&2; log "plan exited $code"; exit 1; }

echo stats >&7
for _ in $(seq 1 300); do
  [ "$(wc -l <"$WORK/lt.out")" -ge 2 ] && break
  sleep 0.2
done
python3 - "$WORK" "$started" "$ended" "$@" <<'PY'
import json, re, sys
work, started, ended = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
args = sys.argv[4:]
quota = float(args[args.index("--quota") + 1]) if "--quota" in args else 20.0
lines = open(work + "/lt.out").read().splitlines()
requests = json.loads(lines[1])["requests"]
progress = []
for line in open(work + "/plan.progress"):
    t, _, text = line.partition(" ")
    progress.append((float(t), text.strip()))
def first(prefix, default):
    return next((t for t, text in progress if text.startswith(prefix)), default)
reading = first("reading users and groups", started)
members = first("reading memberships", reading)
comparing = first("comparing", members)
phases = [("JumpCloud read (simulator, no quota)", started, reading),
          ("target users and groups", reading, members),
          ("target memberships", members, comparing),
          ("compare and plan", comparing, ended)]
print(f"| phase | wall | requests to the target | answered | 429s | answered/s | share of quota ({quota:g}/s) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
def row(name, a, b):
    inside = [r for r in requests if a <= r[0] < b]
    refused = sum(1 for r in inside if r[1] == 429)
    answered = len(inside) - refused
    rate = answered / max(b - a, 1e-9)
    print(f"| {name} | {b - a:.1f} s | {len(inside)} | {answered} | {refused} | {rate:.1f} | {100 * rate / quota:.0f} % |")
for name, a, b in phases:
    row(name, a, b)
row("whole `plan` command", started, ended)
refused = sum(1 for r in requests if r[1] == 429)
print(f"target requests: {len(requests) - refused} answered, {refused} refused "
      f"({100 * refused / max(len(requests), 1):.2f} %)")
time = open(work + "/plan.time").read()
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time).group(1))
print(f"the CLI's peak memory (max RSS): {peak // 1024} MiB; wall {ended - started:.1f} s")
plan = json.load(open(work + "/plan.json"))
ops = plan.get("operations", plan.get("plan", {}).get("operations", []))
print(f"plan: {len(ops)} operations")
PY
