#!/usr/bin/env bash
# Reads N users two ways from two servers on loopback and prints one table:
#   servers: scim2-server (PyPI, the reference implementation) and the project's simulator
#            (`sim-target`, generic dialect), each holding the same number of users
#   readers: the scim crate's client (examples/read_bench.rs), page sizes 100 and 1000, and
#            scim2-cli (`scim2 query user`), one process per page of 1000
# Seeding (scim2-server via /Bulk, the simulator at start) is not timed. Figures only.
#
# Env: BENCH_USERS (10000), BENCH_CLI_PAGE (1000), SCIM2_SERVER_BIN, CARGO_TARGET_DIR.
set -euo pipefail

USERS="${BENCH_USERS:-10000}"
CLI_PAGE="${BENCH_CLI_PAGE:-1000}"
VENV_BIN="${SCIM_COMPANION_CACHE:-$HOME/.cache/scim-companion-ci}/venv/bin"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"

server_bin="${SCIM2_SERVER_BIN:-$(command -v scim2-server || true)}"
[ -n "$server_bin" ] || server_bin="$VENV_BIN/scim2-server"
[ -x "$server_bin" ] || { echo "scim2-server not found (set SCIM2_SERVER_BIN)" >&2; exit 1; }
cli_bin="$(dirname "$server_bin")/scim2"
[ -x "$cli_bin" ] || cli_bin="$(command -v scim2 || true)"
[ -x "$cli_bin" ] || { echo "scim2 (scim2-cli) not found next to scim2-server or on PATH" >&2; exit 1; }
python="$(dirname "$server_bin")/python3"
[ -x "$python" ] || python=python3

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the benchmark and the simulator (release)..." >&2
(cd "$ROOT" && cargo build --release -q -p scim --example read_bench && cargo build --release -q -p sim --bin sim-target)

wait_ready() { # base_url [token]
  local auth=()
  [ -z "${2:-}" ] || auth=(-H "Authorization: Bearer $2")
  for _ in $(seq 1 300); do
    curl -sf "${auth[@]}" "$1/ServiceProviderConfig" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server at $1 did not come up" >&2
  exit 1
}

# Reads every user with scim2-cli, one process per page; prints "users pages wall_ms".
cli_read() { # base_url token
  local base=$1 token=$2 auth=()
  if [ -n "$token" ]; then
    auth=(-H "Authorization: Bearer $token")
    # Passed through the environment so the token is not on a command line.
    export SCIM_CLI_HEADERS="Authorization: Bearer $token"
  else
    unset SCIM_CLI_HEADERS
  fi
  # Discovery documents given as files so each call does not refetch them.
  curl -sf "${auth[@]}" "$base/Schemas" | "$python" -c 'import json,sys; json.dump(json.load(sys.stdin)["Resources"], sys.stdout)' >"$work/schemas.json"
  curl -sf "${auth[@]}" "$base/ResourceTypes" | "$python" -c 'import json,sys; json.dump(json.load(sys.stdin)["Resources"], sys.stdout)' >"$work/rt.json"
  curl -sf "${auth[@]}" "$base/ServiceProviderConfig" >"$work/spc.json"
  local start_ns read_total=0 pages=0 index=1 got
  start_ns=$(date +%s%N)
  while :; do
    got=$("$cli_bin" --url "$base" -s "$work/schemas.json" -r "$work/rt.json" -c "$work/spc.json" \
            query user --count "$CLI_PAGE" --start-index "$index" --no-indent \
          | "$python" -c 'import json,sys; print(len(json.load(sys.stdin).get("Resources", [])))')
    pages=$((pages + 1))
    [ "$got" -gt 0 ] || break
    read_total=$((read_total + got))
    index=$((index + got))
    [ "$read_total" -lt "$USERS" ] || break
  done
  echo "$read_total $pages $(( ($(date +%s%N) - start_ns) / 1000000 ))"
}

row() { printf '%-14s %-28s %6s %7s %9s %9s\n' "$@"; }
client_rows() { # server label, tsv file
  while IFS=$'\t' read -r _name page users requests _retries wall; do
    row "$1" "scim crate client" "${page#page=}" "${users#users=}" "${requests#requests=}" "${wall#wall_ms=}"
  done <"$2"
}

# 1. scim2-server (no auth), seeded through /Bulk by read_bench.
port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ref_base="http://127.0.0.1:$port/v2"
"$server_bin" --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
pids+=($!)
wait_ready "$ref_base"
"$target_dir/release/examples/read_bench" --base-url "$ref_base" --users "$USERS" --seed \
  --page-sizes 100,1000 >"$work/ref.tsv"
read -r ref_cli_users ref_cli_pages ref_cli_ms < <(cli_read "$ref_base" "")

# 2. The simulator, generic dialect, seeded at start with the same number of users.
sim_token="bench-$RANDOM$RANDOM"
"$target_dir/release/sim-target" --dialect generic --port 0 --token "$sim_token" \
  --seed-users "$USERS" --max-results 1000 >"$work/sim.out" 2>"$work/sim.log" &
pids+=($!)
for _ in $(seq 1 300); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
sim_base=$("$python" -c 'import json,sys; print(json.loads(sys.stdin.readline())["base_url"])' <"$work/sim.out")
wait_ready "$sim_base" "$sim_token"
"$target_dir/release/examples/read_bench" --base-url "$sim_base" --token "$sim_token" \
  --users "$USERS" --page-sizes 100,1000 >"$work/sim.tsv"
read -r sim_cli_users sim_cli_pages sim_cli_ms < <(cli_read "$sim_base" "$sim_token")

echo
row "server" "reader" "page" "users" "requests" "wall_ms"
row "--------------" "----------------------------" "------" "-------" "---------" "---------"
client_rows "scim2-server" "$work/ref.tsv"
row "scim2-server" "scim2-cli (process per page)" "$CLI_PAGE" "$ref_cli_users" "$ref_cli_pages" "$ref_cli_ms"
client_rows "sim (generic)" "$work/sim.tsv"
row "sim (generic)" "scim2-cli (process per page)" "$CLI_PAGE" "$sim_cli_users" "$sim_cli_pages" "$sim_cli_ms"
