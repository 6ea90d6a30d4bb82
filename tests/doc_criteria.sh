#!/usr/bin/env bash
# doc_criteria.sh SHADES SOURCE_DIR DEMO_DIR WORK: the annotated rule in
# docs/measures.md ("Criteria") runs as written, in the demo's config (whose
# groups and operating points it names): exit 0 or 1, never a config error,
# and its verdict is in the results file.
set -euo pipefail
shades=$1 src=$2 demo=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
. "$src/tests/demo_config.sh"
demo_config "$work"
sed -i -e '/^criteria:/,$d' -e 's/bootstrap: 1000 /bootstrap: 50 /' -e 's|results: demo.h5|results: doc.h5|' \
  "$work/run.yaml"
awk '/^## Criteria$/ { on = 1 } on && /^```yaml$/ { copy = 1; next } copy && /^```$/ { exit }
     copy { print }' "$src/docs/measures.md" >>"$work/run.yaml"
grep -q '^  - name: ' "$work/run.yaml" || { echo "doc_criteria: no rule found in docs/measures.md" >&2; exit 1; }
name=$(sed -n 's/^  - name: \([^ ]*\).*/\1/p' "$work/run.yaml")
set +e
"$shades" run "$work/run.yaml" --no-checkpoint >"$work/out.txt" 2>"$work/err.txt"
status=$?
set -e
[ "$status" -le 1 ] || { echo "doc_criteria: exit $status:" >&2; cat "$work/err.txt" >&2; exit 1; }
h5dump -d /criteria "$work/doc.h5" | grep -q "\"$name\"" ||
  { echo "doc_criteria: no verdict for $name in the results" >&2; exit 1; }
echo "doc_criteria: the rule $name in docs/measures.md ran (exit $status)"
