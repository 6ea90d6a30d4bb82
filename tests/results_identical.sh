#!/usr/bin/env bash
# results_identical.sh SHADES DEMO_DIR [ENGINE]: runs the demo config twice,
# in two directories with one and with two threads, and passes when the two
# results files hold identical data: only the attributes created, threads
# and config_path may differ (manifest_path may not: it is the file's). ENGINE swaps the synthetic engine for another
# built-in without options (example: a declared embedding, so every
# impostor pair is scored block by block with BLAS).
set -euo pipefail
shades=$1 demo=$(cd "$2" && pwd) engine=${3:-}
. "$(dirname "$0")/h5_strip.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run 2 names its dataset through a link beside its config, and starts in
# the folder above: the manifest_path it records is still run 1's.
for t in 1 2; do
  mkdir "$work/$t"
  data=$demo/demo-cohort
  if [ "$t" = 2 ]; then
    ln -s "$demo/demo-cohort" "$work/2/cohort"
    data=cohort
  fi
  sed -e "s|manifest: .*|manifest: $data/manifest.csv|" \
      -e "s|card: [^ ]*|card: $data/card.yaml|" "$demo/demo.yaml" >"$work/$t/run.yaml"
  if [ -n "$engine" ]; then
    sed -i -e "s|adapter: synthetic|adapter: $engine|" -e '/^  options:/d' \
        -e '/^    - [a-z0-9_]*=/d' "$work/$t/run.yaml"
  fi
  set +e
  (cd "$work" && "$shades" run "$t/run.yaml" --threads "$t" >/dev/null)
  status=$?
  set -e
  [ "$status" -le 1 ] || { echo "run $t failed with status $status" >&2; exit 1; }
done
# The configs' texts differ in that one path.
if ! diff <(h5_strip "$work/1/demo.h5" config) <(h5_strip "$work/2/demo.h5" config) \
     >"$work/diff"; then
  echo "results differ between runs:" >&2
  head -40 "$work/diff" >&2
  exit 1
fi
# The filter must not have hidden the data itself.
h5_strip "$work/1/demo.h5" >"$work/dump"
grep -q '"fnmr_max_geomean_hi"' "$work/dump"
