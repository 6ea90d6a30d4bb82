#!/usr/bin/env bash
# frvt_bridge.sh SHADES DEMO_DIR FRVT_LIB: runs the demo config once with
# the synthetic adapter and once through the frvt11 bridge over an FRVT 1:1
# library built on the same model, and passes when the two results files
# hold the same tables (only the adapter's identity, config, model files
# and times may differ; threads too: the bridge declares one call at a time).
set -euo pipefail
shades=$1 demo=$(cd "$2" && pwd) lib=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=$(sed -n 's/^ *seed: *\([0-9]*\).*/\1/p' "$demo/demo.yaml" | head -1)
mkdir "$work/native" "$work/bridge" "$work/frvt-config"
# The synthetic options become the FRVT library's model file, with the run seed.
sed -n 's/^ *- \([a-z0-9_]*=[^ ]*\).*/\1/p' "$demo/demo.yaml" >"$work/frvt-config/model.txt"
echo "seed=$seed" >>"$work/frvt-config/model.txt"
sed -e "s|manifest: .*|manifest: $demo/demo-cohort/manifest.csv|" \
    -e "s|card: [^ ]*|card: $demo/demo-cohort/card.yaml|" "$demo/demo.yaml" >"$work/native/run.yaml"
awk -v lib="$lib" -v dir="$work/frvt-config" '
  /^engine:/ { print; print "  adapter: frvt11"; print "  config_dir: " dir;
               print "  options:"; print "    - library=" lib; skip = 1; next }
  skip && /^[a-z]/ { skip = 0 }
  !skip { print }' "$work/native/run.yaml" >"$work/bridge/run.yaml"
for r in native bridge; do
  set +e
  "$shades" run "$work/$r/run.yaml" >"$work/$r/out.txt" 2>"$work/$r/err.txt"
  status=$?
  set -e
  [ "$status" -le 1 ] || { echo "$r run failed with status $status:" >&2; cat "$work/$r/err.txt" >&2; exit 1; }
done
strip() {
  (cd "$(dirname "$1")" && h5dump "$(basename "$1")") | awk '
    /ATTRIBUTE "(created|config|config_path|threads|adapter_[a-z0-9_]*)"/ ||
    /DATASET "model_files"/ { skip = 1; depth = 0 }
    skip { o = gsub(/{/, "{"); c = gsub(/}/, "}"); depth += o - c
           if (depth <= 0 && (o || c)) skip = 0; next }
    { gsub(/DATASET [0-9]+ /, "DATASET "); print }'
}
if ! diff <(strip "$work/native/demo.h5") <(strip "$work/bridge/demo.h5") >"$work/diff"; then
  echo "the bridge's results differ from the native engine's:" >&2
  head -40 "$work/diff" >&2
  exit 1
fi
strip "$work/bridge/demo.h5" >"$work/dump"
grep -q '"fnmr_max_geomean_hi"' "$work/dump"
grep -q "engine frvt11" "$work/bridge/out.txt"
echo "frvt11 bridge: same tables as the native engine"
