#!/usr/bin/env bash
# check_adapter_junit.sh SHADES BAD_DIR PYTHON: `check-adapter --junit FILE`
# writes what it printed as JUnit XML, as CI systems read it: one testcase
# per check, every FAIL a <failure> and every SKIP <skipped> with the
# printed line as its message, counts that add up; for a crashing engine
# (exit 1) and one that does not load (the rest skipped) as for a passing
# one. On exit 2 (no such images) no file is written and an earlier one is
# kept; a folder that is not there is refused before any check runs.
set -euo pipefail
shades=$1 bad=$2 python=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_adapter_junit: $*" >&2; exit 1; }

# junit_matches OUT XML: every verdict line of OUT is a testcase of XML.
junit_matches() {
  "$python" - "$1" "$2" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
out, xml = sys.argv[1:3]
lines = [m.groups() for m in
         (re.match(r"^  (PASS|FAIL|SKIP|WARN)  (\S+) +(.*)$", l.rstrip("\n")) for l in open(out))
         if m]
root = ET.parse(xml).getroot()
suite = root.find("testsuite")
cases = suite.findall("testcase")
def fail(msg):
    sys.exit(f"check_adapter_junit: {xml}: {msg}")
if [c.get("name") for c in cases] != [l[1] for l in lines]:
    fail(f"testcases {[c.get('name') for c in cases]}, printed {[l[1] for l in lines]}")
for (verdict, name, detail), c in zip(lines, cases):
    f, s = c.find("failure"), c.find("skipped")
    if (f is not None) != (verdict == "FAIL") or (s is not None) != (verdict == "SKIP"):
        fail(f"{name}: printed {verdict}, children {[x.tag for x in c]}")
    e = f if f is not None else s
    if e is not None and e.get("message") != detail:
        fail(f"{name}: message {e.get('message')!r}, printed {detail!r}")
    if c.find("system-out").text != f"{verdict}: {detail}":
        fail(f"{name}: system-out {c.find('system-out').text!r}")
    if not float(c.get("time")) >= 0:
        fail(f"{name}: time {c.get('time')}")
n_fail = sum(l[0] == "FAIL" for l in lines)
n_skip = sum(l[0] == "SKIP" for l in lines)
for e in (root, suite):
    if (e.get("tests"), e.get("failures"), e.get("skipped")) != (str(len(lines)), str(n_fail), str(n_skip)):
        fail(f"<{e.tag}> counts {e.attrib}, printed {len(lines)} {n_fail} {n_skip}")
PY
}

"$shades" check-adapter synthetic --timeout 3 --junit "$work/good.xml" >"$work/good.out" ||
  fail "synthetic did not pass"
junit_matches "$work/good.out" "$work/good.xml"
grep -q 'testsuite name="synthetic"' "$work/good.xml" || fail "the suite is not named by the adapter"

set +e
"$shades" check-adapter "$bad/libmis_crash.so" --timeout 3 --junit "$work/crash.xml" >"$work/crash.out"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a crashing engine: exit $rc, want 1"
junit_matches "$work/crash.out" "$work/crash.xml"
grep -q '<failure message="crashed (SIGSEGV) in create_template on image' "$work/crash.xml" ||
  fail "the crash is not the templates check's failure"

# A library of another ABI, at a path with every character XML reserves:
# its name is the suite's, and the load check's message names it.
odd="$work/lib&<bad>\"major'.so"
cp "$bad/libbad_major.so" "$odd"
set +e
"$shades" check-adapter "$odd" --timeout 3 --junit "$work/major.xml" >"$work/major.out"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a library of another ABI: exit $rc, want 1"
junit_matches "$work/major.out" "$work/major.xml"
"$python" - "$work/major.xml" "$odd" <<'PY' || fail "the suite is not named by the odd path"
import sys
import xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
sys.exit(suite.get("name") != sys.argv[2] or sys.argv[2] not in suite.find("testcase/failure").get("message"))
PY
[ "$(grep -c '<skipped message="the adapter did not load"/>' "$work/major.xml")" -gt 5 ] ||
  fail "after a failed load, the other checks are not skipped"

# Exit 2 (images that are not there): no file, the earlier one kept.
cp "$work/good.xml" "$work/keep.xml"
set +e
"$shades" check-adapter synthetic --images "$work/good.xml" --junit "$work/keep.xml" \
  >/dev/null 2>"$work/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || fail "--images naming a file: exit $rc, want 2"
cmp -s "$work/good.xml" "$work/keep.xml" || fail "an error replaced the earlier JUnit file"
mkdir "$work/empty"
set +e
"$shades" check-adapter synthetic --images "$work/empty" --junit "$work/keep.xml" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--images without images: exit $rc, want 2"
cmp -s "$work/good.xml" "$work/keep.xml" || fail "no images replaced the earlier JUnit file"
[ -z "$(ls "$work" | grep '\.tmp\.')" ] || fail "a temporary file was left: $(ls "$work")"

# A folder that is not there: one line, exit 2, no check run.
set +e
"$shades" check-adapter synthetic --junit "$work/none/c.xml" >"$work/none.out" 2>"$work/none.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "--junit into a missing folder: exit $rc, want 2"
[ "$(cat "$work/none.err")" = "shades: error: --junit $work/none/c.xml: cannot write: No such file or directory" ] ||
  fail "--junit into a missing folder: $(cat "$work/none.err")"
[ ! -s "$work/none.out" ] || fail "checks ran before the --junit folder was refused"
# A folder or an empty name: refused before any check, as a missing folder.
mkdir "$work/dir.xml"
for target in "$work/dir.xml" ""; do
  set +e
  "$shades" check-adapter synthetic --junit "$target" >"$work/t.out" 2>"$work/t.err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ ! -s "$work/t.out" ] && [ "$(wc -l <"$work/t.err")" = 1 ] ||
    fail "--junit '$target': exit $rc, checks run: $(cat "$work/t.out" "$work/t.err")"
done
grep -qx "shades: error: --junit: empty file name" "$work/t.err" || fail "--junit '': $(cat "$work/t.err")"

# Cancelled (SIGTERM, as a CI job is): no temporary left, and no check's
# process left running its hung engine.
(cd "$work" && exec "$shades" check-adapter "$bad/libmis_hang.so" --timeout 60 --junit term.xml \
   >/dev/null 2>&1) &
pid=$!
for _ in $(seq 50); do pgrep -P "$pid" >/dev/null && break; sleep 0.1; done
child=$(pgrep -P "$pid" | head -1)
[ -n "$child" ] || fail "no check process under check-adapter"
sleep 0.5
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 143 ] || fail "check-adapter on SIGTERM: exit $rc, want 143"
for _ in $(seq 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
kill -0 "$child" 2>/dev/null && { kill -KILL "$child"; fail "the check's process outlived check-adapter"; }
[ -z "$(ls "$work" | grep 'term\.xml')" ] || fail "a cancelled run left $(ls "$work" | grep term)"
# A signal the caller ignores (nohup's SIGHUP) stays ignored: the run goes
# on to its verdicts and writes its file.
(cd "$work" && trap '' HUP && exec "$shades" check-adapter "$bad/libmis_hang.so" --timeout 1 \
   --junit ign.xml >/dev/null 2>&1) &
pid=$!
for _ in $(seq 50); do pgrep -P "$pid" >/dev/null && break; sleep 0.1; done
kill -HUP "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 1 ] || fail "an ignored SIGHUP: exit $rc, want 1 (the hang's FAIL)"
[ -s "$work/ign.xml" ] || fail "an ignored SIGHUP: no ign.xml"
echo "check_adapter_junit: passing, crashing and unloadable engines as JUnit XML"
