#!/usr/bin/env bash
# Measures the Diff page in the real window at about 100,000 rows: the app runs its embedded demo
# sized with SCIM_COMPANION_DEMO_USERS (default 90000 users: about 100,000 rows on the generic
# demo target), WebDriver (tauri-driver + WebKitWebDriver) runs the diff and drives the table, and
# the page's own clock (performance.now(), requestAnimationFrame, the UI's scim:diff-* marks)
# times first paint, scrolling, filters and search; /proc gives the memory of the app's processes.
# The measurement is the ignored test `measure` in tests/measure/main.rs; it asserts no times.
# Usage: scripts/measure-diff-table.sh [path/to/scim-companion-app] [users]
# Builds the debug app and the measurement when no app is given. Needs tauri-driver on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scim-companion-ci/target}"
export PATH="$HOME/.cache/scim-companion-ci/tools/bin:$PATH"
APP="${1:-}"
export SCIM_COMPANION_DEMO_USERS="${2:-${SCIM_COMPANION_DEMO_USERS:-90000}}"
if [ -z "$APP" ]; then
  [ -d ui/node_modules ] || (cd ui && npm install --no-audit --no-fund)
  (cd ui && npm run build)
  cargo build -p scim-companion-app
  APP="$CARGO_TARGET_DIR/debug/scim-companion-app"
fi
[ -x "$APP" ] || { echo "app binary not found: $APP (build it first)" >&2; exit 1; }
export SCIM_COMPANION_APP="$APP"
cargo test -p scim-companion-tests --test measure --no-run
run=(cargo test -p scim-companion-tests --test measure -- --ignored --nocapture --test-threads=1 --exact diff_table_at_100k_rows)
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "${run[@]}"
fi
exec "${run[@]}"
