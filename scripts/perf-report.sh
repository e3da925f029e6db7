#!/usr/bin/env bash
# The performance report: builds the release app and an empty Tauri window from the same toolchain
# (tests/baseline-app), measures both in the same run, and prints one table with ratios, followed
# by the core benchmarks (SCIM read vs scim2-cli, drift, history). Figures only; nothing asserted.
#
#   bash scripts/perf-report.sh            # everything (about 10 minutes warm on 2 cores)
#   PERF_RUNS=9 PERF_SCIM_USERS=2000 bash scripts/perf-report.sh
#
# Env: PERF_RUNS (start-up runs per binary, 7), PERF_SCIM_USERS (users for the SCIM read
# benchmark, 10000), PERF_SKIP_BUILD=1 (reuse the release binaries already built).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUNS="${PERF_RUNS:-7}"
SCIM_USERS="${PERF_SCIM_USERS:-10000}"
REL="$CARGO_TARGET_DIR/release"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

ensure_system_packages
ensure_rust
ensure_python_tools
ensure_ui_deps

if [ "${PERF_SKIP_BUILD:-0}" != 1 ]; then
  log "release bundles of the app (.deb, .rpm) and the empty baseline window"
  timed "$ROOT/ui/node_modules/.bin/tauri" build --bundles deb,rpm --ci
  timed cargo build --release -p scim-companion-baseline --features tauri/custom-protocol
fi
APP="$REL/scim-companion-app"
BASE="$REL/scim-companion-baseline"
deb=$(newest_bundle deb)
rpm=$(newest_bundle rpm)

measure() { # name binary
  log "start-up and idle memory: $1 ($RUNS runs)"
  bash "$ROOT/scripts/measure-startup.sh" "$2" "$RUNS" | tee "$OUT/$1.txt" >&2
  grep '^SUMMARY' "$OUT/$1.txt" | tail -n1
}
field() { sed -E "s/.*$2=([0-9]+).*/\1/" <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

app=$(measure app "$APP")
base=$(measure baseline "$BASE")

log "SCIM read benchmark ($SCIM_USERS users, scim client vs scim2-cli)"
BENCH_USERS="$SCIM_USERS" SCIM2_SERVER_BIN="$VENV/bin/scim2-server" \
  bash "$ROOT/scripts/bench_scim_read.sh" >"$OUT/scim.txt"
log "drift benchmark (100,000 vs 100,000 users, 5,000 groups, 500,000 memberships)"
cargo run -q --release -p drift --example drift_bench >"$OUT/drift.txt" 2>&1
log "history benchmark (1,000,000 operations)"
cargo run -q --release -p history --example history_bench >"$OUT/history.txt" 2>&1

am=$(field "$app" start_median_ms); bm=$(field "$base" start_median_ms)
ar=$(field "$app" rss_mb); br=$(field "$base" rss_mb)
ap=$(field "$app" pss_mb); bp=$(field "$base" pss_mb)
asz=$(stat -c %s "$APP"); bsz=$(stat -c %s "$BASE")

echo
echo "## SCIM Companion performance report ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
echo
echo "| measure | SCIM Companion | empty Tauri window | ratio |"
echo "|---|---|---|---|"
echo "| start to first page, median of $RUNS (min-max) | $am ms ($(field "$app" start_min_ms)-$(field "$app" start_max_ms)) | $bm ms ($(field "$base" start_min_ms)-$(field "$base" start_max_ms)) | $(ratio "$am" "$bm") |"
echo "| idle memory, RSS of all processes | $ar MB | $br MB | $(ratio "$ar" "$br") |"
echo "| idle memory, PSS of all processes | $ap MB | $bp MB | $(ratio "$ap" "$bp") |"
echo "| release binary | $(mib "$asz") | $(mib "$bsz") | $(ratio "$asz" "$bsz") |"
echo "| .deb installer | $(mib "$(stat -c %s "$deb")") | | |"
echo "| .rpm installer | $(mib "$(stat -c %s "$rpm")") | | |"
echo
echo "### SCIM read: the scim crate's client vs scim2-cli, against scim2-server and the simulator on loopback"
echo
echo '```'
sed '/^$/d' "$OUT/scim.txt"
echo '```'
echo
echo "### Drift engine"
echo
echo '```'
cat "$OUT/drift.txt"
echo '```'
echo
echo "### History store"
echo
echo '```'
cat "$OUT/history.txt"
echo '```'
