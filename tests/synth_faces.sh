#!/usr/bin/env bash
# synth_faces.sh SHADES DIR: renders a small good-light cohort into DIR (kept
# for the OpenCV engine tests) and passes when the output is complete,
# deterministic whatever the thread count, and bound to its card.
set -euo pipefail
shades=$1 dir=$2
rm -rf "$dir" "$dir.again"
"$shades" synth "$dir" --subjects 40 --images 2 --seed 7 --threads 2 \
  --set illumination_min=0.9 >/dev/null
"$shades" synth "$dir.again" --subjects 40 --images 2 --seed 7 --threads 1 \
  --set illumination_min=0.9 >/dev/null
fail() { echo "synth_faces: $*" >&2; exit 1; }
# Settings that only break together are checked once all are applied:
# raising both ends of the light range works in either order.
"$shades" synth "$dir.order" --subjects 2 --images 1 --set illumination_min=1.5 \
  --set illumination_max=2 >/dev/null || fail "illumination_min=1.5 before illumination_max=2"
rm -rf "$dir.order"
[ "$(ls "$dir/images" | wc -l)" = 80 ] || fail "expected 80 images"
diff -r "$dir/images" "$dir.again/images" >/dev/null || fail "images differ between runs"
cmp -s "$dir/manifest.csv" "$dir.again/manifest.csv" || fail "manifests differ between runs"
head -1 "$dir/manifest.csv" | grep -qx \
  'image_id,subject_id,path,sex,skin_type,ita,illumination,light_angle,roll,yaw,pitch,smile,mouth_open,exposure,noise_sd,blur' \
  || fail "manifest header: $(head -1 "$dir/manifest.csv")"
sha=$(sha256sum "$dir/manifest.csv" | cut -d' ' -f1)
grep -q "manifest_sha256: $sha" "$dir/card.yaml" || fail "card does not carry the manifest's sha256"
grep -q "consent: not applicable - no real person is pictured" "$dir/card.yaml" || fail "card consent"
# Every skin type and both sexes appear; illumination honours the setting.
for t in I II III IV V VI; do
  cut -d, -f5 "$dir/manifest.csv" | grep -qx "$t" || fail "no subject of skin type $t"
done
awk -F, 'NR > 1 && ($7 < 0.9 || $7 > 1.0) { bad = 1 } END { exit bad }' "$dir/manifest.csv" \
  || fail "an illumination outside 0.9-1.0"
# A different seed gives different faces.
"$shades" synth "$dir.again" --subjects 40 --images 2 --seed 8 >/dev/null
cmp -s "$dir/images/s00001_0.png" "$dir.again/images/s00001_0.png" && fail "seed ignored"
rm -rf "$dir.again"
echo "synth: 80 faces, deterministic, carded"
