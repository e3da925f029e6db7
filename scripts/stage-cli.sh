#!/usr/bin/env bash
# Builds the `scim-companion` CLI (release) and puts it where the Linux packages pick it up
# (src-tauri/bundle-extra/, see bundle.linux in tauri.conf.json): the app's scheduled checks
# run it as a background job, so it is installed beside the app as /usr/bin/scim-companion.
# Tauri runs this as build.beforeBundleCommand, after the app's own release build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
cargo build --manifest-path "$root/Cargo.toml" --release --locked -p scim-companion-cli
mkdir -p "$root/src-tauri/bundle-extra"
install -m 0755 "$target_dir/release/scim-companion" "$root/src-tauri/bundle-extra/scim-companion"
echo "staged $(du -k "$root/src-tauri/bundle-extra/scim-companion" | cut -f1) KiB CLI for the packages"
