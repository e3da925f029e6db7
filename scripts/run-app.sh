#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app, and runs SCIM Companion.
# With nothing configured the app opens on its embedded demo workspace.
# Without a display (a server or CI box) it runs under Xvfb and saves a screenshot.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
ensure_rust
ensure_python_tools
ensure_ui_deps
build_ui
timed cargo build -p scim-companion-app
APP="$CARGO_TARGET_DIR/debug/scim-companion-app"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  log "starting $APP"
  exec "$APP" "$@"
fi

SHOT="$ROOT/target/screenshot.png"
mkdir -p "$(dirname "$SHOT")"
log "no display found: running under Xvfb; a screenshot goes to $SHOT after 10 s (Ctrl-C stops the app)"
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  "$1" & app=$!
  sleep 10
  import -window root "$2" && echo "screenshot saved: $2" >&2
  wait $app
' sh "$APP" "$SHOT"
