# shellcheck shell=bash
# The CLI against the simulators as separate processes (sim-target, sim-jumpcloud), so state
# persists between CLI runs and a CLI can be killed mid-apply. Sourced, after lib.sh, by
# scripts/reliability.sh and scripts/crash-figure.sh.

# Re-runs the calling script inside a private D-Bus session with an unlocked gnome-keyring:
# target tokens live only in the keychain. Call first thing, with the script's arguments.
sim_in_keyring() {
  if [ -z "${RELIABILITY_IN_KEYRING:-}" ]; then
    exec dbus-run-session -- env RELIABILITY_IN_KEYRING=1 sh -c \
      'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec bash "$0" "$@"' \
      "$0" "$@"
  fi
}

# Builds scim-companion, sim-target and sim-jumpcloud (RELIABILITY_PROFILE=release for
# release) and sets BIN to their folder.
sim_build() {
  local profile="${RELIABILITY_PROFILE:-debug}" flags=()
  [ "$profile" = release ] && flags+=(--release)
  log "building scim-companion, sim-target and sim-jumpcloud ($profile)"
  timed cargo build --manifest-path src-tauri/Cargo.toml -p scim-companion-cli -p sim --bins "${flags[@]}"
  BIN="$CARGO_TARGET_DIR/$profile"
}

# A scratch folder WORK, removed with every process started here on exit; a keychain service,
# target token TOKEN and JumpCloud key KEY of this run only.
sim_setup() {
  WORK=$(mktemp -d)
  PIDS=()
  declare -gA CTL=() TPID=()
  trap sim_cleanup EXIT
  export SCIM_COMPANION_KEYCHAIN_SERVICE="dev.scimcompanion.reliability.$$"
  TOKEN="rel-target-token-$$-$RANDOM$RANDOM"
  KEY="rel-jumpcloud-key-$$-$RANDOM$RANDOM"
  export JUMPCLOUD_API_KEY="$KEY"
}

sim_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -z "${SCIM_COMPANION_KEYCHAIN_SERVICE:-}" ] || secret-tool clear service "$SCIM_COMPANION_KEYCHAIN_SERVICE" 2>/dev/null || true
  rm -rf "$WORK"
}

# sim_begin "$@": all three, as a script's first step.
sim_begin() {
  sim_in_keyring "$@"
  sim_build
  sim_setup
}

field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

wait_for_line() {
  local _
  for _ in $(seq 1 100); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  log "no output in $1"; return 1
}

# start_target NAME ARGS...: a sim-target whose stdin is a FIFO we keep open for commands.
start_target() {
  local name=$1; shift
  mkfifo "$WORK/$name.ctl"
  "$BIN/sim-target" --token "$TOKEN" "$@" <"$WORK/$name.ctl" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PIDS+=($!)
  TPID[$name]=$!
  local fd
  exec {fd}>"$WORK/$name.ctl"
  CTL[$name]=$fd
  wait_for_line "$WORK/$name.out"
}

# stop_target NAME: ends that simulator (and its store), so NAME can be started again.
stop_target() {
  local fd=${CTL[$1]}
  exec {fd}>&-
  kill "${TPID[$1]}" 2>/dev/null || true
  wait "${TPID[$1]}" 2>/dev/null || true
  rm -f "$WORK/$1.ctl" "$WORK/$1.out" "$WORK/$1.err" "$WORK/$1.json"
}

ctl() { echo "$2" >&"${CTL[$1]}"; }
# stat NAME FIELD: one counter of the target simulator, fresh.
stat() {
  rm -f "$WORK/$1.json"
  ctl "$1" "stats $WORK/$1.json"
  local _
  for _ in $(seq 1 50); do [ -s "$WORK/$1.json" ] && break; sleep 0.05; done
  field "$WORK/$1.json" "$2"
}

start_jumpcloud() {
  local name=$1; shift
  "$BIN/sim-jumpcloud" --key "$KEY" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PIDS+=($!)
  wait_for_line "$WORK/$name.out"
}

# new_data_dir DIR JC TARGET: settings.json for one generic target "t" fed by the JumpCloud sim.
new_data_dir() {
  local dir=$1 jc=$2 target=$3
  mkdir -p "$dir"
  python3 - "$dir" "$WORK/$jc.out" "$WORK/$target.out" <<'PY'
import json, sys
d, jc, t = sys.argv[1:]
jc = json.loads(open(jc).readline()); t = json.loads(open(t).readline())
json.dump({"workspace": {"version": 1,
           "jumpcloud": {"region": "us", "base_url": jc["base_url"]},
           "targets": [{"id": "t", "kind": "generic", "name": "Reliability target",
                        "base_url": t["base_url"], "local_endpoint": True,
                        "auth": {"kind": "bearer"}, "jumpcloud_app_id": jc["apps"][0]["id"],
                        "manage_groups": True, "created_at": "2026-01-01T00:00:00Z"}]}},
          open(d + "/settings.json", "w"))
PY
  printf '%s' "$TOKEN" | SCIM_COMPANION_DATA_DIR="$dir" "$BIN/scim-companion" targets set-token t 2>/dev/null
}

sc() { SCIM_COMPANION_DATA_DIR="$1" "$BIN/scim-companion" "${@:2}"; }

# apply_runs DIR: "COUNT ID OUTCOME SUMMARY": how many apply runs DIR's history holds, and the
# oldest one ("0" alone when there is none).
apply_runs() {
  sc "$1" history list --json 2>/dev/null | python3 -c '
import json, sys
runs = [r for r in json.load(sys.stdin) if r.get("kind") == "apply"]
first = min(runs, key=lambda r: r["id"]) if runs else None
print(len(runs), *([first["id"], first["outcome"], first["summary"]] if first else []))
'
}

# first_apply_run DIR: "ID OUTCOME SUMMARY" of the oldest apply run in DIR's history.
first_apply_run() {
  local _count first
  read -r _count first < <(apply_runs "$1")
  echo "$first"
}
