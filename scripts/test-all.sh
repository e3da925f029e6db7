#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, lints, UI type-check/lint/unit tests,
# core crate tests (against a real scim2-server and real SQLite files), the generated-bindings
# check, the app build, and the end-to-end tests that drive the real window under Xvfb.
# A missing display, server or driver fails the run; nothing is skipped silently.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_system_packages
ensure_rust
ensure_python_tools
ensure_tauri_driver
ensure_workflow_linters
ensure_ui_deps
export SCIM2_SERVER_BIN="$VENV/bin/scim2-server"

# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so code that
# stores secrets meets a real Secret Service (the OS keychain) rather than a fake.
with_keychain() {
  dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
}

log "1/9 formatting"
timed cargo fmt --all -- --check

log "2/9 UI: type-check, lint, unit tests, build"
timed npm --prefix ui run check
timed npm --prefix ui run lint
timed npm --prefix ui test
build_ui   # the app embeds ui/dist, so it must exist before clippy and the app build

log "3/9 clippy (all crates, all targets, warnings are errors)"
timed cargo clippy --workspace --all-targets --locked -- -D warnings
# No module of a crate imports back into a circle of more than two files.
timed python3 "$ROOT/scripts/import-circles.py" --check "$ROOT"

log "4/9 core and app tests"
# ts-rs writes ui/src/bindings while these tests run. Starting from an empty folder makes a file
# that no exported type writes any more show up as deleted in step 5, instead of lingering.
rm -rf "$ROOT/ui/src/bindings"
timed with_keychain cargo test --workspace --exclude scim-companion-tests --locked

log "4b/9 reliability checks of plan/apply against the simulators (about 3 min)"
timed bash "$ROOT/scripts/reliability.sh"

log "4c/9 SCIM conformance of the simulators (scim2-tester; generic: no error, AWS/StrongDM: only documented vendor limits)"
timed cargo build -p sim --bin sim-target --locked
timed python3 "$ROOT/scripts/conformance.py" --bin "$CARGO_TARGET_DIR/debug/sim-target"

log "4d/9 fuzz smoke: build the cargo-fuzz crates, run each target briefly (docs/fuzzing.md)"
timed bash "$ROOT/scripts/fuzz.sh" smoke

log "5/9 generated TypeScript bindings are current"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  stale=$(git -C "$ROOT" status --porcelain -- ui/src/bindings)
  if [ -n "$stale" ]; then
    log "ui/src/bindings is stale (a ' D' line is a file no type exports any more); run the tests and commit the regenerated files:"
    printf '%s\n' "$stale" >&2
    exit 1
  fi
else
  log "not a git checkout: skipping the bindings drift check"
fi

log "6/9 app build"
timed cargo build -p scim-companion-app --locked

log "7/9 end-to-end tests in the real window (Xvfb, tauri-driver, WebKitWebDriver)"
timed with_keychain xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p scim-companion-tests --locked -- --test-threads=1

log "8/9 installers: build the .deb and .rpm, install the .deb, launch it under Xvfb"
timed bash "$ROOT/scripts/test-installers.sh"

log "9/9 the release workflow passes its schema and actionlint"
timed check-jsonschema --builtin-schema vendor.github-workflows "$ROOT"/.github/workflows/*.yml
timed actionlint "$ROOT"/.github/workflows/*.yml

log "all tests passed"
