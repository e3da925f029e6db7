#!/usr/bin/env bash
# Measures the desktop app under Xvfb: time from exec to the first rendered page (the UI calls
# `app_ready`), over several runs, and the idle memory of the app and all its WebKit processes.
# Usage: scripts/measure-startup.sh [path/to/scim-companion-app] [runs]
# Run it inside a display (it re-executes itself under xvfb-run when there is none).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/scim-companion-ci/target}/debug/scim-companion-app}"
RUNS="${2:-5}"
[ -x "$APP" ] || { echo "app binary not found: $APP (build it first)" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$APP" "$RUNS"
fi
DATA="$(mktemp -d)"; trap 'rm -rf "$DATA"' EXIT
export SCIM_COMPANION_DATA_DIR="$DATA"

now_ms() { date +%s%3N; }

echo "start to first page (exec -> app_ready), $RUNS runs: $APP"
times=()
for i in $(seq "$RUNS"); do
  t0=$(now_ms)
  line=$(SCIM_COMPANION_STARTUP_PROBE=exit timeout 60 "$APP" 2>/dev/null | grep -m1 '^READY' || true)
  [ -n "$line" ] || { echo "run $i: the app never reported ready" >&2; exit 1; }
  ready=$(sed -E 's/.*epoch_ms=([0-9]+).*/\1/' <<<"$line")
  times+=($((ready - t0)))
  echo "  run $i: $((ready - t0)) ms"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "  median: ${sorted[$((RUNS / 2))]} ms (min ${sorted[0]}, max ${sorted[$((RUNS - 1))]})"

# Idle memory: all processes of the app's tree, 6 s after the first page.
out="$DATA/out"
SCIM_COMPANION_STARTUP_PROBE=1 "$APP" >"$out" 2>/dev/null &
pid=$!
for _ in $(seq 300); do grep -q '^READY' "$out" && break; sleep 0.1; done
sleep 6
descendants() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do descendants "$c"; done; }
total_rss=0; total_pss=0
printf '  %-26s %10s %10s\n' process "RSS MB" "PSS MB"
for p in $(descendants "$pid"); do
  [ -r "/proc/$p/smaps_rollup" ] || continue
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")
  name=$(tr -d '\0' < "/proc/$p/comm")
  printf '  %-26s %10d %10d\n' "$name" $((rss / 1024)) $((pss / 1024))
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
done
printf '  %-26s %10d %10d\n' TOTAL $((total_rss / 1024)) $((total_pss / 1024))
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
# One machine-readable line for scripts/perf-report.sh.
echo "SUMMARY start_median_ms=${sorted[$((RUNS / 2))]} start_min_ms=${sorted[0]} start_max_ms=${sorted[$((RUNS - 1))]} rss_mb=$((total_rss / 1024)) pss_mb=$((total_pss / 1024))"
