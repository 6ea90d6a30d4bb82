# Sourced by the tests that run the demo's config: demo_config DIR PROTOCOL
# writes DIR/run.yaml, the config of the demo in $demo (shades demo's
# output folder) with absolute dataset paths, its verification (and the
# criteria, which measure it) swapped for identification or classification
# when PROTOCOL names one. demo_engine FILE ENGINE then swaps the synthetic
# engine for another built-in without options.
demo_config() {
  mkdir -p "$1"
  sed -e "s|manifest: .*|manifest: $demo/demo-cohort/manifest.csv|" \
      -e "s|card: [^ ]*|card: $demo/demo-cohort/card.yaml|" "$demo/demo.yaml" >"$1/run.yaml"
  case ${2:-verification} in
    identification)
      sed -i -e '/^verification:/,/^output:/{/^output:/!d}' -e '/^criteria:/,$d' "$1/run.yaml"
      echo "identification: {holdout: 0.2, candidates: 20, target_fpir: [1e-1, 1e-2]}" \
        >>"$1/run.yaml" ;;
    classification)
      sed -i -e '/^verification:/,/^output:/{/^output:/!d}' -e '/^criteria:/,$d' "$1/run.yaml"
      echo "classification: {attribute: sex, classes: [F, M]}" >>"$1/run.yaml" ;;
  esac
}
demo_engine() {
  sed -i -e "s|adapter: synthetic|adapter: $2|" -e '/^  options:/d' \
      -e '/^    - [a-z0-9_]*=/d' "$1"
}
