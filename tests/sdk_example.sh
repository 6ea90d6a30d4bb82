#!/usr/bin/env bash
# sdk_example.sh BUILD_DIR SOURCE_DIR: installs shades into a temporary
# prefix, builds the example adapter out of tree as a vendor would (CMake
# package, then pkg-config), and passes when check-adapter passes both.
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cp -r "$work/prefix/share/shades/adapter-example" "$work/vendor"
cmake -S "$work/vendor" -B "$work/vendor/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/vendor/build" >/dev/null
"$work/prefix/bin/shades" check-adapter "$work/vendor/build/libshades_adapter_example.so"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(gcc -print-multiarch)/pkgconfig" \
  make -s -C "$work/vendor" >/dev/null
"$work/prefix/bin/shades" check-adapter "$work/vendor/libshades_adapter_example.so" >/dev/null
# The installed CLI finds its built-in adapters.
"$work/prefix/bin/shades" info synthetic >/dev/null
echo "sdk: the example builds with CMake and with pkg-config and passes check-adapter"
