#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole suite twice: as built,
# and under AddressSanitizer + UndefinedBehaviorSanitizer; then the runner's
# tests (label "runner") under ThreadSanitizer, and each libFuzzer target
# for a short run from its seed corpus (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build
(cd build && ctest --output-on-failure -j "$(nproc)")
./scripts/setup.sh build-asan -DSHADES_SANITIZE=address,undefined
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   LSAN_OPTIONS="suppressions=$PWD/../tests/lsan.supp" ctest --output-on-failure -j "$(nproc)")
./scripts/setup.sh build-tsan -DSHADES_SANITIZE=thread
(cd build-tsan && TSAN_OPTIONS="suppressions=$PWD/../tests/tsan.supp halt_on_error=1" \
   ctest --output-on-failure -j "$(nproc)" -L runner)
./scripts/fuzz.sh "${SHADES_FUZZ_SECONDS:-10}"
