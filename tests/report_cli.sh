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
long=$(awk 'length($0) > 100' "$work/two.txt" | wc -l)
[ "$long" -eq 0 ] || fail "$long lines over 100 columns"

# One file: provenance, matrices, EER, failures.
"$shades" report "$a" >"$work/one.txt"
for want in '^adapter sha256 +[0-9a-f]{64}$' '^Cross-group FMR, sex x skin, at the threshold' \
            '^Equal error rate per group$' '^Images that failed$'; do
  grep -Eq "$want" "$work/one.txt" || fail "one-file report lacks /$want/"
done

# Markdown and CSV.
"$shades" report "$a" --format md >"$work/r.md"
grep -q '^### Target FMR 0.001: global threshold' "$work/r.md" || fail "markdown heading"
grep -q '^| group | FTE | FNMR \[interval\] |' "$work/r.md" || fail "markdown table header"
"$shades" report "$a" "$b" -o "$work/r.csv"
head -1 "$work/r.csv" | grep -q '^engine,file,partition,group,target_fmr,' || fail "csv header"
groups=$(h5dump -H -d /verification/groups "$a" | sed -n 's/.*DATASPACE  SIMPLE { ( \([0-9]*\) ).*/\1/p')
groups_b=$(h5dump -H -d /verification/groups "$b" | sed -n 's/.*DATASPACE  SIMPLE { ( \([0-9]*\) ).*/\1/p')
lines=$(wc -l <"$work/r.csv")
[ "$lines" -eq $((groups + groups_b + 1)) ] || fail "csv has $lines lines, want $((groups + groups_b + 1))"

# -o into a directory that does not exist: refused, nothing created.
if "$shades" report "$a" -o "$work/sub/r.html" 2>"$work/err.txt"; then
  fail "report -o into a missing directory succeeded"
fi
grep -qx "shades: error: report -o $work/sub/r.html: directory '$work/sub': No such file or directory" \
  "$work/err.txt" || fail "report -o into a missing directory: $(cat "$work/err.txt")"
[ ! -e "$work/sub" ] || fail "report -o created the missing directory"

# HTML: self-contained, with every kind of plot.
mkdir "$work/sub"
"$shades" report "$a" "$b" -o "$work/sub/r.html"
html="$work/sub/r.html"
for want in '<svg class="plot"' 'aria-label="DET curves by sex x skin"' \
            'aria-label="cross-group FMR"' 'aria-label="FNMR at the threshold for FMR 0.001' \
            'aria-label="FMR (same-group impostors) at the threshold' '<caption>Differentials across groups'; do
  grep -q "$want" "$html" || fail "html lacks $want"
done
# The score densities: one panel per group of sex x skin (four) in each run.
[ "$(sed -n '/aria-label="Score densities by sex x skin"/,/<\/svg>/p' "$html" |
     grep -c '<g class="panel"')" = 8 ] || fail "html lacks the four sex x skin density panels per run"
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

# DET plots of a weak engine (the demo's opencv-classic run, FNMR up to
# 0.97): every row of the file's DET table with both rates inside (0, 1)
# is drawn inside the frame, the caption counts the others, and every
# group is marked at every target's global threshold, bar those the
# caption counts.
classic="$(dirname "$a")/demo-classic.h5"
"$shades" report "$classic" -o "$work/classic.html"
h5dump -d /verification/det "$classic" >"$work/classic-det.txt"
python3 - "$work/classic.html" "$work/classic-det.txt" <<'PY' || fail "DET plots of the opencv-classic run"
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
