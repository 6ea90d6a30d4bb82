#!/usr/bin/env bash
# opencv_engines.sh SHADES FACES WORK PYTHON SRC: runs both OpenCV engines
# over the good-light faces that synth_faces.sh rendered into FACES.
# opencv-classic must find most of the faces; opencv-dnn runs with the
# stand-in ONNX models tests/models/make_test_models.py writes, so its
# loading, detection parsing, alignment and embedding code really run, and
# declares the embedding length of whichever recognizer it is given.
set -euo pipefail
shades=$1 faces=$(cd "$2" && pwd) work=$3 python=$4 src=$5
rm -rf "$work" && mkdir -p "$work"
fail() { echo "opencv_engines: $*" >&2; exit 1; }
config() { # engine, options list, results name
  cat > "$work/$3.yaml" <<YAML
run: {name: $3, seed: 1, threads: 2, bootstrap: 100}
dataset: {manifest: $faces/manifest.csv, card: $faces/card.yaml}
engine: {adapter: $1, options: [$2]}
groups: {partitions: [sex, skin_type]}
verification: {target_fmr: [1e-2]}
output: {results: $3.h5}
YAML
}
config opencv-classic "" classic
"$shades" run "$work/classic.yaml" --progress off > "$work/classic.txt" || [ $? = 1 ]
fte=$(awk '$1 == "All" { sub("%", "", $2); print $2; exit }' "$work/classic.txt")
echo "opencv-classic: failure to enrol ${fte}% under good light"
awk -v f="$fte" 'BEGIN { exit !(f < 25) }' || fail "cascade missed ${fte}% of good-light faces"
h5dump -a /adapter_name "$work/classic.h5" | grep -q '"opencv-classic"' || fail "results name"

"$python" "$src/tests/models/make_test_models.py" "$work"
opts="detector=yunet-test.onnx, recognizer=sface-test.onnx, detect_size=160"
config opencv-dnn "$opts" dnn
sed -i "s|^engine: {|engine: {config_dir: $work, |" "$work/dnn.yaml"
"$shades" run "$work/dnn.yaml" --progress off > "$work/dnn.txt" || [ $? = 1 ]
grep -q "verification of 80 images of 40 subjects, engine opencv-dnn" "$work/dnn.txt" \
  || fail "dnn run: $(head -3 "$work/dnn.txt")"
fte=$(awk '$1 == "All" { sub("%", "", $2); print $2; exit }' "$work/dnn.txt")
[ "$fte" = "0.0" ] || fail "the stand-in detector should find every face, FTE ${fte}%"
"$shades" check-adapter opencv-dnn --images "$faces/images" --config-dir "$work" \
  --option detector=yunet-test.onnx --option recognizer=sface-test.onnx \
  --option detect_size=160 | tee "$work/check.txt" | tail -1
grep -Eq "PASS  embedding +128 floats at byte 8, cosine" "$work/check.txt" || fail "embedding check"
grep -q "result: PASS" "$work/check.txt" || fail "check-adapter opencv-dnn"
# The feature length is the recognizer's, not a constant.
"$shades" check-adapter opencv-dnn --images "$faces/images" --config-dir "$work" --max-images 8 \
  --option detector=yunet-test.onnx --option recognizer=sface-test-64.onnx \
  --option detect_size=160 --timing off > "$work/check64.txt" || fail "check-adapter, 64 floats"
grep -Eq "PASS  embedding +64 floats at byte 8, cosine" "$work/check64.txt" \
  || fail "embedding of a 64-float recognizer: $(grep embedding "$work/check64.txt")"
