#!/usr/bin/env bash
# What the release app's binary is made of: builds the app and the empty Tauri window
# (tests/baseline-app) with the `release-analysis` profile (release with symbols), then sums the
# size of each crate's functions and data from the symbol table, for both, and prints the crates
# that weigh most in the app and what the app adds over the empty window.
# Figures only; nothing asserted. The shipped binaries are the `release` profile, stripped.
#
#   bash scripts/binary-size.sh            # builds both (about 15 minutes on 2 cores)
#   SIZE_SKIP_BUILD=1 bash scripts/binary-size.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

OUT="$CARGO_TARGET_DIR/release-analysis"
if [ "${SIZE_SKIP_BUILD:-0}" != 1 ]; then
  ensure_system_packages
  ensure_rust
  ensure_ui_deps
  build_ui
  timed cargo build --profile release-analysis --locked -p scim-companion-app --features tauri/custom-protocol
  timed cargo build --profile release-analysis --locked -p scim-companion-baseline --features tauri/custom-protocol
fi

python3 - "$OUT/scim-companion-app" "$OUT/scim-companion-baseline" <<'PY'
import collections, re, subprocess, sys

def crate_of(name):
    """The crate a demangled symbol belongs to: the first path segment, looking inside
    `<T as Trait>` and `<impl ...>` forms at the type's crate."""
    n = name.lstrip("<&*").replace("dyn ", "").replace("mut ", "").replace("impl ", "")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", n)
    if m:
        return m.group(1)
    if n.startswith("sqlite3") or n.startswith("sqlite"):
        return "sqlite3 (C)"
    return "(other: C, runtime, unnamed)"

def sizes(path):
    out = subprocess.run(["nm", "--size-sort", "-S", "-C", path], capture_output=True, text=True, check=True).stdout
    total = collections.Counter()
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or parts[2] in "UuwvVW":
            continue
        total[crate_of(parts[3])] += int(parts[1], 16)
    return total

app_path, base_path = sys.argv[1], sys.argv[2]
import os
app, base = sizes(app_path), sizes(base_path)
mib = lambda b: f"{b / 1048576:6.2f}"
print(f"app binary (with symbols): {mib(os.path.getsize(app_path))} MiB, symbols sized {mib(sum(app.values()))} MiB")
print(f"empty window (with symbols): {mib(os.path.getsize(base_path))} MiB, symbols sized {mib(sum(base.values()))} MiB")
print()
print(f"{'crate':<34} {'app MiB':>8} {'empty MiB':>10} {'added MiB':>10}")
for crate, size in app.most_common(40):
    print(f"{crate:<34} {mib(size):>8} {mib(base.get(crate, 0)):>10} {mib(size - base.get(crate, 0)):>10}")
PY
