#!/usr/bin/env bash
# sdk_example.sh BUILD_DIR SOURCE_DIR: installs shades into a temporary
# prefix, builds the example adapter out of tree as a vendor would (CMake
# package, then pkg-config), and passes when check-adapter passes both and
# the man page and bash completion are installed and work.
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
# The man page and the bash completion are installed where man and
# bash-completion look, and work.
cmp -s "$src/docs/shades.1" "$work/prefix/share/man/man1/shades.1" ||
  { echo "sdk: share/man/man1/shades.1 is not docs/shades.1" >&2; exit 1; }
if command -v man >/dev/null; then
  MANPATH="$work/prefix/share/man" man -P cat shades 2>/dev/null | grep -q "check-adapter ADAPTER" ||
    { echo "sdk: man shades does not show the installed page" >&2; exit 1; }
fi
completions=$(bash -c 'source "$1"; COMP_WORDS=(shades check-adapter --ti); COMP_CWORD=2; _shades
                       echo "${COMPREPLY[*]}"' _ "$work/prefix/share/bash-completion/completions/shades")
[ "$completions" = "--timing" ] || { echo "sdk: completion of --ti gave '$completions'" >&2; exit 1; }
echo "sdk: the example builds with CMake and with pkg-config and passes check-adapter; man page and completion installed"
