#!/usr/bin/env bash
# onnx_engine.sh SHADES WORK MODELS PYTHON: runs opencv-onnx with the real
# faceplugin models (scripts/fetch_models.py installs them under MODELS) on
# 120 generated faces of 40 subjects: check-adapter passes; a verification
# run finds every face, separates genuine from impostor pairs and gives the
# same tables twice; a classification run estimates sex better than a coin.
# The bounds are docs/opencv-adapters.md's measured figures with a margin.
# Without the models it skips (77), or fails when CI is set.
set -euo pipefail
shades=$1 work=$2 models=$3 python=$4
set_dir=$models/faceplugin-face-recognition-js-0.0.1
for f in fr_detect fr_landmark fr_feature fr_gender fr_age; do
  if [ ! -r "$set_dir/$f.onnx" ]; then
    echo "onnx_engine: missing $set_dir/$f.onnx; run scripts/fetch_models.py (or set SHADES_MODELS)"
    [ -n "${CI:-}" ] && exit 1
    exit 77
  fi
done
fail() { echo "onnx_engine: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
"$shades" synth "$work/faces" --subjects 40 --images 3 --seed 7 --threads 2 >/dev/null
opts=(detector=fr_detect.onnx landmark=fr_landmark.onnx feature=fr_feature.onnx
      gender=fr_gender.onnx age=fr_age.onnx)
config() { # name, protocol section
  cat > "$work/$1.yaml" <<YAML
run: {name: $1, seed: 1, threads: 2, bootstrap: 100}
dataset: {manifest: faces/manifest.csv, card: faces/card.yaml}
engine:
  adapter: opencv-onnx
  config_dir: $set_dir
  model_card: $set_dir/card.yaml
  options: [$(IFS=,; echo "${opts[*]}")]
groups: {partitions: [sex, skin_type]}
$2
output: {results: $1.h5}
YAML
}

args=()
for o in "${opts[@]}"; do args+=(--option "$o"); done
"$shades" check-adapter opencv-onnx --images "$work/faces" --config-dir "$set_dir" "${args[@]}" \
  > "$work/check.txt" || fail "check-adapter: $(grep FAIL "$work/check.txt")"
grep -Eq "PASS  embedding +512 floats at byte 8, cosine" "$work/check.txt" || fail "embedding check"
grep -q "PASS  attributes" "$work/check.txt" || fail "attributes check"

config ver "verification: {target_fmr: [1e-1, 1e-2]}"
config again "verification: {target_fmr: [1e-1, 1e-2]}"
sed -i 's/threads: 2/threads: 1/' "$work/again.yaml"
config cls "classification: {attribute: sex, classes: [F, M]}"
for c in ver again cls; do
  "$shades" run "$work/$c.yaml" --progress off > "$work/$c.txt" \
    || fail "run $c: $(tail -3 "$work/$c.txt")"
done
for t in det score_density groups eer; do
  cmp -s <(h5dump -d /verification/$t "$work/ver.h5" | tail -n +3) \
         <(h5dump -d /verification/$t "$work/again.h5" | tail -n +3) \
    || fail "/verification/$t differs between a run on 2 threads and one on 1"
done
"$python" - "$work/ver.h5" "$work/cls.h5" <<'PY'
import sys
import h5py
import numpy as np
text = lambda v: v.decode() if isinstance(v, bytes) else v
ver = h5py.File(sys.argv[1], "r")
rows = [r for r in ver["/verification/groups"][()] if text(r["group"]) == "All"]
fte = rows[0]["fte"]
fnmr = [r["fnmr"] for r in rows if abs(r["target_fmr"] - 1e-2) < 1e-12][0]
det = [r for r in ver["/verification/det"][()] if text(r["group"]) == "All"]
fmr = np.array([r["fmr"] for r in det])
tar = 1 - np.array([r["fnmr"] for r in det])
o = np.lexsort((tar, fmr))
x = np.concatenate(([0.0], fmr[o], [1.0]))
y = np.concatenate(([tar[o][0]], tar[o], [1.0]))
auc = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
# The installed card is the shipped one, byte for byte, and the run says so.
shipped = text(ver["/engine/model_card"].attrs["shipped_as"])
if shipped != "configs/models/faceplugin-face-recognition-js-0.0.1.yaml":
    sys.exit(f"onnx_engine: shipped_as is '{shipped}'")
cls = h5py.File(sys.argv[2], "r")
err = [r for r in cls["/classification/groups"][()] if text(r["group"]) == "All"][0]
acc = 1 - err["error_rate"]
print(f"opencv-onnx on 120 generated faces: FTE {fte:.3f}, AUC {auc:.4f}, "
      f"FNMR {fnmr:.4f} at FMR 1e-2, sex accuracy {acc:.3f}")
bad = []
if fte > 0.05: bad.append(f"FTE {fte} above 0.05")
if auc < 0.97: bad.append(f"AUC {auc} below 0.97")
if fnmr > 0.15: bad.append(f"FNMR {fnmr} at FMR 1e-2 above 0.15")
if acc < 0.55: bad.append(f"sex accuracy {acc} below 0.55")
if bad:
    sys.exit("onnx_engine: " + "; ".join(bad))
PY
echo "onnx_engine: check-adapter, bounds and identical reruns as documented"
