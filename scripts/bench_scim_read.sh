#!/usr/bin/env bash
# Reads N users from a local scim2-server two ways and prints one table:
#   1. the scim crate's client (examples/read_bench.rs), page sizes 100 and 1000
#   2. scim2-cli (`scim2 query user`), one process per page
# Seeding (via /Bulk) is not timed. Figures only; nothing is asserted.
#
# Env: BENCH_USERS (10000), BENCH_CLI_PAGE (1000), SCIM2_SERVER_BIN, CARGO_TARGET_DIR.
set -euo pipefail

USERS="${BENCH_USERS:-10000}"
CLI_PAGE="${BENCH_CLI_PAGE:-1000}"
VENV_BIN=/root/.cache/scim-companion-ci/venv/bin
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

server_bin="${SCIM2_SERVER_BIN:-$(command -v scim2-server || true)}"
[ -n "$server_bin" ] || server_bin="$VENV_BIN/scim2-server"
[ -x "$server_bin" ] || { echo "scim2-server not found (set SCIM2_SERVER_BIN)" >&2; exit 1; }
cli_bin="$(dirname "$server_bin")/scim2"
[ -x "$cli_bin" ] || cli_bin="$(command -v scim2 || true)"
[ -x "$cli_bin" ] || { echo "scim2 (scim2-cli) not found next to scim2-server or on PATH" >&2; exit 1; }
python="$(dirname "$server_bin")/python3"
[ -x "$python" ] || python=python3

port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port/v2"
work="$(mktemp -d)"
"$server_bin" --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do
  curl -sf "$base/ServiceProviderConfig" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "building the benchmark (release)..." >&2
(cd "$ROOT" && cargo build --release -q -p scim --example read_bench)
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
"$target_dir/release/examples/read_bench" --base-url "$base" --users "$USERS" --seed \
  --page-sizes 100,1000 >"$work/client.tsv"

# scim2-cli: give it the discovery documents so each call does not refetch them.
curl -sf "$base/Schemas" | "$python" -c 'import json,sys; json.dump(json.load(sys.stdin)["Resources"], sys.stdout)' >"$work/schemas.json"
curl -sf "$base/ResourceTypes" | "$python" -c 'import json,sys; json.dump(json.load(sys.stdin)["Resources"], sys.stdout)' >"$work/rt.json"
curl -sf "$base/ServiceProviderConfig" >"$work/spc.json"
start_ns=$(date +%s%N)
read_total=0
pages=0
index=1
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
cli_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

printf '\n%-28s %9s %9s %10s %10s\n' "reader" "page" "users" "requests" "wall_ms"
printf '%-28s %9s %9s %10s %10s\n' "----------------------------" "---------" "---------" "----------" "----------"
while IFS=$'\t' read -r name page users requests _retries wall; do
  printf '%-28s %9s %9s %10s %10s\n' "scim crate client" "${page#page=}" "${users#users=}" "${requests#requests=}" "${wall#wall_ms=}"
done <"$work/client.tsv"
printf '%-28s %9s %9s %10s %10s\n' "scim2-cli (process per page)" "$CLI_PAGE" "$read_total" "$pages" "$cli_ms"
