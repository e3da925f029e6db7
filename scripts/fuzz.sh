#!/usr/bin/env bash
# The cargo-fuzz targets of the parsers that read untrusted input (docs/fuzzing.md).
#
#   bash scripts/fuzz.sh smoke               build every fuzz crate, run each target briefly (CI)
#   bash scripts/fuzz.sh campaign [TARGET..]  run each target (or the named ones, TARGET or
#                                            CRATE/TARGET) one at a time toward
#                                            FUZZ_RUNS executions (default 10^7), stopping at
#                                            FUZZ_MAX_SECONDS (default 1500); prints one row of
#                                            the table in docs/fuzzing.md per target;
#                                            FUZZ_SANITIZER=none builds without ASan
#
# Each fuzz crate has its own [workspace]; they share one build folder outside the clone
# (FUZZ_TARGET_DIR, default fuzz-smoke or fuzz-build beside CARGO_TARGET_DIR), so dependencies
# they have in common are built once. The smoke builds are unoptimised and without
# AddressSanitizer (a fraction of the build time; the properties are asserted all the same);
# the campaign uses cargo-fuzz's defaults (release, AddressSanitizer). Corpora and crash
# artifacts stay in each crate's fuzz/corpus and fuzz/artifacts (not committed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

MODE="${1:-smoke}"
shift || true
FUZZ_CRATES=(scim saml jumpcloud engine)
# cargo-fuzz passes nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1

case "$MODE" in
  smoke)
    BUILD_FLAGS=(--dev --sanitizer none)
    FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-$(dirname "$CARGO_TARGET_DIR")/fuzz-smoke}"
    ;;
  campaign)
    # FUZZ_SANITIZER=none builds without AddressSanitizer (still release with debug
    # assertions): several times the executions a second, for reaching 10^7 on a small machine.
    # The targets are safe Rust, so what ASan adds is a check of the dependencies' unsafe code.
    case "${FUZZ_SANITIZER:-address}" in
      address)
        BUILD_FLAGS=()
        FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-$(dirname "$CARGO_TARGET_DIR")/fuzz-build}"
        ;;
      none)
        BUILD_FLAGS=(--sanitizer none)
        FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-$(dirname "$CARGO_TARGET_DIR")/fuzz-build-nosan}"
        ;;
      *)
        log "FUZZ_SANITIZER must be address or none"
        exit 2
        ;;
    esac
    ;;
  *)
    log "usage: bash scripts/fuzz.sh smoke | campaign [TARGET...]"
    exit 2
    ;;
esac

ensure_cargo_fuzz

fuzz() {
  local crate=$1; shift
  (cd "$ROOT/src-tauri/crates/$crate/fuzz" && cargo fuzz "$1" "${@:2}")
}

# run_target CRATE TARGET LIBFUZZER_FLAGS...: runs one target; its log goes to
# $FUZZ_TARGET_DIR/logs/CRATE-TARGET.log, its row of the table to stdout.
run_target() {
  local crate=$1 target=$2; shift 2
  local logfile="$FUZZ_TARGET_DIR/logs/$crate-$target.log"
  mkdir -p "$FUZZ_TARGET_DIR/logs"
  local start=$SECONDS code=0
  fuzz "$crate" run "${BUILD_FLAGS[@]}" --target-dir "$FUZZ_TARGET_DIR" "$target" -- \
    -print_final_stats=1 "$@" >"$logfile" 2>&1 || code=$?
  local seconds=$((SECONDS - start))
  local runs rate
  runs=$(grep -m1 'stat::number_of_executed_units' "$logfile" | awk '{print $2}')
  rate=$(grep -m1 'stat::average_exec_per_sec' "$logfile" | awk '{print $2}')
  local crashes=0
  if [ "$code" != 0 ]; then
    crashes=1
    log "$crate/$target FAILED (exit $code) after ${runs:-?} executions; see $logfile and src-tauri/crates/$crate/fuzz/artifacts/$target/"
    grep -m5 -E 'panicked|ERROR|SUMMARY' "$logfile" >&2 || true
  fi
  printf '| `%s` (%s) | %s | %s | %s s | %s | %s |\n' \
    "$target" "$crate" "${runs:-?}" "${rate:-?}" "$seconds" "$crashes" "$(date -u +%F)"
  return "$crashes"
}

failed=0
for crate in "${FUZZ_CRATES[@]}"; do
  log "fuzz: building $crate/fuzz ($MODE)"
  timed fuzz "$crate" build "${BUILD_FLAGS[@]}" --target-dir "$FUZZ_TARGET_DIR"
done
echo "| Target | Executions | exec/s | Duration | Crashes | Date |"
echo "| --- | --- | --- | --- | --- | --- |"
for crate in "${FUZZ_CRATES[@]}"; do
  for target in $(fuzz "$crate" list); do
    if [ "$#" -gt 0 ] && [[ " $* " != *" $target "* && " $* " != *" $crate/$target "* ]]; then
      continue
    fi
    case "$MODE" in
      smoke) run_target "$crate" "$target" -runs=20000 -max_total_time=15 || failed=$((failed + 1)) ;;
      campaign)
        run_target "$crate" "$target" -runs="${FUZZ_RUNS:-10000000}" \
          -max_total_time="${FUZZ_MAX_SECONDS:-1500}" || failed=$((failed + 1))
        ;;
    esac
  done
done
if [ "$failed" -gt 0 ]; then
  log "$failed fuzz target(s) failed"
  exit 1
fi
