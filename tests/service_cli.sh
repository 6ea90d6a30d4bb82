#!/usr/bin/env bash
# service_cli.sh SHADES BAD WORK: engine.service and shades.provenance/1 end
# to end, with the test engines of tests/adapters/provenance.c (BAD holds
# them) on a generated cohort. A run through a service description hands
# the engine service=ABSOLUTE, records /engine/service (the description and
# its SHA-256) and the engine's lines in /engine/provenance, prints a
# service: and a provenance: line, and every report format shows the
# Service table; an engine that offers provenance without engine.service
# records it alone, and one that offers none records none. Each refusal
# (unreadable description, replay, an option 'service', --isolate, a
# dataset card that does not permit third-party processing or has none, a
# bad provenance line) is one line, exit 2, and no results file. rerun and
# --resume refuse a changed description. A file of schema 1.7 (neither
# object) still reads. WORK/svc.h5 is left for test_schema
# (docs/results-schema.md).
set -eu
shades=$1 bad=$2 work=$3
expect="$(cd "$(dirname "$0")" && pwd)/expect_error.sh"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

"$shades" cohort data --subjects 6 --images 2 >/dev/null
# The cohort's card, with a use that permits sending the images to a third party.
sed -i 's/^  - testing and demonstrating the harness$/&\n  - third-party processing by the test engines/' data/card.yaml
grep -q "^  - third-party processing by the test engines$" data/card.yaml || fail "card not edited"
mkdir -p services
printf 'name: acme-face\nendpoint: https://faces.example.invalid/v1\n' >services/acme-face.yaml
cfg() { # NAME RESULTS ENGINE [SERVICE] [EXTRA-ENGINE-KEYS]
  cat >"$1.yaml" <<YAML
run: {name: $1, seed: 3, bootstrap: 10}
dataset: {manifest: data/manifest.csv, card: data/card.yaml}
engine: {adapter: $3${4:+, service: $4}${5:+, $5}}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: $2}
YAML
}
run() { "$shades" run "$1.yaml" --no-checkpoint --progress off; }
attr() { # FILE OBJECT ATTRIBUTE: the attribute's string value, as h5dump prints it
  h5dump -a "$2/$3" "$1" | sed -n 's/^ *(0): "\(.*\)"$/\1/p'
}
refused() { # RESULTS: a refused run left nothing behind
  ! ls "$1"* >/dev/null 2>&1 || fail "a refused run left $(ls "$1"*)"
}

# ---- a service engine: recorded, printed, reported ----
cfg svc svc.h5 "$bad/libprov_good.so" services/acme-face.yaml
run svc >svc.out 2>svc.err || fail "run with engine.service: $(cat svc.err)"
[ ! -s svc.err ] || fail "unexpected stderr: $(cat svc.err)"
desc_sha=$(sha services/acme-face.yaml)
grep -qx "        service: acme-face, description ./services/acme-face.yaml (sha256 ${desc_sha:0:12})" svc.out ||
  fail "run output: no service line: $(cat svc.out)"
grep -qx "        provenance: 6 lines from the engine (shades.provenance/1): service, endpoint, model_version, region, cache, service_option" svc.out ||
  fail "run output: no provenance line: $(cat svc.out)"
[ "$(attr svc.h5 / schema_version)" = 1.15 ] || fail "schema_version $(attr svc.h5 / schema_version)"
[ "$(attr svc.h5 /engine/service description)" = ./services/acme-face.yaml ] ||
  fail "/engine/service description: $(attr svc.h5 /engine/service description)"
[ "$(attr svc.h5 /engine/service description_sha256)" = "$desc_sha" ] ||
  fail "/engine/service description_sha256"
# The table, row by row in the engine's order: its keys and values as h5dump prints them.
h5dump -d /engine/provenance svc.h5 | sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' >prov.txt
cat >prov.want <<TXT
service
stand-in face service
endpoint
https://faces.example.invalid/v1/compare
model_version
2026-11-01
region
eu-west-1
cache
off
service_option
$(pwd -P)/services/acme-face.yaml
TXT
diff prov.want prov.txt >/dev/null || fail "/engine/provenance: $(diff prov.want prov.txt)"
h5dump -H -d /engine/provenance svc.h5 | grep -q '} "value";' || fail "/engine/provenance has no value field"

"$shades" report svc.h5 >svc.txt
grep -qx "Service of svc.h5" svc.txt || fail "text report: no Service table"
grep -q "^service  *./services/acme-face.yaml (below)$" svc.txt || fail "text report: provenance table lacks the service row"
grep -q "^service description  *./services/acme-face.yaml$" svc.txt || fail "text report: no description"
grep -q "^description sha256  *$desc_sha$" svc.txt || fail "text report: no description sha256"
grep -q "^endpoint  *https://faces.example.invalid/v1/compare$" svc.txt || fail "text report: no provenance pair"
grep -q "^service_option  *$(pwd -P)/services/acme-face.yaml$" svc.txt || fail "text report: no service option"
"$shades" report svc.h5 -o svc.md
grep -q "Service of svc.h5" svc.md || fail "Markdown report: no Service table"
grep -q "| model_version  *| 2026-11-01  *|" svc.md || fail "Markdown report: no provenance pair"
grep -q "$desc_sha" svc.md || fail "Markdown report: no description sha256"
"$shades" report svc.h5 -o svc.html
grep -q "<caption>Service of svc.h5</caption>" svc.html || fail "HTML report: no Service table"
grep -q "https://faces.example.invalid/v1/compare" svc.html || fail "HTML report: no provenance pair"
grep -q "$desc_sha" svc.html || fail "HTML report: no description sha256"
! grep -qiE "<script|href=|src=" svc.html || fail "HTML report: a script or a link"

# ---- rerun reproduces it, and refuses once the description changed ----
"$shades" rerun svc.h5 >rerun.out || fail "rerun of a service run: $(cat rerun.out)"
cp services/acme-face.yaml desc.kept
printf 'name: acme-face\nendpoint: https://faces.example.invalid/v2\n' >services/acme-face.yaml
"$expect" 2 "shades: error: rerun svc.h5: service description $(pwd -P)/services/acme-face.yaml (sha256 $(sha services/acme-face.yaml)) is not the one the file records; refusing" \
  "$shades" rerun svc.h5 || fail "rerun with a changed description"
cp desc.kept services/acme-face.yaml

# ---- a checkpoint belongs to the description it was computed with ----
"$shades" run svc.yaml --progress off --keep-checkpoint >/dev/null 2>&1 || fail "run keeping its checkpoint"
printf 'name: acme-face\nendpoint: https://faces.example.invalid/v2\n' >services/acme-face.yaml
"$expect" 2 "shades: error: checkpoint ./svc.h5.checkpoint belongs to another run: its service_description was '$desc_sha', now '$(sha services/acme-face.yaml)'; delete the directory to start over" \
  "$shades" run svc.yaml --progress off --resume || fail "resume with a changed description"
cp desc.kept services/acme-face.yaml
rm -rf svc.h5.checkpoint

# ---- provenance without a service; a service engine without provenance; neither ----
cfg cache cache.h5 "$bad/libprov_good.so"
run cache >cache.out 2>&1 || fail "provenance without engine.service: $(cat cache.out)"
grep -q "^        service:" cache.out && fail "a service line without engine.service"
h5dump -n cache.h5 | grep -q "/engine/service$" && fail "/engine/service without engine.service"
h5dump -d /engine/provenance cache.h5 | grep -q '"service_option",' || fail "no /engine/provenance without engine.service"
grep -q "^service_option  *none$" <("$shades" report cache.h5) || fail "report: provenance without a service"
cfg quiet quiet.h5 "$bad/libprov_none.so" services/acme-face.yaml
run quiet >quiet.out 2>&1 || fail "a service engine without provenance: $(cat quiet.out)"
grep -q "^        provenance:" quiet.out && fail "a provenance line from an engine that offers none"
h5dump -n quiet.h5 | grep -q "/engine/provenance$" && fail "/engine/provenance from an engine that offers none"
[ "$(attr quiet.h5 /engine/service description_sha256)" = "$desc_sha" ] || fail "quiet: /engine/service"
grep -q "^engine provenance  *none: the engine does not offer shades.provenance/1$" <("$shades" report quiet.h5) ||
  fail "report: an engine without provenance"
cfg plain plain.h5 synthetic
run plain >/dev/null 2>&1 || fail "run without either"
h5dump -n plain.h5 | grep -qE "/engine/(service|provenance)$" && fail "a plain run recorded a service or provenance"
grep -q "Service of" <("$shades" report plain.h5) && fail "report of a plain run shows a Service table"
"$shades" report svc.h5 plain.h5 >both.txt
grep -q "WARNING: The runs used different service descriptions" both.txt || fail "comparison: no service difference"
# Under --isolate an engine's provenance is not asked (the wire does not carry it).
sed 's/^output: .*/output: {results: cache-iso.h5}/' cache.yaml >cache-iso.yaml
"$shades" run cache-iso.yaml --isolate --no-checkpoint --progress off >/dev/null 2>&1 || fail "isolated run of a provenance engine"
h5dump -n cache-iso.h5 | grep -q "/engine/provenance$" && fail "an isolated run recorded provenance"

# ---- a file of schema 1.7 (before either object) still reads ----
cp svc.h5 old.h5
/usr/bin/python3 - old.h5 <<'PY' || fail "could not make a 1.7 file"
import sys, h5py
f = h5py.File(sys.argv[1], "r+")
del f["/engine/service"], f["/engine/provenance"]
f.attrs["schema_version"] = "1.7"
PY
"$shades" report old.h5 >old.txt || fail "a 1.7 file does not read: $(cat old.txt)"
grep -q "Service of" old.txt && fail "a 1.7 file shows a Service table"
grep -q "^service  *none (engine.service, docs/config.md)$" old.txt || fail "a 1.7 file: service row"

# ---- refusals: one line, exit 2, nothing written ----
sed 's/^output: .*/output: {results: refused.h5}/' svc.yaml >refused.yaml
"$expect" 2 "shades: error: refused.yaml:3: field 'engine.service': --isolate runs the engine in sandboxed workers, which have no network, and this engine sends the images over the network to a service; a service engine runs in-process (docs/isolation.md)" \
  "$shades" run refused.yaml --no-checkpoint --progress off --isolate || fail "--isolate"
refused refused.h5
cfg refused refused.h5 "$bad/libprov_good.so" services/absent.yaml
"$expect" 2 "shades: error: refused.yaml:3: field 'engine.service': cannot read ./services/absent.yaml: No such file or directory" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "unreadable description"
refused refused.h5
cfg refused refused.h5 "$bad/libprov_good.so" services/acme-face.yaml "options: [service=services/other.yaml]"
"$expect" 2 "shades: error: refused.yaml:3: field 'engine.options': 'service=services/other.yaml': the option 'service' is engine.service's to give, after its checks; name the description in engine.service instead" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "an option 'service'"
refused refused.h5
cfg refused refused.h5 replay services/acme-face.yaml "scores: {file: scores.csv}"
printf 'reference_id,probe_id,score\n' >scores.csv
"$expect" 2 "shades: error: refused.yaml:3: field 'engine.service': adapter: replay runs no engine to configure" \
  "$shades" run refused.yaml || fail "replay"
refused refused.h5
cfg refused refused.h5 "$bad/libprov_bad_key.so" services/acme-face.yaml
"$expect" 2 "shades: error: engine 'prov_bad_key': shades.provenance/1 line 4 'Region=eu-west-1': the key is not lowercase letters, digits and '_' ([a-z0-9_]+)" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "a bad provenance key"
refused refused.h5
cfg refused refused.h5 "$bad/libprov_good.so" services/acme-face.yaml
line=$(grep -n "^permitted_uses:" data/card.yaml | cut -d: -f1)
cp data/card.yaml card.kept
sed -i '/^  - third-party processing by the test engines$/d' data/card.yaml
"$expect" 2 "shades: error: ./data/card.yaml:$line: field 'permitted_uses': does not permit third-party processing, which engine.service (acme-face) needs: it sends the images to a third party's service (docs/datasets.md)" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "a card without third-party processing"
refused refused.h5
cp card.kept data/card.yaml
sed -i 's/^  - testing and demonstrating the harness$/&\n  - NO Third-Party Processing/' data/card.yaml
"$expect" 2 "shades: error: ./data/card.yaml:$line: field 'permitted_uses': rules out third-party processing, which engine.service (acme-face) needs: it sends the images to a third party's service (docs/datasets.md)" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "a card ruling out third-party processing"
refused refused.h5
cp card.kept data/card.yaml
sed -i 's|, card: data/card.yaml||' refused.yaml
"$expect" 2 "shades: error: refused.yaml:2: field 'dataset.card': none, and engine.service (acme-face) sends the images to a third party's service, which only a dataset card whose permitted_uses allow third-party processing permits (docs/datasets.md)" \
  "$shades" run refused.yaml --no-checkpoint --progress off || fail "no dataset card"
refused refused.h5
echo "service_cli: ok"
