#!/usr/bin/env bash
# build_matrix.sh [COMPILER...]: compiles (no tests) every target as Release
# and as RelWithDebInfo with each compiler (default: gcc clang), warnings as
# errors, into build-matrix/COMPILER-TYPE. scripts/test.sh runs it last.
set -euo pipefail
cd "$(dirname "$0")/.."
compilers=("$@")
[ ${#compilers[@]} -gt 0 ] || compilers=(gcc clang)
for cc in "${compilers[@]}"; do
  case "$cc" in
    gcc) cxx=g++ ;;
    clang) cxx=clang++ ;;
    *) echo "build_matrix: unknown compiler '$cc' (gcc or clang)" >&2; exit 2 ;;
  esac
  for type in Release RelWithDebInfo; do
    dir=build-matrix/$cc-$type
    echo "build_matrix: $cc $type"
    CC=$cc CXX=$cxx ./scripts/setup.sh "$dir" -DCMAKE_BUILD_TYPE=$type -DSHADES_WERROR=ON \
      -DCMAKE_C_COMPILER=$cc -DCMAKE_CXX_COMPILER=$cxx >/dev/null
  done
done
echo "build_matrix: ${compilers[*]} x Release, RelWithDebInfo: built with no warning"
