#!/usr/bin/env bash
# model_card_cli.sh SHADES WORK: engine.model_card end to end, on a small
# card with stand-in files this script writes (no real model needed). A
# run with the card records it in /engine/model_card and the text, Markdown
# and HTML reports show it; a card naming a withdrawn training dataset
# gives the warning on stderr, in the file and in the summary; a missing
# or altered file refuses the run with one line and writes nothing, and so
# does a file in engine.config_dir or named by an option that the card does
# not pin; two
# runs on different cards are flagged side by side; rerun refuses a changed
# card, and so does --resume. WORK/mc.h5 is left for test_schema
# (docs/results-schema.md).
set -eu
shades=$1 work=$2
expect="$(cd "$(dirname "$0")" && pwd)/expect_error.sh"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$shades" cohort data --subjects 6 --images 2 >/dev/null
mkdir -p models/stand-in-1
printf 'detector weights\n' >models/stand-in-1/detect.bin
printf 'embedding weights\n' >models/stand-in-1/embed.bin
sha() { sha256sum "$1" | cut -d' ' -f1; }
card() { # TRAINING-DATASETS
  cat >models/stand-in-1/card.yaml <<YAML
name: stand-in
version: "1"
package: none, written by tests/model_card_cli.sh
source: https://example.invalid/stand-in-1.tgz
source_sha256: $(printf 'package' | sha256sum | cut -d' ' -f1)
licence: MIT, as the test states
training_data: "not stated: the test does not say"
training_datasets: $1
files:
  - path: detect.bin
    from: package/detect.bin
    sha256: $(sha models/stand-in-1/detect.bin)
    purpose: face detection stand-in
  - path: embed.bin
    from: package/embed.bin
    sha256: $(sha models/stand-in-1/embed.bin)
    purpose: embedding stand-in
YAML
}
cfg() { # NAME RESULTS [MODEL-CARD]
  cat >"$1.yaml" <<YAML
run: {name: $1, seed: 3, bootstrap: 10}
dataset: {manifest: data/manifest.csv, card: data/card.yaml}
engine: {adapter: synthetic${3:+, model_card: $3}}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: $2}
YAML
}
run() { "$shades" run "$1.yaml" --no-checkpoint --progress off; }

# ---- a card with nothing withdrawn: recorded, reported, no warning ----
card "[]"
cfg mc mc.h5 models/stand-in-1/card.yaml
run mc >mc.out 2>mc.err || fail "run with a model card: $(cat mc.err)"
[ ! -s mc.err ] || fail "unexpected stderr: $(cat mc.err)"
/usr/bin/python3 - mc.h5 models/stand-in-1/card.yaml <<'PY' || fail "model card not recorded"
import hashlib, sys
import h5py
f = h5py.File(sys.argv[1], "r")
g = f["/engine/model_card"]
a = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in g.attrs.items()}
text = open(sys.argv[2]).read()
assert a["name"] == "stand-in" and a["version"] == "1", a
assert a["licence"] == "MIT, as the test states", a
assert a["training_data"] == "not stated: the test does not say", a
assert a["training_datasets"] == "" and a["warning"] == "", a
assert a["card"] == text, "card text"
assert a["card_sha256"] == hashlib.sha256(text.encode()).hexdigest(), a["card_sha256"]
assert a["shipped_as"] == "", "a card of the test's own is not one shades ships"
assert f.attrs["schema_version"] in ("1.15", b"1.15"), f.attrs["schema_version"]
rows = f["/engine/model_card/files"][()]
assert [r["path"].decode() for r in rows] == ["detect.bin", "embed.bin"], rows
assert rows[1]["purpose"].decode() == "embedding stand-in", rows
assert rows[0]["sha256"].decode() == hashlib.sha256(b"detector weights\n").hexdigest()
PY
"$shades" report mc.h5 >mc.txt
grep -q "^Model card of mc.h5" mc.txt || fail "text report: no model card table"
grep -q "^model  *stand-in$" mc.txt || fail "text report: no model name"
grep -q "^licence  *MIT, as the test states$" mc.txt || fail "text report: no licence"
grep -q "^training data  *NOT STATED: the publisher does not say" mc.txt ||
  fail "text report: training data not stated plainly"
grep -q "^file detect.bin  *face detection stand-in; sha256" mc.txt || fail "text report: no files"
grep -q "Model warning" mc.txt && fail "text report: a warning for a card naming nothing withdrawn"
"$shades" report mc.h5 -o mc.html
grep -q "<caption>Model card of mc.h5</caption>" mc.html || fail "HTML report: no model card table"
grep -q "NOT STATED: the publisher does not say" mc.html || fail "HTML report: training data"
"$shades" report mc.h5 -o mc.md
grep -q "Model card of mc.h5" mc.md || fail "Markdown report: no model card table"

# ---- rerun reproduces it, and refuses once the card changed ----
"$shades" rerun mc.h5 >rerun.out || fail "rerun of a run with a model card: $(cat rerun.out)"
cp models/stand-in-1/card.yaml card.kept
sed -i 's/^licence: .*/licence: MIT, changed after the run/' models/stand-in-1/card.yaml
"$expect" 2 "shades: error: rerun mc.h5: model card $(pwd -P)/models/stand-in-1/card.yaml (sha256 $(sha models/stand-in-1/card.yaml)) is not the one the file records; refusing" \
  "$shades" rerun mc.h5 || fail "rerun with a changed model card"
mv card.kept models/stand-in-1/card.yaml

# ---- a checkpoint belongs to the model card it was computed with ----
"$shades" run mc.yaml --progress off --keep-checkpoint >/dev/null 2>&1 || fail "run keeping its checkpoint"
was=$(sha models/stand-in-1/card.yaml)
cp models/stand-in-1/card.yaml card.kept
sed -i 's/^licence: .*/licence: MIT, changed after the run/' models/stand-in-1/card.yaml
"$expect" 2 "shades: error: checkpoint ./mc.h5.checkpoint belongs to another run: its model_card was '$was', now '$(sha models/stand-in-1/card.yaml)'; delete the directory to start over" \
  "$shades" run mc.yaml --progress off --resume || fail "resume with a changed model card"
mv card.kept models/stand-in-1/card.yaml
rm -rf mc.h5.checkpoint

# ---- a run without a card writes no /engine/model_card ----
cfg plain plain.h5
run plain >/dev/null 2>&1 || fail "run without a model card"
/usr/bin/python3 -c 'import h5py, sys; assert "model_card" not in h5py.File(sys.argv[1], "r")["/engine"]' plain.h5 ||
  fail "a run without a model card recorded one"
grep -q "Model card of" <("$shades" report plain.h5) && fail "report of a run without a model card shows one"
"$shades" report mc.h5 plain.h5 >both.txt
grep -q "WARNING: The runs used different model cards" both.txt || fail "comparison: no model card difference"

# ---- training datasets naming a withdrawn dataset: a warning everywhere ----
card "[MS1M-ArcFace, Glint360K]"
cfg withdrawn withdrawn.h5 models/stand-in-1/card.yaml
run withdrawn >withdrawn.out 2>withdrawn.err || fail "a withdrawn training dataset refused the run"
want="shades: warning: model stand-in 1 was trained on withdrawn data: MS-Celeb-1M was withdrawn (2019):"
grep -qF "$want" withdrawn.err || fail "no warning on stderr: $(cat withdrawn.err)"
[ "$(grep -c . withdrawn.err)" = 1 ] || fail "more than the warning on stderr: $(cat withdrawn.err)"
"$shades" report withdrawn.h5 >withdrawn.txt
grep -q "^Model warning: stand-in 1 was trained on withdrawn data: MS-Celeb-1M was withdrawn" withdrawn.txt ||
  fail "text summary: no model warning"
grep -q "^training datasets  *MS1M-ArcFace, Glint360K$" withdrawn.txt || fail "text report: training datasets"
"$shades" report withdrawn.h5 -o withdrawn.html
grep -q "<strong>Model warning:</strong> stand-in 1 was trained on withdrawn data: MS-Celeb-1M" withdrawn.html ||
  fail "HTML summary: no model warning"
/usr/bin/python3 -c '
import h5py, sys
w = h5py.File(sys.argv[1], "r")["/engine/model_card"].attrs["warning"]
w = w.decode() if isinstance(w, bytes) else w
assert w.startswith("stand-in 1 was trained on withdrawn data: MS-Celeb-1M was withdrawn (2019)"), w
assert "Glint" not in w, w' withdrawn.h5 || fail "warning not recorded"

# ---- a missing or altered file: one line, exit 2, nothing written ----
card "[]"
cfg refused refused.h5 models/stand-in-1/card.yaml
mv models/stand-in-1/embed.bin embed.bin
"$expect" 2 "shades: error: ./models/stand-in-1/embed.bin: missing (fetch it with scripts/fetch_models.py)" \
  "$shades" run refused.yaml --progress off || fail "missing file"
[ ! -e refused.h5 ] || fail "a refused run wrote results"
printf 'altered weights\n' >models/stand-in-1/embed.bin
"$expect" 2 "shades: error: ./models/stand-in-1/embed.bin: SHA-256 differs from the model card ./models/stand-in-1/card.yaml (fetch it again with scripts/fetch_models.py)" \
  "$shades" run refused.yaml --progress off || fail "altered file"
[ ! -e refused.h5 ] || fail "a refused run wrote results"
ls refused.h5* 2>/dev/null && fail "a refused run left files behind"
mv embed.bin models/stand-in-1/embed.bin

# ---- engine.config_dir elsewhere: every file there must be one the card pins ----
mkdir -p copy
cp models/stand-in-1/detect.bin models/stand-in-1/embed.bin models/stand-in-1/card.yaml copy/
sed -i 's|^engine: .*|engine: {adapter: synthetic, config_dir: copy, model_card: models/stand-in-1/card.yaml}|' refused.yaml
run refused >/dev/null 2>refused.err || fail "an intact copy of the card's files refused: $(cat refused.err)"
rm -f refused.h5
printf 'altered weights\n' >copy/detect.bin
"$expect" 2 "shades: error: $(pwd -P)/copy/detect.bin: not a file the model card ./models/stand-in-1/card.yaml pins (its SHA-256 $(sha copy/detect.bin) is none of the card's; the engine may read only the card's files, as scripts/fetch_models.py installs them)" \
  "$shades" run refused.yaml --progress off || fail "altered file in config_dir"
[ ! -e refused.h5 ] || fail "a refused run wrote results"
cp models/stand-in-1/detect.bin copy/detect.bin
printf 'extra\n' >copy/extra.bin
"$expect" 2 "shades: error: $(pwd -P)/copy/extra.bin: not a file the model card ./models/stand-in-1/card.yaml pins (its SHA-256 $(sha copy/extra.bin) is none of the card's; the engine may read only the card's files, as scripts/fetch_models.py installs them)" \
  "$shades" run refused.yaml --progress off || fail "extra file in config_dir"
rm copy/extra.bin
printf 'option file\n' >opt.bin
sed -i "s|^engine: .*|engine: {adapter: synthetic, model_card: models/stand-in-1/card.yaml, options: [model=$(pwd -P)/opt.bin]}|" refused.yaml
"$expect" 2 "shades: error: $(pwd -P)/opt.bin: not a file the model card ./models/stand-in-1/card.yaml pins (its SHA-256 $(sha opt.bin) is none of the card's; the engine may read only the card's files, as scripts/fetch_models.py installs them)" \
  "$shades" run refused.yaml --progress off || fail "an option naming a file the card does not pin"
ls refused.h5* 2>/dev/null && fail "a refused run left files behind"
echo "model_card_cli: ok"
