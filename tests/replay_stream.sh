#!/usr/bin/env bash
# replay_stream.sh SHADES: replayed scores of all pairs are streamed from
# their file (harness/replay_source.c) and give exactly the tables of the
# listed, in-memory path (SHADES_REPLAY_LISTED=1), with one or three
# threads, from plain, gzip and zstd files with a byte-order mark, CRLF
# endings, quoted fields, pairs either way round and failed comparisons;
# whether their scores are held after one read (decimals of few places,
# with a few others held aside: full-precision scores, -0.0), or read again
# on each pass (mostly full-precision scores, or many after the first rows);
# and every malformed file gets the same message from both paths.
set -euo pipefail
shades=$1
. "$(dirname "$0")/h5_strip.sh"
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "replay_stream: $*" >&2; exit 1; }

# 40 subjects x 3 images, two groups; every pair scored, some reversed.
awk 'BEGIN { print "image_id,subject_id,path,sex"
  for (s = 0; s < 40; s++) for (k = 0; k < 3; k++)
    printf "img%d_%d,s%d,x/%d_%d.png,%s\n", s, k, s, s, k, (s % 2 ? "F" : "M") }' >manifest.csv
awk 'BEGIN { srand(3); printf "\357\273\277reference_id,probe_id,score\r\n"
  n = 0; for (s = 0; s < 40; s++) for (k = 0; k < 3; k++) { id[n] = "img" s "_" k; sub_[n++] = s }
  for (a = 0; a < n; a++) for (b = a + 1; b < n; b++) {
    x = id[a]; y = id[b]
    if ((a + b) % 3 == 0) { t = x; x = y; y = t }
    if ((a * b) % 7 == 0) x = "\"" x "\""
    sc = sub_[a] == sub_[b] ? 0.6 + 0.3 * rand() : 0.4 * rand()
    r = (a + 2 * b) % 11
    if (r == 0) s = ""
    else if (r == 1) s = sprintf("%.3e", sc)
    else if (r == 2) s = sprintf("%.17g", sc)
    else s = sprintf("%.6f", sc)
    if (a == 5 && b == 9) s = "0.25"
    if (a == 6 && b == 9) s = "0.25"
    printf "%s,%s,%s\r\n", x, y, s } }' >scores.csv
gzip -k scores.csv
zstd -q -k scores.csv
# Each run in a folder of its own, its scores file named "scores" whatever
# its compression, so the configs (stored in the results) are the same.
config() { # SCORES-FILE RESULTS
  cat <<YAML
run: {name: replay-stream, bootstrap: 50, seed: 9}
dataset: {manifest: ../manifest.csv}
engine: {adapter: replay, scores: {file: $1}}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-1, 1e-2, 1e-3]}
output: {results: $2}
YAML
}
run() { # NAME SCORES-FILE THREADS [ENV...]
  local name=$1 file=$2 threads=$3
  shift 3
  mkdir "$name"
  cp "$file" "$name/scores"
  config scores out.h5 >"$name/run.yaml"
  (cd "$name" && env "$@" "$shades" run run.yaml --threads "$threads" >out 2>err) ||
    true
  [ -s "$name/out.h5" ] || { cat "$name/err" >&2; fail "$name: no results"; }
  h5_strip "$name/out.h5" >"$name/full"
  # adapter_sha256 is the scores file's, which compression changes.
  h5_strip "$name/out.h5" adapter_sha256 >"$name/dump"
}
# The tables of run NAME are those of run LISTED, or the test fails showing how.
same_tables() { # LISTED NAME
  diff "$1/dump" "$2/dump" >/dev/null ||
    { diff "$1/dump" "$2/dump" | head -20 >&2; fail "$2 differs"; }
}
# The run of FILE on THREADS threads, and the listed path's on one, give the same tables.
as_listed() { # NAME FILE THREADS
  run "listed_$1" "$2" 1 SHADES_REPLAY_LISTED=1
  run "$1" "$2" "$3"
  same_tables "listed_$1" "$1"
}
run listed scores.csv 1 SHADES_REPLAY_LISTED=1
grep -q '"n_false_match"' listed/dump || fail "the dump holds no table"
for r in "plain scores.csv 1" "plain3 scores.csv 3" "gzip scores.csv.gz 3" \
         "zstd scores.csv.zst 2"; do
  set -- $r
  run "$1" "$2" "$3"
  same_tables listed "$1"
done
cmp -s listed/full plain/full || fail "plain differs in adapter_sha256"
# Each row without a score is a failed comparison in /failures, and said.
empty=$(grep -c $',\r$' scores.csv)
[ "$empty" -gt 0 ] || fail "the file has no empty score"
for d in listed plain gzip; do
  rows=$(h5dump -d /failures "$d/out.h5" | grep -c '"no_score"' || true)
  [ "$rows" -eq "$empty" ] || fail "$d: $rows no_score rows in /failures for $empty empty scores"
  grep -q "^        $empty pairs without a score (failed comparisons, never a match; in /failures)$" \
    "$d/out" || fail "$d: the summary does not count the rows without a score"
done
reads() { # NAME EXPECTED-TEXT
  grep -q "scores file read $2\$" "$1/out" ||
    fail "$1: expected 'scores file read $2': $(grep 'scores file' "$1/out")"
}
# One score in 11 of full precision, the rest short: held, those aside.
reads plain "once, then its scores held in memory (4 bytes a pair)"

# Scores of six places (and failed comparisons): read once, then held.
sed 's/,\([0-9.e+-]*\)\r$/,\1\r/' scores.csv | awk -F, 'BEGIN { OFS = "," }
  NR > 1 && $3 != "\r" { sub(/\r$/, "", $3); $3 = sprintf("%.6f\r", $3) } { print }' >six.csv
zstd -q -k six.csv
run listed6 six.csv 1 SHADES_REPLAY_LISTED=1
for r in "held6 six.csv 1" "held6x3 six.csv 3" "held6zstd six.csv.zst 2"; do
  set -- $r
  run "$1" "$2" "$3"
  same_tables listed6 "$1"
  reads "$1" "once, then its scores held in memory (4 bytes a pair)"
done
# Full precision from the 3,000th row on: more than can be held aside, so
# holding stops and the file is read again (check, pass 1 and pass 2: no
# sample was kept), with the same tables.
awk 'NR >= 3000 && !/,\r$/ { sub(/,[^,]*\r$/, sprintf(",%.17g\r", 0.4 * NR / 7141)) }
  { print }' six.csv >late.csv
as_listed late late.csv 2
reads late "3 times"
# Every full-precision file: never held, read twice (the sample kept).
awk 'NR > 1 && !/,\r$/ { sub(/,[^,]*\r$/, sprintf(",%.17g\r", 0.4 * NR / 7141)) }
  { print }' six.csv >full.csv
as_listed full full.csv 3
reads full "2 times"
# -0.0 is held aside (held as a count it would come back +0.0): here it is
# the EER's threshold, whose sign the tables show.
awk 'NR > 1 && !/,\r$/ { split($0, f, ","); gsub(/"|_.*/, "", f[1]); gsub(/"|_.*/, "", f[2])
  u = (NR * 7919) % 100
  sub(/,[^,]*\r$/, f[1] == f[2] ? (u < 50 ? ",1.000000\r" : ",-1.000000\r") \
                                  : (u < 90 ? ",-0.500000\r" : ",-0.000000\r")) }
  { print }' six.csv >zero.csv
as_listed zero zero.csv 2
reads zero "once, then its scores held in memory (4 bytes a pair)"
grep -q -- '-0,' listed_zero/dump || fail "zero: no -0 in the tables; the case tests nothing"

# Malformed files: the streamed path words each as the listed path does.
bad() { # NAME SED-SCRIPT
  sed "$2" scores.csv >"$1.csv"
  config "$1.csv" "$1.h5" | sed 's|\.\./manifest|manifest|' >"$1.yaml"
  local a b
  a=$("$shades" run "$1.yaml" 2>&1 >/dev/null || true)
  b=$(SHADES_REPLAY_LISTED=1 "$shades" run "$1.yaml" 2>&1 >/dev/null || true)
  [ -n "$a" ] || fail "$1: no error"
  [ "$a" = "$b" ] || fail "$1: streamed '$a', listed '$b'"
  case "$a" in *"$3"*) ;; *) fail "$1: '$a' lacks '$3'" ;; esac
}
bad unknown '900s/^"\{0,1\}img[0-9_]*"\{0,1\}/nobody/' \
  ":900: field 'reference_id': 'nobody' is not an image_id"
bad nan '1200s/,[^,]*\r$/,high\r/' ":1200: field 'score': 'high' is not a finite number"
bad twice '3000p' ":3001: reference"
bad reversed '3000{p;s/^\([^,]*\),\([^,]*\),/\2,\1,/}' \
  "score the pair that line 3000 already scored"
bad missing '4000d' "pair of the run has no score"
bad header '1s/score/sc/' ":1: header: no column 'score'"
bad width '2000s/\r$/,x\r/' ":2000: row has 4 fields, the header has 3"
bad quote '2500s/^/"/' ":2500: malformed CSV"
# A compressed file cut short: one message naming the line the text breaks
# off in (as far as the part that is there decompresses), no results.
for c in gz zst; do
  size=$(stat -c %s "scores.csv.$c")
  head -c $((size / 2)) "scores.csv.$c" >"cut.csv.$c"
  config "cut.csv.$c" "cut-$c.h5" | sed 's|\.\./manifest|manifest|' >"cut-$c.yaml"
  line=$(python3 - "cut.csv.$c" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
if sys.argv[1].endswith('.gz'):
    text = zlib.decompressobj(16 + 15).decompress(data)
else:  # zstd: Python has no zstd module; the command's output, as far as it goes
    import subprocess
    text = subprocess.run(['zstd', '-dc'], input=data, capture_output=True).stdout
ends = text.count(b'\n') + sum(1 for i, ch in enumerate(text)
                              if ch == 13 and text[i + 1:i + 2] != b'\n')
print(ends + 1)
PY
)
  out=$("$shades" run "cut-$c.yaml" 2>&1 >/dev/null || true)
  want="cut.csv.$c:$line: $([ $c = gz ] && echo gzip || echo zstd) data ends early: the file is cut short"
  case "$out" in *"$want") ;; *) fail "cut $c: '$out', expected '...$want'" ;; esac
  [ "$(echo "$out" | grep -c .)" -eq 1 ] || fail "cut $c: not one line: $out"
  [ ! -e "cut-$c.h5" ] || fail "cut $c: a results file was written"
done
: >empty.csv
config empty.csv empty.h5 | sed 's|\.\./manifest|manifest|' >empty.yaml
out=$("$shades" run empty.yaml 2>&1 || true)
case "$out" in *"empty.csv:1: empty file, expected a header row"*) ;; *) fail "empty: $out" ;; esac
echo "replay_stream: ok"
