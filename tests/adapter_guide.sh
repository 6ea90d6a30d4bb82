#!/usr/bin/env bash
# adapter_guide.sh BUILD_DIR SOURCE_DIR: runs every ```sh block of
# docs/adapter-guide.md in order, in one shell, with HOME a fresh temporary
# directory, so the guide keeps working as written. Two lines are adapted to
# this test: `./scripts/setup.sh` is skipped (the build exists) and `cmake
# --install build` installs BUILD_DIR. Passes when every command succeeds,
# the checks pass and the run writes its results and report.
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "adapter_guide: $*" >&2; exit 1; }

awk '/^```sh$/ { on = 1; next } /^```$/ { on = 0 } on' "$src/docs/adapter-guide.md" >"$work/guide.sh"
grep -qx './scripts/setup.sh' "$work/guide.sh" || fail "the guide no longer starts with ./scripts/setup.sh"
grep -q '^cmake --install build ' "$work/guide.sh" || fail "the guide no longer installs with cmake --install build"
sed -i -e '/^\.\/scripts\/setup\.sh$/d' -e "s|^cmake --install build |cmake --install \"$build\" |" "$work/guide.sh"
mkdir "$work/home"
(cd "$src" && HOME="$work/home" bash -euo pipefail "$work/guide.sh") >"$work/out.txt" 2>&1 ||
  { tail -30 "$work/out.txt" >&2; fail "a step of the guide failed"; }

engine=$work/home/my-engine
[ "$(grep -c '^result: PASS' "$work/out.txt")" = 3 ] || fail "check-adapter did not pass three times"
grep -q '<testsuite name="./build/libshades_adapter_example.so" tests="[0-9]*" failures="0"' \
  "$engine/check-adapter.xml" || fail "check-adapter --junit wrote no passing check-adapter.xml"
grep -q '(160 given images)' "$work/out.txt" || fail "check-adapter did not use the 160 faces"
grep -q '^capabilities: verify-1:1 embedding detection quality symmetric$' "$work/out.txt" ||
  fail "shades info printed no capabilities by name"
[ -f "$engine/libshades_adapter_example.so" ] || fail "make built no ./libshades_adapter_example.so"
[ -s "$engine/my-engine.h5" ] || fail "the run wrote no my-engine.h5"
grep -q '<svg' "$engine/my-engine.html" || fail "the report has no plots"
grep -q 'Target FMR 0.01: global threshold' "$work/out.txt" || fail "the run printed no tables"
echo "adapter_guide: every step of docs/adapter-guide.md ran"
