#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]: builds the libFuzzer targets with clang
# (ASan + UBSan) into build-fuzz and runs each for SECONDS (default 10) from
# its seed corpus in tests/fuzz/corpus. New inputs go to build-fuzz/corpus,
# never into the repository. A crash, leak or sanitizer report fails the
# run and leaves the input in build-fuzz/crashes (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest config card model_card pairs import)
./scripts/setup.sh build -DSHADES_WERROR=ON >/dev/null   # the packages, clang among them
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHADES_FUZZ=ON \
  -DSHADES_WERROR=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" $(printf -- '--target fuzz_%s ' "${targets[@]}") >/dev/null
mkdir -p build-fuzz/crashes
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  log=build-fuzz/fuzz_$t.log
  if ! (cd build-fuzz/crashes && "../tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=8192 \
          -timeout=10 -rss_limit_mb=2048 "../corpus/$t" "../../tests/fuzz/corpus/$t") >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz: $t failed; the input is in build-fuzz/crashes" >&2
    exit 1
  fi
  echo "fuzz: $t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log"), no crash"
done
