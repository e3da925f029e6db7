#!/usr/bin/env bash
# The scheduled checks on a desktop, for people to look at: a real notification daemon (dunst),
# a tray host (trayer) and the app on its demo with two targets scheduled, under a private
# Xvfb. Saves docs/screenshots/watch-notification.png (the notifications of the first checks),
# watch-notification-click.png (the window after a click on the Generic target's notification),
# watch-tray-menu.png (the tray menu) and watch-open-diff.png (the window after choosing the AWS
# target in the tray menu): look at the last two to see that each opened its target's Diff
# page. Not part of the test command: it needs dunst, trayer and xdotool
# (apt-get install dunst trayer xdotool) and takes about a minute.
#
#   bash scripts/watch-desktop.sh [APP]     APP defaults to $CARGO_TARGET_DIR/debug/scim-companion-app
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- bash "$0" "$@"
fi
app=${1:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/scim-companion-app}
for tool in Xvfb dunst trayer xdotool import xwininfo; do
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install dunst trayer xdotool x11-utils imagemagick xvfb)"; exit 1; }
done
out=$ROOT/docs/screenshots
work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Two demo targets checked every "hour", an hour being 60 s here (the app's test knob).
mkdir -p "$work/data"
cat >"$work/data/settings.json" <<'JSON'
{ "watch_schedule": { "targets": { "demo-generic": { "every_hours": 1 }, "demo-aws": { "every_hours": 1 } } } }
JSON
chmod 600 "$work/data/settings.json"

Xvfb "$display" -screen 0 1700x1000x24 >/dev/null 2>&1 & pids+=($!)
export DISPLAY=$display
sleep 1
dunst >"$work/dunst.log" 2>&1 & pids+=($!)
trayer --edge bottom --align right --widthtype request --height 28 --transparent false --tint 0x333333 \
  >/dev/null 2>&1 & pids+=($!)
sleep 1
SCIM_COMPANION_DATA_DIR=$work/data SCIM_COMPANION_WATCH_RUNNER=app SCIM_COMPANION_WATCH_HOUR_SECS=60 \
  "$app" >"$work/app.log" 2>&1 & pids+=($!)

# The first scheduled checks run a second after start; their notifications stay a few seconds.
for _ in $(seq 30); do
  [ -s "$work/data/watch-state.json" ] && break
  sleep 1
done
[ -s "$work/data/watch-state.json" ] || { log "no scheduled check ran; app log:"; cat "$work/app.log" >&2; exit 1; }
sleep 2
import -window root -crop 720x330+980+0 "$out/watch-notification.png"

# dunst runs a notification's default action on a middle click: the third notification is the
# Generic target's, and its action opens that target's Diff page.
xdotool mousemove 1500 250 click 2
sleep 2
import -window root -crop 1280x800+0+0 "$out/watch-notification-click.png"

icon=$(xwininfo -root -tree | grep -m1 'tray-icon' | grep -o '+[0-9]*+[0-9]*$')
[ -n "$icon" ] || { log "the tray icon is not in the tray"; exit 1; }
x=$(cut -d+ -f2 <<<"$icon"); y=$(cut -d+ -f3 <<<"$icon")
xdotool mousemove $((x + 12)) $((y + 12)) click 3
sleep 1.5
import -window root -crop 520x220+1180+780 "$out/watch-tray-menu.png"

# The menu's "AWS IAM Identity Center (demo)" line is the first target entry; its place follows
# the menu's layout above the icon (a line is 25 px).
xdotool mousemove $((x - 200)) $((y - 118)) click 1
sleep 2
import -window root -crop 1280x800+0+0 "$out/watch-open-diff.png"
log "saved watch-notification.png, watch-notification-click.png, watch-tray-menu.png and watch-open-diff.png in docs/screenshots"
