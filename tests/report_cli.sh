#!/usr/bin/env bash
# report_cli.sh SHADES A.h5 B.h5: `shades report` in every format, on two
# results files of the same engine.
set -euo pipefail
shades=$1 a=$2 b=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "report_cli: $*" >&2; exit 1; }

# Text, two files: the Runs table has one row per engine, and every table
# stays within 100 columns.
"$shades" report "$a" "$b" >"$work/two.txt"
rows=$(awk '/^Runs$/ { on = 1; next } on && /^$/ { on = 0 } on' "$work/two.txt" | tail -n +3 | wc -l)
[ "$rows" -eq 2 ] || fail "Runs table has $rows rows, want 2"
grep -q '^synthetic 1.0.0 #1 ' "$work/two.txt" || fail "no row for the first engine"
grep -q '^synthetic 1.0.0 #2 ' "$work/two.txt" || fail "no row for the second engine"
grep -q "^By sex x skin, at each engine's global threshold for FMR 0.001$" "$work/two.txt" ||
  fail "no side-by-side table for sex x skin"
# Columns, not bytes: the footnote mark is one character of three bytes.
long=$(python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 100 for l in open(sys.argv[1], encoding="utf-8")))' "$work/two.txt")
[ "$long" -eq 0 ] || fail "$long lines over 100 columns"

# One file: provenance, matrices, EER, failures.
"$shades" report "$a" >"$work/one.txt"
for want in '^adapter sha256 +[0-9a-f]{64}$' '^Cross-group FMR, sex x skin, at the global threshold for FMR' \
            '^Equal error rate per group$' '^Images that failed$'; do
  grep -Eq "$want" "$work/one.txt" || fail "one-file report lacks /$want/"
done

# The summary panel comes first: A's verdict, its failed rule in one
# sentence with the numbers of the criteria table, and what bounds mean.
first=$(grep -m1 . "$work/one.txt")
[ "$first" = "== Summary: synthetic 1.0.0, run demo-synthetic ==" ] || fail "one-file report starts with '$first'"
grep -Eq '^Criteria: FAIL \([12] of 2 rules failed\)$' "$work/one.txt" || fail "no FAIL verdict in the summary"
grep -q '^Each group at its own threshold (BFW)$' "$work/one.txt" || fail "no per-group thresholds"
grep -q '^Bound: what a rule compares with its limit' "$work/one.txt" || fail "criteria table does not say what a bound is"
# Where an interval leaves out its estimate, the table says why.
if grep -q '†' "$work/one.txt"; then
  grep -q 'The interval does not contain its estimate' "$work/one.txt" || fail "† without its footnote"
fi

"$shades" report "$a" --format md >"$work/r.md"
grep -q '^### Target FMR 0.001: global threshold' "$work/r.md" || fail "markdown heading"
grep -q '^| group | FTE | FNMR \[interval\] |' "$work/r.md" || fail "markdown table header"
[ "$(sed -n 3p "$work/r.md")" = "## Summary: synthetic 1.0.0, run demo-synthetic" ] || fail "markdown does not start with the summary"
grep -Eq '^\*\*Criteria: FAIL\*\* \([12] of 2 rules failed\)$' "$work/r.md" || fail "markdown verdict"
# The sentence's tested bound is the value the criteria table shows.
value=$(sed -n 's/^| FAIL | fnmr-parity-sex-x-skin | FMR 0.001 | upper fnmr_max_geomean | \([0-9.]*\) | <= 1.5 |.*/\1/p' "$work/r.md")
[ -n "$value" ] || fail "no failed rule in the markdown criteria table"
grep -Eq "^- fnmr-parity-sex-x-skin: FNMR max/geomean across sex x skin at FMR 0.001 is [0-9.]+ \[[0-9.]+, $value\] \(bootstrap interval\); its upper bound $value is above the limit 1.5 " "$work/r.md" ||
  fail "no failed-rule sentence with value $value: $(grep '^- fnmr-parity' "$work/r.md")"
"$shades" report "$a" "$b" -o "$work/r.csv"
head -1 "$work/r.csv" | grep -q '^engine,file,partition,group,target_fmr,' || fail "csv header"
groups=$(h5dump -H -d /verification/groups "$a" | sed -n 's/.*DATASPACE  SIMPLE { ( \([0-9]*\) ).*/\1/p')
groups_b=$(h5dump -H -d /verification/groups "$b" | sed -n 's/.*DATASPACE  SIMPLE { ( \([0-9]*\) ).*/\1/p')
lines=$(wc -l <"$work/r.csv")
[ "$lines" -eq $((groups + groups_b + 1)) ] || fail "csv has $lines lines, want $((groups + groups_b + 1))"

# Several runs: their verdicts side by side, and a warning above all
# else for what differs. A and B are cohorts of their own (manifests
# differ); the faces run has other targets; a file against itself, none.
grep -q '^WARNING: The runs used different manifests: synthetic 1.0.0 #1 manifest sha256 [0-9a-f]\{12\};' "$work/two.txt" ||
  fail "no warning for different manifests"
[ "$(grep -m1 . "$work/two.txt" | cut -c1-8)" = "WARNING:" ] || fail "the warnings are not first"
grep -q '^Criteria side by side$' "$work/two.txt" || fail "no criteria side by side"
grep -Eq '^all rules +FAIL \([12] of 2 rules\) +FAIL \([12] of 2 rules\)$' "$work/two.txt" ||
  fail "criteria side by side lacks the verdicts"
"$shades" report "$a" "$a" >"$work/same.txt"
if grep -q 'WARNING' "$work/same.txt"; then fail "a file against itself warns"; fi
onnx="$(dirname "$a")/demo-onnx.h5"
"$shades" report "$onnx" "$a" --format md >"$work/targets.md"
grep -q '^> \*\*Warning:\*\* The runs used different operating points: opencv-onnx 1.0.0 FMR 0.01, 0.001; synthetic 1.0.0 FMR 0.01, 0.001, 0.0001\.' "$work/targets.md" ||
  fail "no warning for different targets"
grep -q '^\*\*Criteria: no criteria set\*\*$' "$work/targets.md" || fail "a run without criteria"

# A run of A's config without failures to enrol, on a card named as a
# withdrawn dataset: "no failures", and the card's warning once per report.
dir=$(dirname "$a")
sed 's/^name: .*/name: RFW/' "$dir/demo-cohort/card.yaml" >"$work/rfw-card.yaml"
sed -e "s|manifest: demo-cohort/|manifest: $dir/demo-cohort/|" -e "s|card: demo-cohort/card.yaml|card: $work/rfw-card.yaml|" \
    -e '/trait0_fte/d' -e 's/bootstrap: 1000/bootstrap: 20/' -e "s|results: demo.h5|results: $work/rfw.h5|" \
    "$dir/demo.yaml" >"$work/rfw.yaml"
"$shades" run "$work/rfw.yaml" --no-checkpoint >/dev/null 2>&1 || true
[ -f "$work/rfw.h5" ] || fail "the RFW run wrote no results"
"$shades" report "$work/rfw.h5" --format md >"$work/rfw.md"
grep -q '^No failures: every one of the [0-9]* images went through\.$' "$work/rfw.md" || fail "markdown does not say no failures"
if grep -q '^| stage | outcome | images |' "$work/rfw.md"; then fail "markdown prints an empty failures table"; fi
"$shades" report "$work/rfw.h5" >"$work/rfw.txt"
"$shades" report "$work/rfw.h5" -o "$work/rfw.html"
for f in rfw.md rfw.txt rfw.html; do
  n=$(grep -o 'MS-Celeb-1M, withdrawn' "$work/$f" | wc -l)
  [ "$n" -eq 1 ] || fail "$f gives the withdrawn-dataset warning $n times"
done
grep -q '^Dataset warning: RFW draws its images from MS-Celeb-1M' "$work/rfw.txt" || fail "no dataset warning in the summary"

# -o into a directory that does not exist: refused, nothing created.
if "$shades" report "$a" -o "$work/sub/r.html" 2>"$work/err.txt"; then
  fail "report -o into a missing directory succeeded"
fi
grep -qx "shades: error: report -o $work/sub/r.html: directory '$work/sub': No such file or directory" \
  "$work/err.txt" || fail "report -o into a missing directory: $(cat "$work/err.txt")"
[ ! -e "$work/sub" ] || fail "report -o created the missing directory"
# -o naming a directory: refused before anything is written, with the fix.
mkdir "$work/dir"
if "$shades" report "$a" -o "$work/dir" 2>"$work/err.txt"; then
  fail "report -o into a directory succeeded"
fi
grep -qx "shades: error: report -o $work/dir: a directory; -o takes the report's file path, e.g. $work/dir/report.html" \
  "$work/err.txt" || fail "report -o a directory: $(cat "$work/err.txt")"
[ -z "$(ls -A "$work/dir")" ] || fail "report -o a directory left files in it"

# HTML: self-contained, with every kind of plot.
mkdir "$work/sub"
"$shades" report "$a" "$b" -o "$work/sub/r.html"
html="$work/sub/r.html"
# The summary is the first thing after the title, with each verdict as a
# word in a badge, and the warning about the runs' manifests in it.
python3 - "$html" <<'PY' || fail "html summary"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
body = html.split("<body>\n", 1)[1]
if not body.startswith('<h1>shades report</h1>\n<section id="summary">'):
    sys.exit("the summary is not first: " + body[:80])
section = body.split("</section>", 1)[0]
for want in ('<span class="badge fail">FAIL</span>', "The runs used different manifests",
             "fnmr-parity-sex-x-skin: FNMR max/geomean across sex x skin at FMR 0.001 is "):
    if want not in section:
        sys.exit("the summary lacks " + want)
PY
for want in '<svg class="plot"' 'aria-label="DET curves by sex x skin"' \
            'aria-label="cross-group FMR"' 'aria-label="FNMR at the global threshold for FMR 0.001' \
            'aria-label="FMR (same-group impostors) at the global threshold' '<caption>Differentials across groups'; do
  grep -q "$want" "$html" || fail "html lacks $want"
done
# The score densities: one panel per group of sex x skin (four) in each run.
[ "$(sed -n '/aria-label="Score densities by sex x skin"/,/<\/svg>/p' "$html" |
     grep -c '<g class="panel"')" = 8 ] || fail "html lacks the four sex x skin density panels per run"
# Both demo engines fail to enrol some images: every density caption says
# how many pairs it leaves out.
[ "$(grep -c 'Pairs with a failed template have no score' "$html")" = \
  "$(grep -c 'aria-label="Score densities by' "$html")" ] ||
  fail "a density caption does not say what it leaves out"
# Each bar chart is as wide as its title (12 px text, 6.5 px a
# character), so the title of the FMR chart at 1e-4 is not cut off.
python3 - "$html" <<'PY' || fail "a plot is narrower than its title"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
charts = re.findall(r'<svg class="plot"[^>]* width="([0-9.]+)"[^>]*>\n<title>[^<]*'
                    r'</title>\n<text x="([0-9.]+)" y="16" class="axis">([^<]*)</text>',
                    html)
if not charts:
    sys.exit("no bar chart found")
for w, x, title in charts:
    if float(w) < float(x) + 6.5 * len(title):
        sys.exit(f"width {w} < {x} + 6.5 x {len(title)} for '{title}'")
PY
if grep -Eq 'https?:|src=|href=|url\([^#]|@import|<script|<link' "$html"; then
  fail "html refers to something outside itself"
fi
[ -z "$(ls "$work/sub" | grep -v '^r.html$')" ] || fail "temporary files left beside the html"

# DET plots of the demo's opencv-onnx run (its groups' FNMR spread over
# orders of magnitude): every row of the file's DET table with both rates inside (0, 1)
# is drawn inside the frame, the caption counts the others, and every
# group is marked at every target's global threshold, bar those the
# caption counts.
onnx="$(dirname "$a")/demo-onnx.h5"
"$shades" report "$onnx" -o "$work/onnx.html"
h5dump -d /verification/det "$onnx" >"$work/onnx-det.txt"
python3 - "$work/onnx.html" "$work/onnx-det.txt" <<'PY' || fail "DET plots of the opencv-onnx run"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
inside, total = {}, {}
for part, fmr, fnmr in re.findall(r'\{\s*"([^"]*)",\s*"[^"]*",\s*\S+?,\s*(\S+?),\s*(\S+?)\s*\}',
                                  open(sys.argv[2]).read()):
    total[part] = total.get(part, 0) + 1
    inside[part] = inside.get(part, 0) + (0 < float(fmr) < 1 and 0 < float(fnmr) < 1)
figs = re.findall(r'<figure[^>]*>(<svg class="plot"[^>]*aria-label="DET curves by ([^"]*)">.*?</svg>)\n'
                  r'<figcaption>(.*?)</figcaption>', html, re.S)
if len(figs) != len(total):
    sys.exit(f"{len(figs)} DET plots for {len(total)} partitions")
for svg, part, cap in figs:
    drawn = 0
    for pts in re.findall(r'class="det"[^>]*points="([^"]*)"', svg):
        for xy in pts.split():
            x, y = map(float, xy.split(","))
            if not (60 <= x <= 400 and 20 <= y <= 350):
                sys.exit(f"{part}: point {xy} outside the frame")
            drawn += 1
    if drawn != inside[part]:
        sys.exit(f"{part}: {drawn} points drawn of {inside[part]} with rates in (0, 1)")
    m = re.search(r"Not drawn \(a probit axis has no place for a rate of 0 or 1\): "
                  r"([0-9]+) of ([0-9]+) curve points", cap)
    if (int(m.group(1)), int(m.group(2))) != (total[part] - drawn, total[part]) if m else \
            drawn != total[part] or "Every point is drawn." not in cap:
        sys.exit(f"{part}: {drawn} of {total[part]} drawn; caption: {cap}")
    marks = len(re.findall(r'class="op"', svg))
    keys = len(re.findall(r'class="op-key"', svg))
    groups = len(re.findall(r'class="det"', svg))
    m = re.search(r"([0-9]+) of ([0-9]+) operating points", cap)
    marks_off, marks_all = (int(m.group(1)), int(m.group(2))) if m else (0, groups * keys)
    if keys != 2 or marks + marks_off != marks_all or marks_all != groups * keys:
        sys.exit(f"{part}: {marks} markers + {marks_off} left out, {groups} groups x {keys} "
                 f"targets: {cap}")
PY
