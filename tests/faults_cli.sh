#!/usr/bin/env bash
# faults_cli.sh SHADES BAD_DIR: fault injection (tests/adapters/hostile.c).
# Without --isolate, each kind of fault stops the run with one line naming
# the engine call, exit 2, and the results file as it was: crashes, hangs,
# exit() and _exit(), a fault with SIGSEGV ignored, closing every
# descriptor, infinite scores, broken templates. With --isolate, an engine
# that segfaults on 1% of calls, hangs on 0.5%, aborts, exits, leaks,
# writes past its buffer, returns oversized and garbage templates and
# infinite scores still completes: every fault is a row of /failures against its image, and a
# second run records the same rows and the same results. Scores that do
# not repeat are flagged.
set -euo pipefail
shades=$1 bad=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/h5_strip.sh"
. "$here/expect_fail.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$shades" cohort cohort --subjects 20 --images 3 >/dev/null
config() { # NAME OPTIONS...
  local name=$1
  shift
  local opts
  opts=$(IFS=,; echo "$*")
  cat >"$name.yaml" <<YAML
run: {name: $name, seed: 7, threads: 2, bootstrap: 50}
dataset: {manifest: cohort/manifest.csv}
engine: {adapter: $bad/libhostile.so, options: [$opts]}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: $name.h5}
YAML
}

# Unisolated: a clean stop naming the call, and no partial results.
stopped=0
unisolated() { # "OPTION..." PATTERN
  # shellcheck disable=SC2086 # the options are words
  config alone $1
  echo "an earlier run's results" >alone.h5
  expect_fail -E "$1" "$2" "$shades" run alone.yaml --call-timeout 1 --no-checkpoint --progress off
  [ "$(cat alone.h5)" = "an earlier run's results" ] || { echo "$1: results file touched" >&2; exit 1; }
  [ -z "$(ls alone.h5.* 2>/dev/null)" ] || { echo "$1: partial files left" >&2; ls >&2; exit 1; }
  stopped=$((stopped + 1))
}
call="in (create_template on image|compare of) '"
unisolated segv=0.05 "^shades: error: engine 'hostile' crashed \(SIGSEGV\) $call"
unisolated abort=0.05 "^shades: error: engine 'hostile' crashed \(SIGABRT\) $call"
unisolated hang=0.05 "^shades: error: engine 'hostile' did not return within 1.0 s $call"
unisolated overrun=0.05 "^shades: error: engine 'hostile': create_template on image '[^']+' \((./)?cohort/manifest.csv:[0-9]+\) wrote past the end of its 16-byte buffer"
unisolated oversize=0.05 "^shades: error: engine 'hostile': create_template on image '[^']+' \((./)?cohort/manifest.csv:[0-9]+\) reported a template larger than its buffer"
unisolated garbage=0.05 "^shades: error: engine 'hostile': create_template on image '[^']+' \((./)?cohort/manifest.csv:[0-9]+\) reported an unknown outcome"
# What an engine does to the process it shares: the run still ends with
# exit 2 and one line (from the run's supervising parent where the run's
# own process cannot speak any more).
unisolated exit=0.05 "^shades: error: engine 'hostile' called exit\(0\) $call"
unisolated _exit=0.05 "^shades: error: engine 'hostile' ended the run with exit status 0 $call"
# (With two threads, the other's check may put the guard's handler back first.)
unisolated "ignsegv=1 segv=0.05" "^shades: error: engine 'hostile' (ended the run by signal 11 \(SIGSEGV\)|crashed \(SIGSEGV\)) $call"
# Closing descriptors that another thread is reading is a race by design,
# and ThreadSanitizer rightly reports it; with halt_on_error it would end the
# run itself (status 66) before the guard could. What is tested is the
# guard's answer, so that one report is let pass.
TSAN_OPTIONS="${TSAN_OPTIONS:-} halt_on_error=0" \
  unisolated closefds=1 "^shades: error: engine 'hostile' closed the harness's descriptors \(standard error among them\) in create_template on image '"
unisolated inf=0.05 "^shades: error: engine 'hostile': compare of '[^']+' with '[^']+' returned [+-]inf, not a finite score"
# An engine that keeps a template buffer and writes to it later: the
# templates are read-only once made, so the write faults in that call.
unisolated keep=1 "^shades: error: engine 'hostile' wrote into a template after its create_template returned \(SIGSEGV: the buffer is the harness's, never to be kept\) in compare of "
# A kill of its own, a stop of its own (which stops the process's own
# watchdog too), and a signal to the run's supervising parent: the parent
# says so in one line, naming the call where it can.
unisolated selfkill=9 "^shades: error: the run was killed \(SIGKILL\), by no signal to shades: the out-of-memory killer, another program or the engine, $call"
unisolated selfkill=15 "^shades: error: the run was killed \(SIGTERM\), by no signal to shades: another program or the engine, $call"
unisolated selfkill=19 "^shades: error: the run was stopped \(SIGSTOP\), by no signal to shades: another program or the engine, $call"
unisolated killparent=15 "^shades: error: engine 'hostile' sent signal 15 \(SIGTERM\) to the run's supervising process(, in [a-z_]+ (on|of) image '[^']+'.*)?; the run is stopped, and no results were written$"
# The calls of the engine's life, before the first image and after the
# last (the results are written only once its destroy has returned).
life="; no results were written$"
unisolated create=segv "^shades: error: engine 'hostile' crashed \(SIGSEGV\) in create$life"
unisolated create=exit "^shades: error: engine 'hostile' called exit\(0\) in create$life"
unisolated create=hang "^shades: error: engine 'hostile' did not return within 4.0 s in create$life"
unisolated size_max=segv "^shades: error: engine 'hostile' crashed \(SIGSEGV\) in template_size_max$life"
unisolated destroy=segv "^shades: error: engine 'hostile' crashed \(SIGSEGV\) in destroy$life"
unisolated destroy=hang "^shades: error: engine 'hostile' did not return within 1.0 s in destroy$life"
# Isolated: a worker that cannot start stops the run; one that hangs in
# destroy after the last call is killed, and the results stand.
config life create=segv
expect_fail "isolated create=segv" "isolated worker killed by signal 11 (Segmentation fault) before it was ready" \
  "$shades" run life.yaml --isolate --call-timeout 1 --no-checkpoint --progress off
config life destroy=hang
"$shades" run life.yaml --isolate --call-timeout 1 --no-checkpoint --progress off >/dev/null 2>err.txt
# One worker a thread, started as the run's threads first need one: on a
# slow machine (sanitizers) one thread can take every block, and one
# worker is all there is.
grep -Eq "^shades: warning: engine 'hostile': (1 isolated worker|2 isolated workers) did not end within the call limit after the engine's last call \(in destroy\); killed$" err.txt ||
  { echo "isolated destroy=hang:" >&2; cat err.txt >&2; exit 1; }
[ -s life.h5 ] || { echo "isolated destroy=hang: no results" >&2; exit 1; }
for f in segv exit; do
  rm -f life.h5
  config life destroy=$f
  "$shades" run life.yaml --isolate --call-timeout 1 --no-checkpoint --progress off >/dev/null 2>err.txt
  grep -Eq "^shades: warning: engine 'hostile': (1 isolated worker|2 isolated workers) crashed or exited in destroy, after the engine's last call$" err.txt ||
    { echo "isolated destroy=$f:" >&2; cat err.txt >&2; exit 1; }
  [ -s life.h5 ] || { echo "isolated destroy=$f: no results" >&2; exit 1; }
done

# Isolated: a fault on every image measured nothing (every group's FNMR 1,
# every parity 1): the run stops, and writes nothing.
config everything garbage=1
expect_fail -E "isolated garbage=1" "^shades: error: engine 'hostile' faulted on every one of the 60 images \(0 crashed, 0 timed out, 60 broke the ABI; the first, image '[^']+' \((./)?cohort/manifest.csv:2\)\), so the run measured nothing; no results were written" \
  "$shades" run everything.yaml --isolate --call-timeout 1 --no-checkpoint --progress off
[ ! -e everything.h5 ] || { echo "isolated garbage=1: results written" >&2; exit 1; }

# Isolated: every fault at once; the run completes and records each.
rows() { h5dump -d /failures "$1" | grep -c "\"$2\"" || true; }
faults="segv=0.01 hang=0.005 abort=0.005 exit=0.005 _exit=0.005 overrun=0.02 oversize=0.02 garbage=0.02 inf=0.01 leak=65536"
config all $faults
"$shades" run all.yaml --isolate --call-timeout 1 --no-checkpoint >out.txt 2>err.txt
line=$(grep "isolated engine:" out.txt)
read -r crashed timed_out bad_reply < <(echo "$line" |
  sed -E 's/.* ([0-9]+) calls crashed, ([0-9]+) timed out, ([0-9]+) broke the ABI.*/\1 \2 \3/')
[ "$crashed" -eq "$(rows all.h5 crashed)" ] || { echo "crashed: $crashed vs /failures" >&2; exit 1; }
[ "$timed_out" -eq "$(rows all.h5 timed_out)" ] || { echo "timed out: $timed_out vs /failures" >&2; exit 1; }
[ "$bad_reply" -eq "$(rows all.h5 bad_reply)" ] || { echo "bad replies: $bad_reply vs /failures" >&2; exit 1; }
[ "$crashed" -gt 0 ] && [ "$timed_out" -gt 0 ] && [ "$bad_reply" -gt 0 ] ||
  { echo "expected every kind of fault: $line" >&2; exit 1; }
[ "$(stat -c %a all.h5)" = 600 ] || { echo "results file not owner-only" >&2; exit 1; }
# Each failure names its image, which the manifest has, so its group is known.
h5dump -d /failures all.h5 | grep -o '"s[0-9]*_[0-9]*"' | tr -d '"' | sort -u >failed.txt
[ -s failed.txt ] && [ -z "$(comm -23 failed.txt <(cut -d, -f1 cohort/manifest.csv | sort))" ] ||
  { echo "a failure names no image of the manifest" >&2; exit 1; }
# The same faults again: the same rows and the same results, so none was lost.
mkdir first && cp all.h5 first/
"$shades" run all.yaml --isolate --call-timeout 1 --no-checkpoint >/dev/null 2>&1
diff <(h5_strip first/all.h5) <(h5_strip all.h5) >/dev/null || { echo "a second run differs" >&2; exit 1; }

grep -Eq "^        repeatability: [0-9]+ of [0-9]+ pairs scored again gave the same score$" out.txt
# Resumed from half a checkpoint: the summary counts the restored faults
# too, as /failures holds them (it used to count this session's alone).
mkdir resumed && cp all.yaml resumed/ && ln -s ../cohort resumed/cohort
(cd resumed && "$shades" run all.yaml --isolate --call-timeout 1 --keep-checkpoint >/dev/null 2>&1)
log=resumed/all.h5.checkpoint/log
truncate -s $(($(stat -c %s "$log") / 2)) "$log"
rm resumed/all.h5
(cd resumed && "$shades" run all.yaml --isolate --call-timeout 1 --resume >out.txt 2>err.txt)
grep -q "blocks restored" resumed/err.txt || { echo "the resume restored nothing" >&2; exit 1; }
read -r c2 t2 b2 < <(grep "isolated engine:" resumed/out.txt |
  sed -E 's/.* ([0-9]+) calls crashed, ([0-9]+) timed out, ([0-9]+) broke the ABI.*/\1 \2 \3/')
[ "$c2 $t2 $b2" = "$(rows resumed/all.h5 crashed) $(rows resumed/all.h5 timed_out) $(rows resumed/all.h5 bad_reply)" ] ||
  { echo "resumed summary $c2 $t2 $b2 is not /failures'" >&2; exit 1; }
# The report counts faulted comparisons as comparisons, not as images.
compares=$(h5dump -d /failures all.h5 | grep -c '"compare"' || true)
[ "$compares" -gt 0 ] || { echo "no comparison faulted" >&2; exit 1; }
"$shades" report all.h5 | tr '\n' ' ' | grep -Eq "; $compares comparisons faulted, each a row against its verify" ||
  { echo "the report does not count $compares faulted comparisons" >&2; exit 1; }

# Scores that are not repeatable: the run completes, either way, and says
# so on stderr and in the results file.
config jitter jitter=0.5
for mode in --no-checkpoint --isolate; do
  "$shades" run jitter.yaml --no-checkpoint $mode >out.txt 2>err.txt
  grep -Eq "^shades: warning: engine 'hostile': [0-9]+ of [0-9]+ pairs scored again gave another score \(first: .*\): these results cannot be reproduced$" err.txt ||
    { echo "no repeatability warning ($mode):" >&2; cat err.txt >&2; exit 1; }
  h5dump -a /engine_repeatability jitter.h5 | grep -q "gave another score"
done
total=$((crashed + timed_out + bad_reply))
echo "faults: survived $total engine faults under --isolate ($crashed crashed, $timed_out hung," \
  "$bad_reply broke the ABI), each in /failures, the same on a second run;" \
  "$stopped unisolated runs stopped cleanly with no partial results; scores that drift flagged"
