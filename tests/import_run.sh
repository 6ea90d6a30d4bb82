#!/usr/bin/env bash
# import_run.sh SHADES WORK: every importer's output runs. A generated
# cohort's code images (no real face) are laid out as each published
# dataset lays out its images, with metadata in that dataset's format;
# `shades import` turns each into a manifest, pair list and card; the run
# refuses the card while it still reads TODO, naming the field, and once
# it is filled in, the synthetic engine runs over the imported images from
# another working directory (docs/datasets.md, "The dataset root").
set -euo pipefail
shades=$1 work=$2
expect="$(cd "$(dirname "$0")" && pwd)/expect_error.sh"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$shades" cohort cohort --subjects 10 --images 2 >/dev/null
# Each cohort image as: image_id subject sex skin_type (F/M, I-VI).
tail -n +2 cohort/manifest.csv | tr , ' ' | awk '{print $1, $2, $4, $5}' >images.txt
img() { echo "cohort/images/$1.png"; }

# ---- PPB: metadata CSV (with a spreadsheet's byte-order mark), images
# in a folder named by --images.
mkdir -p tree/ppb/imgs
{ printf '\xef\xbb\xbfimage_id,filename,gender,fitzpatrick skin type category,bi.fitz,country\n'
  while read -r id subj sex type; do
    cp "$(img "$id")" "tree/ppb/imgs/$id.jpg"
    n=$(case $type in I) echo 1;; II) echo 2;; III) echo 3;; IV) echo 4;; V) echo 5;; *) echo 6;; esac)
    bin=$([ "$n" -le 3 ] && echo lighter || echo darker)
    echo "$id,$id.jpg,$([ "$sex" = F ] && echo Female || echo Male),$n,$bin,Iceland"
  done <images.txt; } >tree/ppb/PPB-2017-metadata.csv
"$shades" import ppb tree/ppb/PPB-2017-metadata.csv -o data/ppb --images tree/ppb/imgs >/dev/null

# ---- FairFace: labels CSV beside its val/ folder (the default root).
mkdir -p tree/fairface/val
{ echo file,age,gender,race,service_test
  k=0
  while read -r id subj sex type; do
    k=$((k + 1))
    cp "$(img "$id")" "tree/fairface/val/$k.jpg"
    echo "val/$k.jpg,20-29,$([ "$sex" = F ] && echo Female || echo Male),Black,True"
  done <images.txt; } >tree/fairface/fairface_label_val.csv
"$shades" import fairface tree/fairface/fairface_label_val.csv -o data/fairface >/dev/null

# ---- UTKFace: the folder of age_gender_race_datetime.jpg files, imported
# as its README says: `shades import utkface UTKFace -o DIR`.
mkdir -p tree/UTKFace
k=0
while read -r id subj sex type; do
  k=$((k + 1))
  cp "$(img "$id")" "tree/UTKFace/$((20 + k))_$([ "$sex" = F ] && echo 1 || echo 0)_1_2017011617452512$k.jpg.chip.jpg"
done <images.txt
(cd tree && "$shades" import utkface UTKFace -o ../data/utkface >/dev/null)

# ---- RFW: test/txts/<Race>/<Race>_pairs.txt and test/data/<Race>/<id>/;
# the folder of pair lists imports every race at once. A list is ten folds
# of one size, each its mated lines then its non-mated ones: here fold i is
# subject i's two images, then its first against the next subject's second.
for race in African Asian; do
  mkdir -p "tree/rfw/test/txts/$race"
  rids=()
  while read -r id subj sex type; do
    rid="m.$race$subj" n=$(( ${id##*_} + 1 ))
    mkdir -p "tree/rfw/test/data/$race/$rid"
    cp "$(img "$id")" "tree/rfw/test/data/$race/$rid/${rid}_000$n.jpg"
    [ "$n" = 1 ] && rids+=("$rid")
  done <images.txt
  for ((i = 0; i < ${#rids[@]}; i++)); do
    printf '%s\t1\t2\n' "${rids[i]}"
    printf '%s\t1\t%s\t2\n' "${rids[i]}" "${rids[(i + 1) % ${#rids[@]}]}"
  done >"tree/rfw/test/txts/$race/${race}_pairs.txt"
done
sed -i '1s/^/\xef\xbb\xbf/' tree/rfw/test/txts/Asian/Asian_pairs.txt   # a byte-order mark
"$shades" import rfw tree/rfw/test/txts -o data/rfw --images tree/rfw/test/data >/dev/null
[ "$(cut -d, -f4 data/rfw/manifest.csv | sort -u | tr '\n' ' ')" = "African Asian race " ] \
  || fail "rfw: one manifest of both races"
# The race files named one by one give the same manifest and pairs.
"$shades" import rfw tree/rfw/test/txts/African/African_pairs.txt \
  tree/rfw/test/txts/Asian/Asian_pairs.txt -o rfw-files --images tree/rfw/test/data >/dev/null
cmp data/rfw/manifest.csv rfw-files/manifest.csv || fail "rfw: files and folder differ"
cmp data/rfw/pairs.csv rfw-files/pairs.csv || fail "rfw: files' and folder's pairs differ"

# ---- BFW: the datatable, with images under faces/<subgroup>/<id>/.
mkdir -p tree/bfw/faces
{ echo fold,p1,p2,label,id1,id2,att1,att2,vgg2,a1,a2,g1,g2,e1,e2
  while read -r id subj sex type; do
    att=$([ "$sex" = F ] && echo black_females || echo black_males)
    mkdir -p "tree/bfw/faces/$att/$subj"
    cp "$(img "$id")" "tree/bfw/faces/$att/$subj/${id##*_}.jpg"
  done <images.txt
  awk '{ att = ($3 == "F") ? "black_females" : "black_males"; p[NR] = att "/" $2 "/" substr($1, length($1)) ".jpg"
         s[NR] = $2; a[NR] = att; g[NR] = $3 }
       END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
               printf "1,%s,%s,%d,%s,%s,%s,%s,0.5,B,B,%s,%s,B%s,B%s\n", p[i], p[j], s[i] == s[j],
                      s[i], s[j], a[i], a[j], g[i], g[j], g[i], g[j] }' images.txt
} >tree/bfw/bfw-datatable.csv
"$shades" import bfw tree/bfw/bfw-datatable.csv -o data/bfw --images tree/bfw/faces >/dev/null

# ---- each import runs, from another working directory
for ds in ppb fairface utkface rfw bfw; do
  dir=$work/data/$ds
  [ -s "$dir/card.yaml" ] || fail "$ds: no card.yaml"
  sha=$(sha256sum "$dir/manifest.csv" | cut -d' ' -f1)
  grep -q "^manifest_sha256: $sha\$" "$dir/card.yaml" || fail "$ds: card's manifest_sha256"
  if [ -e "$dir/pairs.csv" ]; then
    protocol="verification: {pairs: {file: pairs.csv}, target_fmr: [0.1]}"
    [ $ds = rfw ] && partition=race || partition=sex
  else
    protocol="classification: {attribute: sex, classes: [F, M]}"
    partition=sex
  fi
  cat >"$dir/run.yaml" <<YAML
run: {name: import-$ds, bootstrap: 0}
dataset: {manifest: manifest.csv, card: card.yaml}
engine: {adapter: synthetic}
groups: {partitions: [$partition]}
$protocol
output: {results: $ds.h5}
YAML
  line=$(grep -n '^licence:' "$dir/card.yaml" | cut -d: -f1)
  "$expect" 2 \
    "shades: error: $dir/card.yaml:$line: field 'licence': still TODO; fill it in before a run (docs/datasets.md)" \
    "$shades" run "$dir/run.yaml" --no-checkpoint --progress off
  sed -i 's/"TODO: [^"]*"/"filled in by the test"/' "$dir/card.yaml"
  (cd / && "$shades" run "$dir/run.yaml" --no-checkpoint --progress off >"$work/$ds.txt" 2>"$work/$ds.err") \
    || { cat "$work/$ds.err" >&2; fail "$ds: the run over the imported images failed"; }
  [ -s "$dir/$ds.h5" ] || fail "$ds: no results file"
  echo "$ds: imported and run"
done

# dataset.root in the config overrides the card's root: the images moved.
mv tree/ppb/imgs moved-imgs
(cd / && "$shades" run "$work/data/ppb/run.yaml" --no-checkpoint --progress off >/dev/null 2>&1) \
  && fail "ppb: ran without its images"
# Replay opens no image, so it runs without them.
{ echo image_id,predicted; cut -d, -f1,4 data/ppb/manifest.csv | tail -n +2; } >data/ppb/predictions.csv
sed -e 's/^engine: .*/engine: {adapter: replay, predictions: {file: predictions.csv}}/' \
  -e 's/ppb.h5/replay.h5/' data/ppb/run.yaml >data/ppb/replay.yaml
"$shades" run data/ppb/replay.yaml --progress off >/dev/null || fail "ppb: replay needed the images"
sed -i "s|^dataset: {|dataset: {root: $work/moved-imgs, |" data/ppb/run.yaml
(cd / && "$shades" run "$work/data/ppb/run.yaml" --no-checkpoint --progress off >/dev/null) \
  || fail "ppb: dataset.root did not find the moved images"
mv moved-imgs tree/ppb/imgs

# A second import keeps the card the user filled in.
"$shades" import ppb tree/ppb/PPB-2017-metadata.csv -o data/ppb --images tree/ppb/imgs >out.txt
grep -q "card.yaml: kept as it was" out.txt || fail "a second import did not keep the card"
grep -q "filled in by the test" data/ppb/card.yaml || fail "a second import overwrote the card"
