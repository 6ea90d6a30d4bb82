#!/usr/bin/env bash
# Installs the Debian packages shades needs (only those missing), then
# configures and builds into build/ (or $1, with extra cmake arguments after).
# SHADES_EXTRA_PACKAGES names more Debian packages to install the same way
# (scripts/test.sh: chromium and a font, for the report's browser test).
# Last it fetches the pretrained model sets configs/models/ pins (checked by
# SHA-256) into ${SHADES_MODELS:-models}/: the only download outside apt.
set -euo pipefail
cd "$(dirname "$0")/.."

# The compiler-rt package (sanitizer and libFuzzer runtimes) of the clang that
# builds: the installed clang's major version, else the distribution's default
# (libclang-rt-dev depends on the one that matches the default clang).
clang_rt_package() {
  local major
  major=$(clang -dumpversion 2>/dev/null | cut -d. -f1) || true
  if [ -n "$major" ] && apt-cache show "libclang-rt-$major-dev" >/dev/null 2>&1; then
    echo "libclang-rt-$major-dev"
  else
    echo libclang-rt-dev
  fi
}

packages=(build-essential cmake pkg-config libhdf5-dev hdf5-tools libcsv-dev libcyaml-dev libyaml-dev
          libgsl-dev libssl-dev libcmocka-dev libopencv-core-dev libopencv-imgproc-dev
          libopencv-imgcodecs-dev libopencv-objdetect-dev libopencv-dnn-dev libopencv-contrib-dev
          opencv-data libopenblas-dev zlib1g-dev python3-onnx python3-numpy python3-h5py
          libzstd-dev python3-pandas python3-yaml clang
          libcurl4-openssl-dev libjansson-dev libopenmpi-dev openmpi-bin
          "$(clang_rt_package)")
# shellcheck disable=SC2206 # a list of package names, split on spaces
packages+=(${SHADES_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build="${1:-build}"
shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
/usr/bin/python3 scripts/fetch_models.py
