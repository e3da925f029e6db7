#!/usr/bin/env bash
# Builds the Linux installers (.deb and .rpm, release), installs the .deb into this machine with
# dpkg, launches the installed app under Xvfb and checks that its window loads the UI (the page
# calls `app_ready`; with SCIM_COMPANION_STARTUP_PROBE=exit the app prints READY and quits), then
# runs the E2E security checks against that installed release binary.
# AppImage is not built here: its tooling downloads AppRun from GitHub, which these machines
# cannot reach; the release workflow (.github/workflows/release.yml) builds it.
# Called by scripts/test-all.sh; also runnable on its own after the set-up there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_system_packages
ensure_rust
ensure_ui_deps

log "building the release bundles (.deb, .rpm)"
# The Tauri CLI runs build.beforeBuildCommand (the UI build) from the repository root.
timed "$ROOT/ui/node_modules/.bin/tauri" build --bundles deb,rpm --ci

deb=$(newest_bundle deb)
rpm=$(newest_bundle rpm)
log "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) and $(basename "$rpm") ($(du -k "$rpm" | cut -f1) KiB)"

# The package must describe itself and pull in WebKit; fail loudly when the metadata regresses.
fields=$(dpkg-deb -f "$deb" Package Version Depends Description)
# The tray loads libayatana-appindicator3 at run time, so the package must pull it in.
for want in "Package: scim-companion" "libwebkit2gtk-4.1" "libayatana-appindicator3-1" "Description:"; do
  grep -q "$want" <<<"$fields" || { log "the .deb metadata lacks '$want':"; echo "$fields" >&2; exit 1; }
done
# List once into a variable: `dpkg-deb -c | grep -q` dies of SIGPIPE under pipefail.
contents=$(dpkg-deb -c "$deb")
grep -q 'usr/share/applications/.*\.desktop' <<<"$contents" \
  || { log "the .deb has no .desktop entry"; exit 1; }
grep -q 'usr/share/icons/hicolor/128x128/apps/' <<<"$contents" \
  || { log "the .deb has no 128x128 icon"; exit 1; }

log "installing $(basename "$deb") with dpkg"
timed as_root dpkg -i "$deb"
files=$(dpkg -L "$(dpkg-deb -f "$deb" Package)")
installed=$(grep -m1 '^/usr/bin/scim-companion-app$' <<<"$files" || true)
[ -n "$installed" ] && [ -x "$installed" ] || { log "the installed package has no /usr/bin/scim-companion-app"; exit 1; }
# The watcher the app's scheduled checks register as a background job ships beside the app.
cli=$(grep -m1 '^/usr/bin/scim-companion$' <<<"$files" || true)
[ -n "$cli" ] && [ -x "$cli" ] || { log "the installed package has no /usr/bin/scim-companion (the watcher)"; exit 1; }
"$cli" --version | grep -q '^scim-companion ' || { log "the installed $cli does not run"; exit 1; }
log "the installed package has the watcher: $("$cli" --version)"
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null || true)
if [ -n "$rpm_files" ]; then
  grep -qx '/usr/bin/scim-companion' <<<"$rpm_files" || { log "the .rpm lacks /usr/bin/scim-companion"; exit 1; }
fi

log "launching the installed $installed under Xvfb"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
out=$(SCIM_COMPANION_DATA_DIR="$data" SCIM_COMPANION_STARTUP_PROBE=exit \
  timeout 90 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$installed" 2>&1 || true)
if ! grep -q '^READY' <<<"$out"; then
  log "the installed app did not load its window; its output:"
  echo "$out" >&2
  exit 1
fi
log "the installed app loaded its window: $(grep -m1 '^READY' <<<"$out")"

# The security checks of tests/e2e/security.rs and security/ (capability, iframes, window creation, CSP, no
# keychain) against the installed release binary, which is what users run (docs/security.md).
log "security checks against the installed $installed"
timed env SCIM_COMPANION_APP="$installed" dbus-run-session -- \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p scim-companion-tests --locked --test e2e -- security:: --test-threads=1
