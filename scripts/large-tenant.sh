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
#   bash scripts/large-tenant.sh --app                 # the same through the app window
# With --app the release app does it instead, driven through WebDriver under Xvfb
# (tests/measure/large_tenant.rs): the JumpCloud key entered on the Setup page, Run diff on the
# Diff page (JumpCloud first, then the target), then Review plan; the same table, and the app's
# peak memory. SCIM_COMPANION_APP=path uses a given app binary instead of building one.
# The in-process figures (engine only, no JumpCloud read) come from
#   cargo run -p demo --release --example large_tenant -- engine
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/sim-procs.sh"
export RELIABILITY_PROFILE=release
sim_begin "$@"
APP_MODE=0
SERVE_ARGS=()
for arg in "$@"; do
  if [ "$arg" = --app ]; then APP_MODE=1; else SERVE_ARGS+=("$arg"); fi
done
set -- "${SERVE_ARGS[@]}"
# The app reads the keychain's default service; the keychain is this run's own (sim_in_keyring).
[ "$APP_MODE" = 1 ] && unset SCIM_COMPANION_KEYCHAIN_SERVICE
timed cargo build --manifest-path src-tauri/Cargo.toml -p demo --release --example large_tenant
if [ "$APP_MODE" = 1 ]; then
  export PATH="$HOME/.cache/scim-companion-ci/tools/bin:$PATH" # tauri-driver
  command -v tauri-driver >/dev/null || { log "tauri-driver is not on PATH (see docs/TOOLCHAIN.md)"; exit 1; }
  if [ -z "${SCIM_COMPANION_APP:-}" ]; then
    [ -d ui/node_modules ] || (cd ui && npm install --no-audit --no-fund)
    (cd ui && npm run -s build)
    timed cargo build --release -p scim-companion-app --features tauri/custom-protocol
    export SCIM_COMPANION_APP="$CARGO_TARGET_DIR/release/scim-companion-app"
  fi
  timed cargo test -p scim-companion-tests --test measure --no-run
fi

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

if [ "$APP_MODE" = 1 ]; then
  log "the app: Setup (JumpCloud key), Run diff, Review plan (about 10 minutes at the issue's size)"
  export LARGE_TENANT_DATA_DIR="$DATA" LARGE_TENANT_JUMPCLOUD_KEY="$JUMPCLOUD_API_KEY"
  LARGE_TENANT_JUMPCLOUD_URL=$(field <(head -1 "$WORK/lt.out") jumpcloud_url)
  export LARGE_TENANT_JUMPCLOUD_URL
  unset JUMPCLOUD_API_KEY # the app takes the key from the keychain, as entered on Setup
  run=(cargo test -q -p scim-companion-tests --test measure -- --ignored --nocapture --exact
    large_tenant::large_tenant_in_app)
  [ -n "${DISPLAY:-}" ] || run=(xvfb-run -a -s "-screen 0 1280x800x24" "${run[@]}")
  "${run[@]}" | tee "$WORK/app.events"
  echo stats >&7
  for _ in $(seq 1 300); do
    [ "$(wc -l <"$WORK/lt.out")" -ge 2 ] && break
    sleep 0.2
  done
  python3 - "$WORK" "$@" <<'PY'
import json, sys
sys.path.insert(0, "scripts")
from phase_table import print_table
work, args = sys.argv[1], sys.argv[2:]
quota = float(args[args.index("--quota") + 1]) if "--quota" in args else 20.0
requests = json.loads(open(work + "/lt.out").read().splitlines()[1])["requests"]
events = []
for line in open(work + "/app.events"):
    if line.startswith("EVENT "):
        _, t, name, *detail = line.rstrip("\n").split(" ", 3)
        events.append((float(t), name, detail[0] if detail else ""))
def at(name, contains="", default=None):
    return next((t for t, n, d in events if n == name and contains in d), default)
run, result, planned = at("run"), at("result"), at("planned")
reading = at("phase", "Reading the target", run)
members = at("phase", "Reading group members", reading)
comparing = at("phase", "Comparing", result)
phases = [("JumpCloud read (simulator, no quota)", run, reading),
          ("target users and groups", reading, members),
          ("target memberships", members, comparing),
          ("compare and record", comparing, result),
          ("Review plan (the plan of that diff)", result, planned)]
print_table(requests, quota, phases, ("Run diff to the plan shown", run, planned))
for t, n, d in events:
    if n in ("result", "planned", "memory"):
        print(f"{n}: {d}")
PY
  exit 0
fi

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
sys.path.insert(0, "scripts")
from phase_table import print_table
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
print_table(requests, quota, phases, ("whole `plan` command", started, ended))
time = open(work + "/plan.time").read()
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time).group(1))
print(f"the CLI's peak memory (max RSS): {peak // 1024} MiB; wall {ended - started:.1f} s")
plan = json.load(open(work + "/plan.json"))
ops = plan.get("operations", plan.get("plan", {}).get("operations", []))
print(f"plan: {len(ops)} operations")
PY
