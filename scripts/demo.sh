#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build
./build/shades demo --out out
