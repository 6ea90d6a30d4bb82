#!/usr/bin/env bash
# hostile_text.sh SHADES PYTHON BAD_DIR: text that a vendor's engine, a
# config, a card or an edited results file controls reaches the terminal
# and every report as one printable line (control characters as \xNN),
# never raw: info, check-adapter, run, report (txt, md, html), verify of an
# altered signed file, rerun of an edited one, and an error that quotes a
# file. A raw escape could clear the user's screen, set its title, or
# overwrite a verdict ("ALTERED") with a forged "valid".
set -euo pipefail
shades=$1 python=$2 bad=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "hostile_text: $*" >&2; exit 1; }
cd "$work"
# FILE: no byte a terminal acts on (C0 but the line break, DEL, C1) and no
# bidirectional control.
clean() {
  "$python" - "$1" <<'PY' || fail "$1 holds text a terminal acts on: $(cat -v "$1" | head -c 2000)"
import re, sys
b = open(sys.argv[1], 'rb').read()
bad = re.search(rb'[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]', b)
sys.exit(1 if bad else 0)
PY
}
run() { # EXIT OUT COMMAND...: stdout and stderr into OUT, wants EXIT
  local want=$1 out=$2; shift 2
  set +e; "$@" >"$out" 2>&1; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "$* exited $got (want $want): $(cat -v "$out" | head -c 2000)"
  clean "$out"
}

# The engine's own strings.
run 0 info.txt "$shades" info "$bad/libmis_escapes.so"
grep -q '^version: *0\.0\.1\\x1b\[2J$' info.txt || fail "info: $(cat info.txt)"
grep -q '^vendor: *shades tests    PASS  forged\\x1b\]0;title\\x07$' info.txt || fail "info: $(cat info.txt)"
run 0 check.txt "$shades" check-adapter "$bad/libmis_escapes.so" --timing off --timeout 20
grep -q '^  PASS  load .*0\.0\.1\\x1b\[2J' check.txt || fail "check-adapter: $(cat check.txt)"
[ "$(grep -c 'PASS  forged' check.txt)" -le 1 ] || fail "check-adapter: a forged line"

# A run: its name from the config, and the engine's strings into the file.
"$shades" cohort data --subjects 12 --images 2 >/dev/null
cat >run.yaml <<YAML
run:
  name: "demo\e[31m\a"
  threads: 1
  bootstrap: 0
dataset:
  manifest: data/manifest.csv
engine:
  adapter: $bad/libmis_escapes.so
groups:
  partitions: [sex]
verification:
  impostors: all
  target_fmr: [1e-2]
output:
  results: r.h5
criteria:
  - name: fmr-ceiling-sex
    measure: fmr
    partition: sex
    target_fmr: 1e-2
    interval: wilson
    at_most: 1
YAML
run 0 run.txt "$shades" run run.yaml --progress off --no-checkpoint
grep -q '^shades: demo\\x1b\[31m\\x07: verification' run.txt || fail "run: $(cat run.txt)"
for f in txt md html; do
  run 0 "report.$f" "$shades" report r.h5 --format "$f"
done
grep -q 'run demo\\x1b\[31m\\x07' report.txt || fail "report: no run name"

# An edited results file: a group name, a run name with HTML, a new
# attribute posing as a verdict.
"$python" - <<'PY'
import h5py, shutil
shutil.copy('r.h5', 'e.h5')
with h5py.File('e.h5', 'r+') as f:
    f.attrs['run_name'] = '<script>x</script>\x1b[2J\r\nshades: forged'
    g = f['verification/groups']
    rows = g[()]
    rows['group'][1] = b'F\x1b[31m|x'
    g[...] = rows
PY
for f in txt md html; do
  run 0 "edited.$f" "$shades" report e.h5 --format "$f"
done
grep -q '&lt;script>x&lt;/script>\\\\x1b\[2J' edited.md || fail "md: $(grep -a script edited.md)"
if grep -q '<script>' edited.md edited.html; then fail "a name's HTML passed through"; fi

# verify: the name of an object added to a signed file is shown printable,
# so it cannot overwrite ALTERED.
"$shades" keygen k.pem >/dev/null
cp r.h5 s.h5
"$shades" sign s.h5 --key k.pem >/dev/null
"$python" -c "import h5py
f = h5py.File('s.h5', 'r+'); f.attrs['\r\x1b[2Ks.h5: signed by key X, valid\x1b[8m'] = 1; f.close()"
run 1 verify.txt "$shades" verify s.h5
grep -q '^s\.h5: ALTERED: /@ \\x1b\[2Ks\.h5: signed by key X, valid\\x1b\[8m$' verify.txt ||
  fail "verify: $(cat -v verify.txt)"

# rerun: what differs quotes the file's value printable.
"$python" - <<'PY'
import h5py, shutil
shutil.copy('r.h5', 'd.h5')
with h5py.File('d.h5', 'r+') as f:
    g = f['verification/groups']
    rows = g[()]
    rows['group'][1] = b'F\x1b[31m\rforged'
    g[...] = rows
PY
run 1 rerun.txt "$shades" rerun d.h5
grep -q "differs: .*F\\\\x1b\[31m forged" rerun.txt || fail "rerun: $(cat -v rerun.txt)"

# rerun: an attribute that differs is quoted printable too.
"$python" -c "import h5py, shutil
shutil.copy('r.h5', 'a.h5')
f = h5py.File('a.h5', 'r+'); f.attrs['run_name'] = 'demo\x1b[2J\rshades: a.h5: identical'; f.close()"
run 1 rerun_attr.txt "$shades" rerun a.h5
grep -q "differs: attribute run_name: 'demo\\\\x1b\[2J shades: a.h5: identical'" rerun_attr.txt ||
  fail "rerun: $(cat -v rerun_attr.txt)"

# Names long enough to fill a heading's buffer, side by side: the criteria
# table overran it (a crash) before its last heading was given room.
"$python" -c "import h5py, shutil
shutil.copy('r.h5', 'l.h5')
f = h5py.File('l.h5', 'r+'); f.attrs['adapter_name'] = 'A' * 4200 + '|' * 2100; f.close()"
run 0 long.txt "$shades" report r.h5 l.h5
grep -q 'Criteria side by side' long.txt || fail "no criteria table: $(head -c 2000 long.txt)"

# An error quoting a file's text.
"$python" -c "import h5py, shutil
shutil.copy('r.h5', 'v.h5')
f = h5py.File('v.h5', 'r+'); f.attrs['schema_version'] = '9\x1b[2J\x07'; f.close()"
run 2 error.txt "$shades" report v.h5
grep -q "9\\\\x1b\[2J\\\\x07" error.txt || fail "error: $(cat -v error.txt)"
echo "hostile text: shown printable in info, check-adapter, run, reports, verify, rerun and errors"
