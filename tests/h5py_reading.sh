#!/usr/bin/env bash
# h5py_reading.sh SHADES PYTHON RESULTS.h5 SOURCE_DIR: the Python example of
# docs/results-schema.md runs as written on a results file and prints whole
# tables with no bytes in them; every string attribute comes back from h5py
# as str; and a file whose string attributes are fixed-length (as before
# schema 1.3) still reads in shades report.
set -euo pipefail
shades=$1 python=$2 results=$3 src=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "h5py_reading: $*" >&2; exit 1; }

mkdir "$work/out" && cp "$results" "$work/out/demo.h5"
sed -n '/^```python$/,/^```$/p' "$src/docs/results-schema.md" | sed '1d;$d' >"$work/example.py"
[ -s "$work/example.py" ] || fail "docs/results-schema.md has no python example"
(cd "$work" && "$python" example.py) >"$work/example.txt" || fail "the example does not run"
grep -q "fnmr-parity-sex-x-skin" "$work/example.txt" || fail "the example prints no criteria table"
grep -q "F/darker" "$work/example.txt" || fail "the example prints no FMR matrix"
! grep -q "b'" "$work/example.txt" || fail "the example prints bytes: $(grep -m1 "b'" "$work/example.txt")"

"$python" - "$work/out/demo.h5" <<'PY'
import sys, h5py
bad = []
plumbing = {"CLASS", "NAME", "DIMENSION_LIST", "REFERENCE_LIST"}  # HDF5's dimension scales
def visit(name, obj):
    for k, v in obj.attrs.items():
        if k in plumbing:
            continue
        if isinstance(v, bytes) or getattr(v, "dtype", None) is not None and v.dtype.kind == "S":
            bad.append(f"{obj.name} {k}")
with h5py.File(sys.argv[1], "r") as f:
    visit("/", f)
    f.visititems(visit)
    if not isinstance(f.attrs["config"], str):
        bad.append("config")
if bad:
    sys.exit("h5py_reading: attributes read as bytes: " + ", ".join(bad))
PY

# Before 1.3 string attributes were fixed-length: shades still reads them.
cp "$work/out/demo.h5" "$work/old.h5"
"$python" - "$work/old.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    def fix(name, obj):
        for k, v in list(obj.attrs.items()):
            if isinstance(v, str) and k not in ("CLASS", "NAME"):
                b = v.encode("utf-8")
                del obj.attrs[k]
                obj.attrs.create(k, np.bytes_(b), dtype=h5py.string_dtype("utf-8", max(len(b), 1)))
    fix("/", f)
    f.visititems(fix)
    f.attrs.modify("schema_version", np.bytes_(b"1.2"))
PY
h5dump -A "$work/old.h5" | grep -q 'STRSIZE H5T_VARIABLE' && fail "the old-style copy still has variable-length strings"
"$shades" report "$work/out/demo.h5" >"$work/new.txt"
"$shades" report "$work/old.h5" >"$work/old.txt" || fail "shades report cannot read fixed-length attributes"
# (A 1.2 file has no 1.4 attributes: the reader takes them as empty.)
since14="^(host|host OS|card sha256|images Merkle root) "
diff <(grep -Ev "schema|^Provenance of|$since14" "$work/new.txt") \
  <(grep -Ev "schema|^Provenance of|$since14" "$work/old.txt") >&2 ||
  fail "fixed-length attributes report differently"
echo "h5py_reading: the documented example prints whole tables as str; attributes are str; old files read"
