#!/usr/bin/env bash
# attestation_cli.sh SHADES PYTHON SOURCE_DIR: keygen, sign, verify and rerun
# as docs/attestation.md describes them. A signed file verifies, also after
# h5repack; one value changed through the HDF5 library (a table cell, an
# attribute, a DET point) fails verify naming it; another key, an unsigned
# file and a second signature are refused; run --sign writes a signed file;
# the doc's h5py verifier and Merkle snippet agree with shades; reports show
# the status; rerun of the demo config is identical, names a changed cell and
# refuses another adapter; the files under engine.config_dir are recorded,
# signed, and a changed or missing one is refused by rerun (run from
# anywhere).
set -euo pipefail
shades=$1 python=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "attestation: $*" >&2; exit 1; }
cd "$work"
expect() { # EXIT PATTERN COMMAND...: runs COMMAND, wants EXIT and PATTERN in its output
  local want=$1 pattern=$2; shift 2
  set +e; "$@" >out.txt 2>&1; local got=$?; set -e
  [ "$got" -eq "$want" ] && grep -q -- "$pattern" out.txt ||
    fail "$* exited $got (want $want), wanted '$pattern' in: $(cat out.txt)"
}
flip() { # FILE PYTHON-STATEMENTS (f is the open file)
  "$python" -c "import h5py, numpy as np
f = h5py.File('$1', 'r+')
$2
f.close()"
}

"$shades" demo --out demo --faces 0 --subjects 120 --images 3 --progress off >/dev/null
cp demo/demo.h5 plain.h5

# Keys: owner-only private key, a public key beside it, never overwritten.
expect 0 "fingerprint: SHA256:" "$shades" keygen k.pem
[ "$(stat -c %a k.pem)" = 600 ] || fail "k.pem has mode $(stat -c %a k.pem)"
[ -s k.pem.pub ] || fail "no k.pem.pub"
fpr=$(sed -n 's/^fingerprint: //p' out.txt)
"$shades" keygen other.pem >/dev/null

# Sign and verify; a plain file is unsigned (exit 1, never valid).
expect 1 "plain.h5: unsigned" "$shades" verify plain.h5
# Another program's HDF5 file is an error, as report says, not "unsigned".
"$python" -c "import h5py; h5py.File('other.h5', 'w')['x'] = [1]"
expect 2 "other.h5: not a shades results file (no schema_version attribute)" "$shades" verify other.h5
cp plain.h5 s.h5
expect 0 "signed by key $fpr" "$shades" sign s.h5 --key k.pem
expect 0 "s.h5: signed by key $fpr, valid" "$shades" verify s.h5
expect 0 "valid" "$shades" verify s.h5 --key k.pem.pub
expect 1 "not by the expected key" "$shades" verify s.h5 --key other.pem.pub
# One signature per file: a second key is refused, the file unchanged.
sum=$(sha256sum s.h5)
expect 2 "already signed by key $fpr" "$shades" sign s.h5 --key other.pem
[ "$(sha256sum s.h5)" = "$sum" ] || fail "a refused re-sign changed the file"

# A repack keeps the content, and so the signature: plain, compressed as a
# user would ask (the demo file holds an empty table, /engine/model_files,
# which h5repack cannot compress unless it is chunked), and rechunked.
[ "$(h5ls s.h5/engine/model_files)" = "model_files              Dataset {0/Inf}" ] ||
  fail "the demo file no longer holds an empty table: $(h5ls s.h5/engine/model_files)"
h5repack s.h5 repacked.h5
h5repack -f GZIP=9 s.h5 gzipped.h5 || fail "h5repack -f GZIP=9 failed"
h5repack -f GZIP=9 -l CHUNK=7 s.h5 chunk7.h5 || fail "h5repack -l CHUNK=7 failed"
expect 0 "valid" "$shades" verify repacked.h5
expect 0 "valid" "$shades" verify gzipped.h5
expect 0 "valid" "$shades" verify chunk7.h5

# One value of each kind, changed through the HDF5 library.
cp s.h5 cell.h5 && flip cell.h5 "d = f['/verification/groups']; r = d[0]; r['fnmr'] += 0.001; d[0] = r"
expect 1 "ALTERED: /verification/groups$" "$shades" verify cell.h5
cp s.h5 attr.h5 && flip attr.h5 "f['/verification'].attrs['confidence'] = 0.9"
expect 1 "ALTERED: /verification@confidence" "$shades" verify attr.h5
cp s.h5 root.h5 && flip root.h5 "f.attrs['adapter_sha256'] = '0' * 64"
expect 1 "ALTERED: /@adapter_sha256" "$shades" verify root.h5
cp s.h5 det.h5 && flip det.h5 "d = f['/verification/det']; r = d[3]; r['fmr'] = r['fmr'] * 2 + 1e-9; d[3] = r"
expect 1 "ALTERED: /verification/det" "$shades" verify det.h5
cp s.h5 added.h5 && flip added.h5 "f['/extra'] = np.arange(3)"
expect 1 "ALTERED: /extra" "$shades" verify added.h5
cp s.h5 sig.h5 && flip sig.h5 "s = f['/signature'].attrs['signature']; f['/signature'].attrs['signature'] = ('1' if s[0] != '1' else '2') + s[1:]"
expect 1 "ALTERED: /signature" "$shades" verify sig.h5

# run --sign writes a signed file.
sed 's|^  results: .*|  results: signed/run.h5|' demo/demo.yaml >demo/signed.yaml
grep -q "signed/run.h5" demo/signed.yaml || fail "could not point the demo config elsewhere"
set +e; "$shades" run demo/signed.yaml --sign k.pem --progress off --no-checkpoint >/dev/null 2>&1
status=$?; set -e
[ "$status" -le 1 ] || fail "run --sign exited $status"
expect 0 "valid" "$shades" verify demo/signed/run.h5 --key k.pem.pub

# The doc's h5py verifier agrees with shades; it rejects a changed file.
sed -n '/^## Verifying without shades/,/^## /p' "$src/docs/attestation.md" |
  sed -n '/^```python$/,/^```$/p' | sed '1d;$d' >verify.py
[ "$(grep -c . verify.py)" -le 16 ] || fail "the doc's verifier is not short: $(grep -c . verify.py) lines"
expect 0 " True$" "$python" verify.py s.h5
expect 0 " True$" "$python" verify.py gzipped.h5
expect 1 "InvalidSignature" "$python" verify.py cell.h5

# The doc's Merkle snippet gives the recorded root from the cohort's images.
sed -n '/^A verifier holding the images/,/^## /p' "$src/docs/attestation.md" |
  sed -n '/^```$/,/^```$/p' | sed '1d;$d' >merkle.py
[ -s merkle.py ] || fail "no Merkle snippet in docs/attestation.md"
cat >>merkle.py <<'PY'
import csv, os, sys, h5py
m = sys.argv[1]
rows = list(csv.DictReader(open(m)))
paths = [os.path.join(os.path.dirname(m), r["path"]) for r in rows]
f = h5py.File(sys.argv[2], "r")
print(merkle(paths) == f.attrs["images_merkle_root"], int(f.attrs["images_hashed"]) == len(paths))
PY
expect 0 "True True" "$python" merkle.py demo/demo-cohort/manifest.csv s.h5

# Reports carry the status at the top.
expect 0 "signed by key $fpr, valid" "$shades" report s.h5
expect 0 "unsigned" "$shades" report plain.h5
"$shades" report cell.h5 -o cell.html
grep -q "<p>Signature: ALTERED: /verification/groups</p>" cell.html || fail "HTML report lacks the status"

# Rerun: identical; a changed cell named with both values; another adapter refused.
expect 0 "s.h5: identical" "$shades" rerun s.h5
expect 1 "differs: /verification/groups: row 0 column fnmr: file " "$shades" rerun cell.h5
expect 2 "is not the one the file records; refusing" "$shades" rerun root.h5
[ "$(grep -c . out.txt)" -eq 1 ] || fail "rerun's refusal is not one line: $(cat out.txt)"
[ -z "$(ls -A demo | grep -e rerun -e '\.tmp\.')" ] || fail "rerun left files: $(ls -A demo)"
# The verdict, which no table holds, is compared too.
cp plain.h5 verdict.h5
flip verdict.h5 'f.attrs["criteria_passed"] = "fail" if f.attrs["criteria_passed"] == "pass" else "pass"'
expect 1 "verdict.h5: differs: attribute criteria_passed: '" "$shades" rerun verdict.h5
# An image changed since: refused before the engine sees one, not a difference.
img=demo/demo-cohort/$(sed -n 2p demo/demo-cohort/manifest.csv | cut -d, -f3)
cp "$img" saved.png
printf x >>"$img"
expect 2 "the images of manifest .* are not the ones the file records (.*): an image file changed; refusing" \
  "$shades" rerun plain.h5
cp saved.png "$img"
# Model files: the files under engine.config_dir are recorded (absolute
# paths, SHA-256, size), bound by the signature, and checked by rerun, which
# works from any directory (the config's path is recorded absolute).
mkdir -p demo/models/sub elsewhere
echo detector >demo/models/det.onnx && echo recognizer >demo/models/sub/rec.onnx
sed -e 's|^  adapter: synthetic$|&\n  config_dir: models|' \
    -e 's|^  results: .*|  results: models-run/run.h5|' demo/demo.yaml >demo/models.yaml
grep -q "config_dir: models" demo/models.yaml || fail "could not give the demo config a config_dir"
set +e; "$shades" run demo/models.yaml --sign k.pem --progress off --no-checkpoint >/dev/null 2>&1
status=$?; set -e
[ "$status" -le 1 ] || fail "run with config_dir exited $status"
here=$(pwd -P) m=demo/models-run/run.h5
cat >models.py <<'PY'
import hashlib, sys, h5py
rows = [tuple(x.decode() if isinstance(x, bytes) else int(x) for x in r)
        for r in h5py.File(sys.argv[1], "r")["/engine/model_files"][()]]
want = [(p, hashlib.sha256(open(p, "rb").read()).hexdigest(), len(open(p, "rb").read()))
        for p in sys.argv[2:]]
print(rows == want or rows)
PY
expect 0 "^True$" "$python" models.py $m "$here/demo/models/det.onnx" "$here/demo/models/sub/rec.onnx"
expect 0 "valid" "$shades" verify $m
cp $m models-altered.h5 && flip models-altered.h5 "d = f['/engine/model_files']; r = d[1]; r['bytes'] += 1; d[1] = r"
expect 1 "ALTERED: /engine/model_files$" "$shades" verify models-altered.h5
(cd elsewhere && expect 0 "run.h5: identical" "$shades" rerun "$here/$m")
echo changed >>demo/models/sub/rec.onnx
expect 2 "rerun $m: model file $here/demo/models/sub/rec.onnx (sha256 [0-9a-f]*) is not the one the file records; refusing" "$shades" rerun $m
[ "$(grep -c . out.txt)" -eq 1 ] || fail "rerun's model refusal is not one line: $(cat out.txt)"
rm demo/models/det.onnx
expect 2 "model file $here/demo/models/det.onnx that the file records is missing; refusing" "$shades" rerun $m
echo "signed, verified, repacked, altered, rerun: all as documented"
