#!/usr/bin/env bash
# mpi_runs.sh SHADES DEMO_DIR: `mpirun -n 1/2/4 shades run` (Open MPI,
# oversubscribed on one machine) writes the results file one process
# writes, table for table and bit for bit (h5_strip.sh: only created,
# threads, ranks, rank_hosts and config_path may differ), for:
#  - verification by an opaque engine (synthetic: every pair's score
#    listed) and by declared embeddings (example: impostor blocks split
#    across ranks, pass-1 counts, kept values and bootstrap pairs merged);
#  - identification by both (the harness's searches and BLAS probe blocks);
#  - classification (estimates);
#  - replayed scores of all pairs;
#  - a pair list with folds (every listed impostor score gathered from the
#    ranks for the accuracy over folds);
#  - an isolated engine (--isolate: each rank's own sandboxed workers);
# with the subject bootstrap's replicates split across ranks in each. The
# file records its ranks and their hosts. Also: a bad config gets one
# message (from rank 0) and exit 2; an engine crash on one rank ends the
# job with one line naming that rank, its host and the image, exit 2; one
# rank killed mid-run leaves a checkpoint per rank, a resume with as many
# ranks gives the uninterrupted run's file, and one with another number
# of ranks is refused, naming the number.
set -euo pipefail
shades=$1 demo=$(cd "$2" && pwd) bad=$(cd "$3" && pwd)
. "$(dirname "$0")/h5_strip.sh"
. "$(dirname "$0")/demo_config.sh"
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "mpi_runs: $*" >&2; exit 1; }
# Root needs Open MPI's consent; -q spares its banner on a non-zero exit.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Small embedding blocks (impostor tiles and search probes), so a 300-image
# cohort has block tasks for 4 ranks.
export SHADES_EMBEDDING_BLOCK=32
# Under AddressSanitizer (scripts/test.sh), Open MPI's components, unloaded by
# MPI_Finalize, leave allocations LeakSanitizer can name no module for, so
# ranks run without its exit-time check; every other check stays, and this
# script's one-process runs still check for leaks.
mpi() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    mpirun -q --oversubscribe --bind-to none -n "$@"
}

# The demo's config in $1 for a protocol and engine, with fewer bootstrap
# replicates (they are split across ranks all the same).
make_case() { # DIR PROTOCOL ENGINE
  demo_config "$1" "$2"
  sed -i 's|bootstrap: 1000 |bootstrap: 200 |' "$1/run.yaml"
  [ "$3" = synthetic ] || demo_engine "$1/run.yaml" "$3"
}
# A config of the hostile engine (tests/adapters/hostile.c) in $1.
hostile_config() { # DIR OPTIONS RESULTS
  mkdir -p "$1"
  cat >"$1/run.yaml" <<YAML
run: {name: $1, seed: 7, threads: 1, bootstrap: 50}
dataset: {manifest: $demo/demo-cohort/manifest.csv}
engine: {adapter: $bad/libhostile.so, options: [$2]}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: $3}
YAML
}
# Runs shades in $1 (the rest its arguments); exit 0 or 1 (a criterion) is fine.
run_in() {
  local dir=$1 status=0
  shift
  (cd "$dir" && "$@" >out.txt 2>err.txt) || status=$?
  [ "$status" -le 1 ] || { cat "$dir/err.txt" >&2; fail "$dir: exit $status"; }
}
same() { # REF OTHER
  diff <(h5_strip "$1" | tail -n +2) <(h5_strip "$2" | tail -n +2) >diff.txt ||
    { head -30 diff.txt >&2; fail "$2 differs from $1"; }
}

check_case() { # NAME PROTOCOL ENGINE
  make_case "$1" "$2" "$3"
  run_in "$1" "$shades" run run.yaml --threads 1 --no-checkpoint
  mv "$1/demo.h5" "$1/single.h5"
  for n in 1 2 4; do
    run_in "$1" mpi "$n" "$shades" run run.yaml --threads 1 --no-checkpoint
    same "$1/single.h5" "$1/demo.h5"
    [ "$(h5dump -a /ranks "$1/demo.h5" | grep -c "(0): $n$")" = 1 ] || fail "$1: ranks not $n"
    h5dump -a /rank_hosts "$1/demo.h5" >hosts.txt
    [ "$(grep -o "$(hostname)" hosts.txt | wc -l)" = "$n" ] || fail "$1: rank_hosts"
    # Rank 0 alone speaks: one report, no other rank's lines.
    [ "$(grep -c "^shades: demo-synthetic:" "$1/out.txt")" = 1 ] || fail "$1: $n reports printed"
    mv "$1/demo.h5" "$1/mpi$n.h5"
  done
  echo "mpi_runs: $1 identical on 1, 2 and 4 ranks"
}
check_case verify-opaque verification synthetic
check_case verify-embedding verification example
check_case identify-opaque identification synthetic
check_case identify-embedding identification example
check_case classify classification synthetic

# A pair list with folds: the accuracy over folds needs every listed
# impostor's score on every rank (blocks of 4,096 pairs, so 2 ranks each
# score some).
make_case folds verification synthetic
awk -F, 'BEGIN { n = 0 } NR > 1 { id[n] = $1; s[n] = $2; n++ }
  END { print "reference_id,probe_id,fold"
    for (a = 0; a < n; a++) for (b = a + 1; b < n; b++)
      if (s[a] == s[b] || (b - a) % 7 == 0) printf "%s,%s,%d\n", id[a], id[b], k++ % 10 }' \
  "$demo/demo-cohort/manifest.csv" >folds/pairs.csv
[ "$(grep -c . folds/pairs.csv)" -gt 5000 ] || fail "folds: too few pairs to split"
sed -i 's|^  impostors: all|  pairs: {file: pairs.csv, fold: fold}|' folds/run.yaml
run_in folds "$shades" run run.yaml --threads 1 --no-checkpoint
mv folds/demo.h5 folds/single.h5
h5dump -d /verification/fold_accuracy folds/single.h5 >/dev/null || fail "folds: no fold table"
run_in folds mpi 2 "$shades" run run.yaml --threads 1 --no-checkpoint
same folds/single.h5 folds/demo.h5
echo "mpi_runs: a pair list with folds identical on 2 ranks"

# --isolate on every rank: each rank's sandboxed workers, the same file.
run_in verify-opaque "$shades" run run.yaml --threads 1 --no-checkpoint --isolate
mv verify-opaque/demo.h5 verify-opaque/isolated.h5
run_in verify-opaque mpi 2 "$shades" run run.yaml --threads 1 --no-checkpoint --isolate
same verify-opaque/isolated.h5 verify-opaque/demo.h5
# An isolated engine that crashes, overruns and returns infinite scores on
# some calls: the same /failures rows (templates and pairs) on 2 ranks.
hostile_config faults "segv=0.02, overrun=0.02, inf=0.01" demo.h5
run_in faults "$shades" run run.yaml --isolate --no-checkpoint
mv faults/demo.h5 faults/single.h5
grep "isolated engine:" faults/out.txt >faults/single-summary.txt
run_in faults mpi 2 "$shades" run run.yaml --isolate --no-checkpoint
same faults/single.h5 faults/demo.h5
# The summary line counts every rank's faulted calls, as one process does.
grep "isolated engine:" faults/out.txt | cmp -s - faults/single-summary.txt ||
  fail "faults: the printed fault counts differ from one process's"
h5dump -d /failures faults/demo.h5 >faults/failures.txt
grep -q '"crashed"' faults/failures.txt && grep -q '"bad_reply"' faults/failures.txt ||
  fail "faults: the failures table lacks crashed or bad_reply rows"
echo "mpi_runs: --isolate identical on 2 ranks, faults included"

# Replayed scores of every pair: each rank reads the file.
awk -F, 'BEGIN { n = 0 } NR > 1 { id[n] = $1; s[n] = $2; n++ }
  END { srand(5); print "reference_id,probe_id,score"
    for (a = 0; a < n; a++) for (b = a + 1; b < n; b++)
      printf "%s,%s,%.6f\n", id[a], id[b], (s[a] == s[b] ? 0.6 : 0.0) + 0.5 * rand() }' \
  "$demo/demo-cohort/manifest.csv" >scores.csv
make_case replay verification replay
sed -i 's|^  adapter: replay|  adapter: replay\n  scores: {file: scores.csv}|' replay/run.yaml
mv scores.csv replay/
run_in replay "$shades" run run.yaml --threads 1
mv replay/demo.h5 replay/single.h5
for n in 2 4; do
  run_in replay mpi "$n" "$shades" run run.yaml --threads 1
  same replay/single.h5 replay/demo.h5
done
echo "mpi_runs: replay identical on 2 and 4 ranks"

# A bad config: one message, from rank 0 alone, and exit 2.
make_case badcfg verification synthetic
sed -i 's|target_fmr: \[1e-2|target_fmr: [7|' badcfg/run.yaml
status=0
(cd badcfg && mpi 4 "$shades" run run.yaml >out.txt 2>err.txt) || status=$?
[ "$status" = 2 ] || fail "bad config: exit $status"
[ "$(grep -c "shades: error:" badcfg/err.txt)" = 1 ] || { cat badcfg/err.txt >&2; fail "bad config: not one message"; }
grep -q "run.yaml:[0-9]*: field 'verification.target_fmr'" badcfg/err.txt ||
  { cat badcfg/err.txt >&2; fail "bad config: message"; }

# An engine that crashes on some image: one line naming the rank, host and
# image, exit 2, and no results file.
hostile_config crash segv=0.02 crash.h5
status=0
(cd crash && mpi 3 "$shades" run run.yaml --no-checkpoint --progress off >out.txt 2>err.txt) ||
  status=$?
[ "$status" = 2 ] || { cat crash/err.txt >&2; fail "crash: exit $status"; }
# Every rank's engine crashes within a few calls; the job says so once, the
# lowest crashed rank's line (a rank above 0 waits 1.5 s a rank first, and
# mpirun stops the others about 1 s after one exits: on a loaded machine a
# second rank's line may still come, so at most one a rank is asserted).
lines=$(grep -c . crash/err.txt)
[ "$lines" -ge 1 ] && [ "$lines" -le 3 ] || { cat crash/err.txt >&2; fail "crash: $lines lines"; }
if grep -Evq "^shades: error: rank [0-2] of 3 on $(hostname): engine 'hostile' crashed \(SIGSEGV\) in (create_template on image|compare of) '" \
  crash/err.txt; then
  cat crash/err.txt >&2
  fail "crash: a line that does not name the rank and image"
fi
[ ! -e crash/crash.h5 ] || fail "crash: a results file was written"
echo "mpi_runs: bad config and engine crash end the job with one line"

# One rank killed mid-run (as the OOM killer would): one line naming it, a
# checkpoint per rank, a resume on another number of ranks refused, and one
# on as many giving the uninterrupted run's file.
rank_pid() { # RANK: the process of that rank that runs (a supervised child)
  local p parent
  for p in $(pgrep -f "shades run run.yaml"); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1" || continue
    parent=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null) || continue
    [ "$(cat "/proc/$parent/comm" 2>/dev/null)" = shades ] && echo "$p"
  done
  return 0
}
make_case kill verification synthetic
sed -i 's|^  options:|  options:\n    - template_delay_ms=10|' kill/run.yaml
run_in kill "$shades" run run.yaml --threads 1 --no-checkpoint
mv kill/demo.h5 kill/single.h5
(cd kill && st=0 && { mpi 2 "$shades" run run.yaml --threads 1 >out.txt 2>err.txt || st=$?; } &&
  echo "$st" >status) &
victim=
for _ in $(seq 100); do
  sleep 0.1
  victim=$(rank_pid 1)
  [ -n "$victim" ] && [ -s kill/demo.h5.checkpoint.rank-1-of-2/log ] && break
done
[ -n "$victim" ] || fail "kill: rank 1 never started"
kill -9 "$victim"
wait
[ "$(cat kill/status)" = 2 ] || { cat kill/err.txt >&2; fail "kill: exit $(cat kill/status)"; }
grep -q "^shades: error: rank 1 of 2 on $(hostname) was killed (SIGKILL), by no signal to shades" \
  kill/err.txt || { cat kill/err.txt >&2; fail "kill: no line naming the rank"; }
[ -d kill/demo.h5.checkpoint.rank-0-of-2 ] && [ -d kill/demo.h5.checkpoint.rank-1-of-2 ] ||
  fail "kill: a rank's checkpoint is missing"
[ ! -e kill/demo.h5 ] || fail "kill: a results file was written"
status=0
(cd kill && mpi 4 "$shades" run run.yaml --threads 1 --resume >out.txt 2>err.txt) || status=$?
[ "$status" = 2 ] && grep -q "was left by a run of 2 ranks; resume it with as many (mpirun -n 2)" \
  kill/err.txt || { cat kill/err.txt >&2; fail "kill: a resume on 4 ranks was not refused"; }
run_in kill mpi 2 "$shades" run run.yaml --threads 1 --resume
grep -q "resumed: [1-9][0-9]* blocks restored from the checkpoints of every rank" kill/err.txt ||
  fail "kill: nothing restored"
same kill/single.h5 kill/demo.h5
[ -z "$(ls -d kill/demo.h5.checkpoint* 2>/dev/null)" ] || fail "kill: checkpoints left after the resume"
echo "mpi_runs: a killed rank's run resumed on as many ranks is identical"
