#!/usr/bin/env bash
# shipped_configs.sh SHADES WORK [--update]: every shipped config in configs/
# runs on a generated cohort and writes the same tables as it did when the
# files in tests/golden/ were made. This locks the numbers across refactors:
# a change that moves a count, a threshold or an interval fails here.
#
# The cohort's code images carry sex and skin type; the other attributes the
# configs group by (age, race, BFW's subgroup and ethnicity, PPB's bi.fitz)
# are derived from the subject number. PPB's derives its binary skin groups
# from a column named skin, which the other configs derive themselves, so
# it gets its own copy of the cohort with that column. Each config keeps its groups, derived
# bins, partitions, protocol, targets and criteria; what is swapped is only
# what cannot run here: the engine becomes the synthetic one (a vendor's
# library, a paper's score files and the OpenCV pipeline's CPU-dependent
# arithmetic are out of reach, and the synthetic engine's scores depend on
# nothing but the images), pair files become generated pairs, and the
# sizes (bootstrap, minimum subjects, impostor sample) shrink to the cohort.
# --update rewrites the golden files (after a change that means to move them).
set -euo pipefail
shades=$1 work=$2 update=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/h5_strip.sh"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

"$shades" cohort cohort --subjects 60 --images 3 >/dev/null
awk -F, -v OFS=, '
  NR == 1 { print $0, "age", "race", "subgroup", "ethnicity"; next }
  { n = substr($2, 2) + 0
    race = (n % 3 == 0) ? "African" : (n % 3 == 1) ? "Asian" : "Indian"
    eth = (race == "African") ? "black" : (race == "Asian") ? "asian" : "indian"
    print $0, 14 + (n * 7) % 60, race, eth "_" ($4 == "F" ? "females" : "males"), eth }
' cohort/manifest.csv >cohort/m.csv
mv cohort/m.csv cohort/manifest.csv
cp -r cohort cohort-ppb
awk -F, -v OFS=, 'NR == 1 { print $0, "skin"; next }
  { print $0, ($5 ~ /^(IV|V|VI)$/) ? "darker" : "lighter" }' cohort/manifest.csv >cohort-ppb/manifest.csv
for c in cohort cohort-ppb; do
  sha=$(sha256sum $c/manifest.csv | cut -d' ' -f1)
  sed -i "s/^manifest_sha256: .*/manifest_sha256: $sha/" $c/card.yaml
done

status=0
for config in "$root"/configs/*.yaml; do
  name=$(basename "$config" .yaml)
  data=cohort
  [ "$name" = gender-shades-ppb ] && data=cohort-ppb
  sed -e "s|^  manifest: .*|  manifest: $work/$data/manifest.csv|" \
      -e "s|^  card: .*|  card: $work/$data/card.yaml|" \
      -e "s|^  adapter: .*|  adapter: synthetic|" \
      -e '/^  config_dir: /d' -e '/^  model_card: /d' -e '/^  options:/d' -e '/^    - [a-z0-9_]*=/d' \
      -e '/^  predictions: /d' -e '/^  pairs: /d' \
      -e "s|^  results: .*|  results: $work/$name.h5|" \
      -e 's|^  bootstrap: .*|  bootstrap: 50|' -e 's|^  threads: .*|  threads: 2|' \
      -e 's|^  min_subjects: .*|  min_subjects: 2|' \
      -e 's|^  impostor_sample: .*|  impostor_sample: 4000|' "$config" |
    awk '/^  scores:/ { skip = 1; next } skip && /^    / { next } { skip = 0; print }' >"$name.yaml"
  set +e
  "$shades" run "$name.yaml" --threads 2 >"$name.out" 2>&1
  rc=$?
  set -e
  if [ "$rc" -gt 1 ]; then
    echo "FAIL: $name: shades run exited $rc" >&2
    cat "$name.out" >&2
    status=1
    continue
  fi
  # What differs between builds, not runs: the engine library's path and
  # hash, the build's compiler and version, the host's CPU and OS, and the
  # images' Merkle root (the PNG encoder's bytes; tests/attestation_cli.sh
  # checks the root itself).
  h5_strip "$work/$name.h5" 'adapter_library|adapter_sha256|build|creator_version|host_cpu|host_os|images_merkle_root' |
    sed "s|$work|WORK|g" >"$name.dump"
  golden=$here/golden/$name.dump
  if [ "$update" = --update ]; then
    mkdir -p "$here/golden"
    cp "$name.dump" "$golden"
  elif ! diff "$golden" "$name.dump" >"$name.diff"; then
    echo "FAIL: $name: the tables differ from tests/golden/$name.dump:" >&2
    head -30 "$name.diff" >&2
    status=1
  fi
done
exit $status
