#!/usr/bin/env bash
# datasets_cli.sh SHADES FIXTURES WORK DEMO_DIR: the importers turn each
# published layout into the expected manifest; replay reproduces a Gender
# Shades table from predictions and BFW-style per-subgroup rates from score
# columns; a 1:N run over the synthetic engine reports FNIR and FPIR per
# group; cards bind a manifest and name withdrawn sources; bad input gets
# one message naming file, line and field.
set -eu
shades=$1 fx=$2 work=$3 demo=$4
expect="$(dirname "$0")/expect_error.sh"
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- importers: each fixture gives the expected files ----
"$shades" import ppb "$fx/ppb.csv" -o "$work/ppb" --images imgs >/dev/null
cmp "$work/ppb/manifest.csv" "$fx/ppb.expected.csv" || fail "ppb manifest"
"$shades" import fairface "$fx/fairface.csv" -o "$work/fairface" >/dev/null
cmp "$work/fairface/manifest.csv" "$fx/fairface.expected.csv" || fail "fairface manifest"
"$shades" import rfw "$fx/African_pairs.txt" -o "$work/rfw" >/dev/null
cmp "$work/rfw/manifest.csv" "$fx/rfw.expected.csv" || fail "rfw manifest"
cmp "$work/rfw/pairs.csv" "$fx/rfw.expected-pairs.csv" || fail "rfw pairs"
"$shades" import bfw "$fx/bfw.csv" -o "$work/bfw" >/dev/null
cmp "$work/bfw/manifest.csv" "$fx/bfw.expected.csv" || fail "bfw manifest"
cmp "$work/bfw/pairs.csv" "$fx/bfw.expected-pairs.csv" || fail "bfw pairs"
mkdir -p "$work/utk"
for f in 25_0_2_20170116174525125.jpg 3_1_0_20170109191326447.jpg 61_1_3_x.jpg \
         not_a_face.jpg 40_2_1_bad.jpg; do : > "$work/utk/$f"; done
# Named like images, but a folder, a FIFO and a link to nothing: skipped.
mkdir "$work/utk/30_0_1_folder.jpg" && mkfifo "$work/utk/30_0_1_fifo.jpg"
ln -s absent "$work/utk/30_0_1_link.jpg"
"$shades" import utkface "$work/utk" -o "$work/utk-out" 2>"$work/utk.log" >"$work/utk.out"
printf '%s\n' "image_id,subject_id,path,age,sex,race" \
  "25_0_2_20170116174525125.jpg,25_0_2_20170116174525125.jpg,25_0_2_20170116174525125.jpg,25,M,Asian" \
  "3_1_0_20170109191326447.jpg,3_1_0_20170109191326447.jpg,3_1_0_20170109191326447.jpg,3,F,White" \
  "61_1_3_x.jpg,61_1_3_x.jpg,61_1_3_x.jpg,61,F,Indian" > "$work/utk.expected"
cmp "$work/utk-out/manifest.csv" "$work/utk.expected" || fail "utkface manifest"
grep -q "skipped 'not_a_face.jpg'" "$work/utk.log" || fail "utkface skip not reported"
grep -q "5 of 8 file names skipped" "$work/utk.log" || fail "utkface skip count"
grep -q "skipped '30_0_1_fifo.jpg': not a regular file" "$work/utk.log" || fail "utkface: a FIFO taken"
grep -q "manifest.csv: 3 images from 8 files (utkface)" "$work/utk.out" || fail "utkface: files read"
grep -qx "root: \"$work/utk\"" "$work/utk-out/card.yaml" || fail "utkface card: root is not the image folder"

# ---- importers: malformed lines name file and line ----
printf 'image_id,filename,gender,fitzpatrick skin type category,bi.fitz,country\n1,a.jpg,Female,7,darker,X\n' > "$work/bad-ppb.csv"
"$expect" 2 "shades: error: $work/bad-ppb.csv:2: field 'fitzpatrick skin type category': '7' is not 1 to 6" \
  "$shades" import ppb "$work/bad-ppb.csv" -o "$work/bad"
printf 'm.01\t1\t2\nm.01\t1\n' > "$work/bad_pairs.txt"
"$expect" 2 "shades: error: $work/bad_pairs.txt:2: 2 fields, expected 'id<TAB>n<TAB>m' (mated) or 'id1<TAB>n<TAB>id2<TAB>m' (non-mated)" \
  "$shades" import rfw "$work/bad_pairs.txt" -o "$work/bad"
head -2 "$fx/bfw.csv" > "$work/bad-bfw.csv"
echo '1,x/n1/01.jpg,x/n3/01.jpg,1,n1,n3,x,x,0.5,A,A,F,F,AF,AF' >> "$work/bad-bfw.csv"
"$expect" 2 "shades: error: $work/bad-bfw.csv:3: field 'label': 1, but id1 'n1' and id2 'n3' are different" \
  "$shades" import bfw "$work/bad-bfw.csv" -o "$work/bad"
printf 'file,age,gender,race\n' > "$work/bad-ff.csv"
"$expect" 2 "shades: error: $work/bad-ff.csv:1: header: no column 'service_test' (the fairface layout)" \
  "$shades" import fairface "$work/bad-ff.csv" -o "$work/bad"
# An image listed twice (FairFace) and a pair listed twice, either way
# round (BFW), name both lines.
{ head -2 "$fx/fairface.csv"; sed -n 2p "$fx/fairface.csv"; } > "$work/dup-ff.csv"
"$expect" 2 "shades: error: $work/dup-ff.csv:3: field 'file': duplicate 'train/1.jpg' (first on line 2)" \
  "$shades" import fairface "$work/dup-ff.csv" -o "$work/bad"
{ head -2 "$fx/bfw.csv"; echo '2,asian_females/n1/02.jpg,asian_females/n1/01.jpg,1,n1,n1,asian_females,asian_females,0.7,A,A,F,F,AF,AF'; } > "$work/dup-bfw.csv"
"$expect" 2 "shades: error: $work/dup-bfw.csv:3: pair 'asian_females/n1/02.jpg', 'asian_females/n1/01.jpg' is listed twice (first on line 2)" \
  "$shades" import bfw "$work/dup-bfw.csv" -o "$work/bad"
test ! -e "$work/bad" || fail "a failed import wrote files"

# ---- classification replay over PPB: the Gender Shades layout ----
# Predictions, scores and pair lists may start with a spreadsheet's byte-order mark.
{ printf '\xef\xbb\xbf'; cat "$fx/ppb-predictions.csv"; } >"$work/ppb/ppb-predictions.csv"
cat > "$work/ppb/gs.yaml" <<'YAML'
run: {name: ppb-replay}
dataset: {manifest: manifest.csv}
engine:
  adapter: replay
  predictions: {file: ppb-predictions.csv}
groups:
  derived:
    - name: skin_binary
      from: skin
      map:
        - {label: Darker, values: [darker]}
        - {label: Lighter, values: [lighter]}
  partitions: [sex, skin_binary, skin_binary x sex]
classification: {attribute: sex, classes: [F, M]}
output: {results: gs.h5}
YAML
"$shades" run "$work/ppb/gs.yaml" > "$work/gs.txt" 2>/dev/null
# All, F, M, Darker, Lighter, DF, DM, LF, LM in that order, with n and errors.
gs_rows() { awk '$1 ~ /^(All|F|M|Darker|Lighter|Darker\/F|Darker\/M|Lighter\/F|Lighter\/M)\*?$/ {print $1, $2, $3}' "$1" | tr '\n' ';'; }
got=$(gs_rows "$work/gs.txt")
want='All 8 3;F 4 2;M 4 1;Darker 4 3;Lighter 4 0;Darker/F 2 2;Darker/M 2 1;Lighter/F 2 0;Lighter/M 2 0;'
[ "$got" = "$want" ] || fail "Gender Shades layout: got '$got'"
# One rule for small groups: the run's groups.min_subjects (default 0) marks
# the same groups in the run's tables and in a report of its file.
stars() { grep -oE '[A-Za-z/]+[*]' "$1" | sort -u | tr '\n' ' '; }
"$shades" report "$work/ppb/gs.h5" > "$work/gs-report.txt"
[ -z "$(stars "$work/gs.txt")$(stars "$work/gs-report.txt")" ] || fail "groups marked with min_subjects 0"
# Image 5's empty prediction is a failure on record, stage prediction.
grep -Eq '^prediction +no_prediction +1$' "$work/gs-report.txt" || fail "no-prediction image not in the report"
grep -q '^1 of 8 images; their ids are in /failures.' "$work/gs-report.txt" || fail "failure count"
h5dump -d /failures "$work/ppb/gs.h5" | grep -q '"prediction"' || fail "no-prediction image not in /failures"
sed -e 's/^  partitions: .*/&\n  min_subjects: 3/' -e 's/gs.h5/gs3.h5/' "$work/ppb/gs.yaml" > "$work/ppb/gs3.yaml"
"$shades" run "$work/ppb/gs3.yaml" > "$work/gs3.txt" 2>/dev/null
want='All 8 3;F 4 2;M 4 1;Darker 4 3;Lighter 4 0;Darker/F* 2 2;Darker/M* 2 1;Lighter/F* 2 0;Lighter/M* 2 0;'
[ "$(gs_rows "$work/gs3.txt")" = "$want" ] || fail "min_subjects 3 in the run: got '$(gs_rows "$work/gs3.txt")'"
"$shades" report "$work/ppb/gs3.h5" > "$work/gs3-report.txt"
[ "$(stars "$work/gs3-report.txt")" = "Darker/F* Darker/M* Lighter/F* Lighter/M* " ] \
  || fail "min_subjects 3 in the report: $(stars "$work/gs3-report.txt")"
# The note wraps at the report's width: read it as one line.
tr '\n' ' ' <"$work/gs3-report.txt" |
  grep -q "fewer than 3 subjects (groups.min_subjects): too small to estimate" \
  || fail "the report's note does not give the run's min_subjects"
printf 'image_id,predicted\n1,M\n2,M\n3,X\n' > "$work/ppb/bad-pred.csv"
sed 's/ppb-predictions.csv/bad-pred.csv/' "$work/ppb/gs.yaml" > "$work/ppb/bad.yaml"
"$expect" 2 "shades: error: $work/ppb/bad-pred.csv:4: field 'predicted': 'X' is not one of the classes F, M (leave it empty for no prediction)" \
  "$shades" run "$work/ppb/bad.yaml"
test ! -e "$work/ppb/gs.h5.tmp" || fail "partial results"
# The confidence column: checked where the file has one, optional unless
# the config names it, and then it must be there.
printf 'image_id,predicted,confidence\n1,M,1.5\n' > "$work/ppb/bad-conf.csv"
sed 's/ppb-predictions.csv/bad-conf.csv/' "$work/ppb/gs.yaml" > "$work/ppb/bad.yaml"
"$expect" 2 "shades: error: $work/ppb/bad-conf.csv:2: field 'confidence': '1.5' is not a number in [0, 1]" \
  "$shades" run "$work/ppb/bad.yaml"
cut -d, -f1,2 "$fx/ppb-predictions.csv" > "$work/ppb/no-conf.csv"
sed -e 's/ppb-predictions.csv/no-conf.csv/' -e 's/gs.h5/no-conf.h5/' "$work/ppb/gs.yaml" \
  > "$work/ppb/no-conf.yaml"
"$shades" run "$work/ppb/no-conf.yaml" > "$work/no-conf.txt" 2>/dev/null
[ "$(gs_rows "$work/no-conf.txt")" = "$(gs_rows "$work/gs.txt")" ] || fail "no confidence column"
sed 's/file: ppb-predictions.csv}/file: ppb-predictions.csv, confidence: conf}/' \
  "$work/ppb/gs.yaml" > "$work/ppb/bad.yaml"
"$expect" 2 "shades: error: $work/ppb/ppb-predictions.csv:1: header: no column 'conf' (engine.predictions.confidence)" \
  "$shades" run "$work/ppb/bad.yaml"

# ---- verification replay over a BFW-shaped table with a score column ----
# Eight subgroups of 50 subjects x 3 images; every within-subgroup pair, so
# each subgroup has over 10^4 impostors and a threshold of its own at 1e-4.
awk 'BEGIN {
  srand(7); printf "\357\273\277"; print "fold,p1,p2,label,id1,id2,att1,att2,senet50,a1,a2,g1,g2,e1,e2"
  split("asian_females asian_males black_females black_males indian_females indian_males white_females white_males", att, " ")
  for (g = 1; g <= 8; g++) {
    a = toupper(substr(att[g], 1, 1)); s = (att[g] ~ /females/) ? "F" : "M"
    n = 0
    for (i = 0; i < 50; i++) for (k = 0; k < 3; k++) { img[n] = att[g] "/n" g "_" i "/" k ".jpg"; sub_[n] = "n" g "_" i; n++ }
    for (x = 0; x < n; x++) for (y = x + 1; y < n; y++) {
      same = sub_[x] == sub_[y]
      sc = same ? 0.6 + 0.1 * g / 8 + 0.1 * (rand() - 0.5) : 0.05 * g / 8 + 0.3 * (rand() - 0.5)
      printf "%d,%s,%s,%d,%s,%s,%s,%s,%.6f,%s,%s,%s,%s,%s%s,%s%s\n", (x % 5) + 1, img[x], img[y], same, sub_[x], sub_[y], att[g], att[g], sc, a, a, s, s, a, s, a, s
    }
  }
}' > "$work/bfw-table.csv"
"$shades" import bfw "$work/bfw-table.csv" -o "$work/bfw-run" >/dev/null
sed -i '1s/^/\xef\xbb\xbf/' "$work/bfw-run/pairs.csv"
cat > "$work/bfw-run/bfw.yaml" <<YAML
run: {name: bfw-replay, bootstrap: 0}
dataset: {manifest: manifest.csv}
engine:
  adapter: replay
  scores: {file: $work/bfw-table.csv, reference: p1, probe: p2, score: senet50}
groups: {partitions: [subgroup, ethnicity, sex]}
verification:
  pairs: {file: pairs.csv, fold: fold}
  target_fmr: [1e-1, 1e-2, 1e-3, 1e-4]
output: {results: bfw.h5}
YAML
"$shades" run "$work/bfw-run/bfw.yaml" > "$work/bfw.txt" 2>/dev/null
grep -q "Target FMR 0.0001: global threshold" "$work/bfw.txt" || fail "BFW 1e-4 not estimable"
"$shades" report "$work/bfw-run/bfw.h5" --format csv -o "$work/bfw.csv"
# Every subgroup has its own threshold and FNMR (1 - TAR) at each target.
rows=$(awk -F, '$3 == "\"subgroup\"" && $22 != "nan" && $23 != "nan" {n++} END {print n+0}' "$work/bfw.csv")
[ "$rows" = 32 ] || fail "BFW subgroup thresholds: $rows rows of 32"
head -2 "$fx/bfw.csv" | sed 's/vgg2/senet50/' > "$work/bad-scores.csv"
sed "s|$work/bfw-table.csv|$work/bad-scores.csv|" "$work/bfw-run/bfw.yaml" > "$work/bfw-run/bad.yaml"
"$expect" 2 "shades: error: $work/bad-scores.csv:2: field 'p1': 'asian_females/n1/01.jpg' is not an image_id of $work/bfw-run/manifest.csv" \
  "$shades" run "$work/bfw-run/bad.yaml"

# ---- identification over the synthetic engine ----
cat > "$work/id.yaml" <<YAML
run: {name: id-synthetic, seed: 3}
dataset: {manifest: $demo/demo-cohort/manifest.csv, card: $demo/demo-cohort/card.yaml}
engine: {adapter: synthetic, options: [trait1_impostor_mean_shift=0.5]}
groups: {partitions: [sex, skin_type], min_subjects: 8}
identification: {holdout: 0.3, candidates: 10, target_fpir: [0.1]}
output: {results: id.h5, export: [candidates]}
YAML
"$shades" run "$work/id.yaml" > "$work/id.txt" 2>/dev/null
grep -q "Target FPIR 0.1: global threshold" "$work/id.txt" || fail "identification threshold"
grep -Eq '^  F +[0-9.]+ \[.*\] +[0-9]+/[0-9]+ +[0-9.]+ \[' "$work/id.txt" || fail "FNIR and FPIR per group"
grep -q "rank 1" "$work/id.txt" || fail "CMC table"

# ---- dataset cards ----
cp -r "$demo/demo-cohort/card.yaml" "$work/card.yaml"
sed -i 's/^manifest_sha256: .*/manifest_sha256: 0000000000000000000000000000000000000000000000000000000000000000/' "$work/card.yaml"
sed "s|card: $demo/demo-cohort/card.yaml|card: $work/card.yaml|" "$work/id.yaml" > "$work/id-badcard.yaml"
line=$(grep -n manifest_sha256 "$work/card.yaml" | cut -d: -f1)
sha=$(sha256sum "$demo/demo-cohort/manifest.csv" | cut -d' ' -f1)
"$expect" 2 "shades: error: $work/card.yaml:$line: field 'manifest_sha256': the card describes another manifest: $demo/demo-cohort/manifest.csv has sha256 $sha" \
  "$shades" run "$work/id-badcard.yaml"
sed -e "s/^manifest_sha256: .*/manifest_sha256: $sha/" -e 's/^name: .*/name: RFW/' "$work/card.yaml" > "$work/rfw-card.yaml"
sed "s|card: $demo/demo-cohort/card.yaml|card: $work/rfw-card.yaml|" "$work/id.yaml" > "$work/id-rfw.yaml"
"$shades" run "$work/id-rfw.yaml" 2> "$work/warn.txt" > /dev/null
grep -q "shades: warning: dataset 'RFW': RFW draws its images from MS-Celeb-1M, withdrawn (2019)" "$work/warn.txt" \
  || fail "withdrawn warning: $(cat "$work/warn.txt")"
h5dump -a /dataset_warning "$work/id.h5" | grep -q "MS-Celeb-1M" || fail "warning not in results"
# Its report: the warning once, in the summary, above the worst FNIR and FPIR.
"$shades" report "$work/id.h5" > "$work/id-report.txt"
[ "$(grep -c "MS-Celeb-1M" "$work/id-report.txt")" -eq 1 ] || fail "the report gives the warning other than once"
grep -q '^Dataset warning: RFW draws its images from MS-Celeb-1M' "$work/id-report.txt" || fail "no warning in the summary"
grep -Eq '^partition +target FPIR +highest FNIR +times the lowest' "$work/id-report.txt" || fail "no worst FNIR in the summary"
# Within 100 columns, as every text report (a target's title with its gallery was 104).
wide=$(LC_ALL=C.UTF-8 awk 'length($0) > 100' "$work/id-report.txt")
[ -z "$wide" ] || fail "identification report wider than 100 columns: $wide"
# Its HTML page: FNIR and FPIR bars per group, with their intervals.
"$shades" report "$work/id.h5" -o "$work/id.html"
for m in FNIR FPIR; do
  grep -q "aria-label=\"$m at the threshold for FPIR 0.1, with intervals\"" "$work/id.html" ||
    fail "no $m bars in the identification page"
done
echo ok
