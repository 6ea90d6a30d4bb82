#!/usr/bin/env bash
# engines_cli.sh SHADES BAD_DIR: runs misbehaving engines (tests/adapters/
# misbehaving.c) over a generated cohort. Without --isolate a crash, a
# hang or an oversized template stops the run with one message and no
# results file; with it, each crashed, hung or oversized image is recorded
# as that image's failure, in its group.
# Then a classification audit from a live engine's sex estimates.
set -euo pipefail
shades=$1 bad=$2
. "$(cd "$(dirname "$0")" && pwd)/expect_fail.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$shades" cohort cohort --subjects 20 --images 3 >/dev/null
config() { # NAME ADAPTER
  cat >"$1.yaml" <<YAML
run: {name: $1, seed: 7, threads: 2, bootstrap: 50}
dataset: {manifest: cohort/manifest.csv}
engine: {adapter: $2}
groups:
  derived:
    - name: skin
      from: skin_type
      map:
        - {label: lighter, values: [I, II, III]}
        - {label: darker, values: [IV, V, VI]}
  partitions: [sex, skin]
verification: {target_fmr: [1e-2]}
output: {results: $1.h5}
YAML
}
# Image ids of the failures table with the given outcome, sorted.
failed() { h5dump -d /failures "$1" | awk -v want="\"$2\"" '
  /^ *\(/ { id = ""; next } { gsub(/[ ,]/, "") }
  id == "" && /^"s[0-9]+_[0-9]+"$/ { id = $0 } $0 == want && id != "" { gsub(/"/, "", id); print id; id = "" }' | sort; }
# Image ids of the manifest matching an awk condition on sex ($4), skin ($5), image number (n).
expected() { awk -F, -v cond="$1" 'NR > 1 { split($1, p, "_"); n = p[2]; darker = ($5 ~ /^(IV|V|VI)$/)
  if ((cond == "crash" && n == 0 && darker) || (cond == "hang" && n == 1 && $4 == "F")) print $1 }' \
  cohort/manifest.csv | sort; }

config crash "$bad/libmis_crash.so"
echo keep >crash.h5
expect_fail "crash without --isolate" \
  "shades: error: engine 'crash' crashed (SIGSEGV) in create_template on image '" "$shades" run crash.yaml
# The work done so far is kept, and the message says how to go on.
grep -q "; no results were written; the work done so far is kept in checkpoint \./crash\.h5\.checkpoint: --resume continues it in-process with the same engine; a changed engine, or --isolate (which records such failures per image and goes on), starts afresh once it is deleted$" err.txt ||
  { echo "crash: the message does not name the checkpoint:" >&2; cat err.txt >&2; exit 1; }
rm -rf crash.h5.checkpoint
[ "$(cat crash.h5)" = keep ] || { echo "a failed run touched the results file" >&2; exit 1; }
"$shades" run crash.yaml --isolate >out.txt
grep -q "isolated engine: $(expected crash | wc -l) calls crashed, 0 timed out" out.txt
diff <(failed crash.h5 crashed) <(expected crash)
grep -Eq "^  lighter +0\.0%" out.txt

config hang "$bad/libmis_hang.so"
expect_fail "hang without --isolate" \
  "shades: error: engine 'hang' did not return within 1.0 s in create_template on image '" \
  "$shades" run hang.yaml --call-timeout 1
[ ! -e hang.h5 ]
"$shades" run hang.yaml --isolate --call-timeout 1 >out.txt
diff <(failed hang.h5 timed_out) <(expected hang)
grep -Eq "^  M +0\.0%" out.txt

config garbage "$bad/libmis_garbage.so"
expect_fail "garbage templates" "engine 'garbage': create_template on image '.*' (.*) reported a template larger than its buffer" \
  "$shades" run garbage.yaml
# Isolated, each oversized template is that image's failure (bad_reply):
# the third image of every subject.
"$shades" run garbage.yaml --isolate >out.txt
diff <(failed garbage.h5 bad_reply) <(awk -F, 'NR > 1 && $1 ~ /_2$/ { print $1 }' cohort/manifest.csv | sort)

# A declared embedding too long for float scores (1e20, squared past
# FLT_MAX) stops the run at the first such template, in either mode: its
# scores would be inf or NaN, and a NaN stalled the measures for ever.
config longvec "$bad/libmis_longvec.so"
first=$(expected crash | head -1)
line=$(awk -F, -v id="$first" '$1 == id { print NR }' cohort/manifest.csv)
for mode in "" --isolate; do
  expect_fail "a declared embedding of length 1e20 ${mode:-in-process}" \
    "shades: error: engine 'longvec': template of image '$first' (./cohort/manifest.csv:$line) \
has a declared embedding of length 1e+20, longer than float scores can hold" \
    "$shades" run longvec.yaml --threads 1 $mode
  [ ! -e longvec.h5 ]
done

# Replies a run must refuse as check-adapter does, in either mode: a sex
# confidence that is NaN, and a gallery entry listed twice by a search.
config nanconf "$bad/libmis_nanconf.so"
sed -i 's/^verification: .*/classification: {attribute: sex, classes: [F, M]}/' nanconf.yaml
config dupsearch "$bad/libmis_dupsearch.so"
sed -i 's/^verification: .*/identification: {candidates: 5, target_fpir: [0.5]}/' dupsearch.yaml
for mode in "" --isolate; do
  expect_fail "a NaN sex confidence ${mode:-in-process}" \
    "shades: error: engine 'nanconf': estimate on image '$first' (./cohort/manifest.csv:$line) reported a sex_confidence that is not in \[0, 1\]" \
    "$shades" run nanconf.yaml --threads 1 --no-checkpoint --progress off $mode
  [ ! -e nanconf.h5 ]
done
# (Isolated, a run searches through the engine's compare: workers hold no
# gallery.)
expect_fail "a candidate listed twice" "shades: error: engine 'dupsearch': search of '" \
  "$shades" run dupsearch.yaml --threads 1 --no-checkpoint --progress off
grep -q "returned a gallery entry listed twice$" err.txt ||
  { echo "dupsearch: not named:" >&2; cat err.txt >&2; exit 1; }
[ ! -e dupsearch.h5 ]

# Not thread-safe but honest (max_concurrency 1): the run serialises it.
config serial "$bad/libmis_serial.so"
"$shades" run serial.yaml --threads 2 >/dev/null

# Gender Shades from a live engine: the synthetic engine's sex estimates,
# wrong for 30% of darker-skinned images and never otherwise.
cat >classify.yaml <<YAML
run: {name: classify, seed: 7}
dataset: {manifest: cohort/manifest.csv}
engine: {adapter: synthetic, options: [trait0_sex_error=0.3]}
groups:
  derived:
    - name: skin
      from: skin_type
      map:
        - {label: lighter, values: [I, II, III]}
        - {label: darker, values: [IV, V, VI]}
  partitions: [skin]
classification: {attribute: sex, classes: [F, M]}
output: {results: classify.h5}
YAML
"$shades" run classify.yaml >out.txt
grep -Eq "^  lighter +[0-9]+ +0 +0\.0%" out.txt || { cat out.txt >&2; exit 1; }
grep -Eq "^  darker\*? +[0-9]+ +[1-9][0-9]* " out.txt || { cat out.txt >&2; exit 1; }
sed 's/classes: \[F, M\]}/classes: [F, M], engine_labels: {female: W, male: M}}/' classify.yaml >labels.yaml
expect_fail "engine label not a class" \
  "field 'classification.engine_labels.female': 'W' is not one of classification.classes" \
  "$shades" run labels.yaml
echo "engines: crash, hang, garbage, serial and classification behave"
