#!/usr/bin/env bash
# resume_identical.sh SHADES DEMO_DIR [ENGINE [KILLS]]: a run that stops
# partway and is resumed writes the results an uninterrupted run writes.
#
# The demo config (ENGINE: synthetic, its templates slowed, or a
# built-in without options such as example, whose declared embedding takes
# the BLAS path and checkpoints pass 1's counts) runs uninterrupted on one
# thread for reference. Then:
#  - a complete run on two threads keeps its checkpoint; its log, cut at
#    points that fall inside records (as a kill leaves it) and at its end,
#    is resumed on one or two threads;
#  - KILLS runs (default 3; synthetic only) on two threads get SIGKILL at
#    random moments and are resumed on one or two threads.
#  - with synthetic, identification and classification runs of the same
#    cohort (search and estimate records) are cut and resumed as well.
# With example, the uninterrupted runs settle in one pass (a sample predicts
# the bins to keep) while a resume from saved pass-1 counts runs pass 2, so
# the check also holds the two ways to each other.
# Every resume must give results identical to the reference (h5_strip.sh)
# and delete its checkpoint. Also checked: the checkpoint is owner-only, a
# run without --resume refuses an interrupted checkpoint, a changed config,
# other tiles or (declared embeddings) other BLAS kernels are refused on
# resume, and a second run of one config at once is refused.
set -euo pipefail
shades=$1 demo=$(cd "$2" && pwd) engine=${3:-synthetic} kills=${4:-3}
. "$(dirname "$0")/h5_strip.sh"
. "$(dirname "$0")/demo_config.sh"
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

fail() { echo "resume_identical: $*" >&2; exit 1; }

# The demo config in directory $1, with the engine's slow-down; $2 swaps
# verification (and the criteria, which measure it) for another protocol.
make_config() {
  demo_config "$1" "${2:-verification}"
  if [ "$engine" = synthetic ]; then
    sed -i -e 's|^  options:|  options:\n    - template_delay_ms=6|' "$1/run.yaml"
  else
    demo_engine "$1/run.yaml" "$engine"
  fi
}

# Runs shades in directory $1 with the rest as arguments; exit 0 or 1 (a
# criterion failed) is a complete run.
run_in() {
  local dir=$1 status=0
  shift
  (cd "$dir" && "$shades" run run.yaml --progress off "$@" >out.txt 2>err.txt) || status=$?
  [ "$status" -le 1 ] || fail "run in $dir $* failed ($status): $(cat "$dir/err.txt")"
}

# Checks a resumed run in $1 matches the reference in $2 (default ref)
# and left no checkpoint.
check_same() {
  local ref=$work/${2:-ref}
  [ ! -e "$1/demo.h5.checkpoint" ] || fail "$1: the checkpoint outlived a complete run"
  h5_strip "$1/demo.h5" >"$1/dump"
  diff -q "$ref/dump" "$1/dump" >/dev/null ||
    { diff "$ref/dump" "$1/dump" | head -20 >&2; fail "$1: results differ from $ref"; }
}

# Resumes copies of the kept checkpoint in $1, its log cut at each of the
# percentages that follow, and checks each against the reference $2.
resume_cuts() {
  local kept=$1 ref=$2 size frac dir
  shift 2
  size=$(stat -c %s "$work/$kept/demo.h5.checkpoint/log")
  for frac in "$@"; do
    dir=$work/$kept-cut$frac
    cp -r "$work/$kept" "$dir"
    rm -f "$dir/demo.h5"
    truncate -s $((size * frac / 100)) "$dir/demo.h5.checkpoint/log"
    run_in "$dir" --resume --threads $((frac % 2 + 1))
    check_same "$dir" "$ref"
    cuts=$((cuts + 1))
  done
}

make_config "$work/ref"
run_in "$work/ref" --threads 1
h5_strip "$work/ref/demo.h5" >"$work/ref/dump"
grep -q '"fnmr_max_geomean_hi"' "$work/ref/dump" || fail "the reference holds no results"
[ ! -e "$work/ref/demo.h5.checkpoint" ] || fail "a complete run kept its checkpoint"

make_config "$work/kept"
start=$(date +%s%N)
run_in "$work/kept" --threads 2 --keep-checkpoint
took_ms=$((($(date +%s%N) - start) / 1000000))
ck=$work/kept/demo.h5.checkpoint
[ "$(stat -c %a "$ck")" = 700 ] || fail "checkpoint directory is $(stat -c %a "$ck"), not 700"
for f in "$ck"/*; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f is $(stat -c %a "$f"), not 600"
done

# Cuts: nothing, inside records, everything.
cuts=0
resume_cuts kept ref 0 7 29 53 71 97 100
grep -q "blocks restored" "$work/kept-cut100/err.txt" || fail "a full checkpoint restored nothing"
if [ "$engine" = synthetic ]; then
  for protocol in identification classification; do
    make_config "$work/$protocol-ref" "$protocol"
    run_in "$work/$protocol-ref" --threads 1
    h5_strip "$work/$protocol-ref/demo.h5" >"$work/$protocol-ref/dump"
    make_config "$work/$protocol" "$protocol"
    run_in "$work/$protocol" --threads 2 --keep-checkpoint
    resume_cuts "$protocol" "$protocol-ref" 0 43 100
  done
fi

# An image changed since its template was made (its block saved): refused on
# resume, naming it; mended back, the same checkpoint resumes. On a copy of
# the cohort, as other tests read the demo's.
if [ "$engine" = synthetic ]; then
  dir=$work/image
  make_config "$dir"
  cp -r "$demo/demo-cohort" "$dir/cohort"
  sed -i "s|$demo/demo-cohort/|$dir/cohort/|g" "$dir/run.yaml"
  run_in "$dir" --threads 2 --keep-checkpoint
  img=$dir/cohort/$(sed -n 2p "$dir/cohort/manifest.csv" | cut -d, -f3)
  cp "$img" "$dir/saved.png"
  cp "$dir/cohort/$(sed -n 3p "$dir/cohort/manifest.csv" | cut -d, -f3)" "$img"
  status=0
  (cd "$dir" && "$shades" run run.yaml --resume --progress off >/dev/null 2>err.txt) || status=$?
  [ "$status" = 2 ] &&
    grep -q "image '$(sed -n 2p "$dir/cohort/manifest.csv" | cut -d, -f1)' ([^)]*:2) has changed since its template was made" "$dir/err.txt" ||
    fail "a resume over a changed image was not refused ($status): $(cat "$dir/err.txt")"
  cp "$dir/saved.png" "$img"
  run_in "$dir" --resume
  grep -q "blocks restored" "$dir/err.txt" || fail "the mended cohort's resume restored nothing"
fi

# Refusals: an interrupted checkpoint without --resume, another config with it.
dir=$work/refuse
make_config "$dir"
cp -a "$ck" "$dir/"
status=0
(cd "$dir" && "$shades" run run.yaml >/dev/null 2>err.txt) || status=$?
[ "$status" = 2 ] && grep -q "holds an interrupted run: continue it with 'shades run run.yaml --resume'" "$dir/err.txt" && [ ! -e "$dir/demo.h5" ] ||
  fail "a run without --resume did not refuse the checkpoint ($status): $(cat "$dir/err.txt")"
echo "# changed" >>"$dir/run.yaml"
status=0
(cd "$dir" && "$shades" run run.yaml --resume >/dev/null 2>err.txt) || status=$?
[ "$status" = 2 ] && grep -q "belongs to another run: its config was" "$dir/err.txt" ||
  fail "a resume with another config was not refused ($status): $(cat "$dir/err.txt")"
# Or with other tiles (another build's, or SHADES_EMBEDDING_BLOCK's): a
# declared embedding's score depends on its tile to the last bit.
make_config "$dir"
status=0
(cd "$dir" && SHADES_EMBEDDING_BLOCK=64 "$shades" run run.yaml --resume >/dev/null 2>err.txt) ||
  status=$?
[ "$status" = 2 ] && grep -q "belongs to another run: its tiles was '512 256 2048', now '64 64 2048'" \
  "$dir/err.txt" || fail "a resume with other tiles was not refused ($status): $(cat "$dir/err.txt")"
# Or with other BLAS kernels (another CPU, another OpenBLAS, or
# OPENBLAS_CORETYPE): they too set a declared embedding's last bit. An
# engine's own scores do not depend on them, so its identity names none.
blas=$(sed -n 's/^blas //p' "$ck/identity")
if [ "$engine" = synthetic ]; then
  [ -z "$blas" ] || fail "an engine scoring its own pairs has a blas line: $blas"
elif [ "$(uname -m)" = x86_64 ]; then
  [ -n "$blas" ] || fail "a declared embedding's checkpoint names no BLAS"
  core=Prescott
  case " $blas " in *" Prescott "*) core=Nehalem ;; esac
  status=0
  (cd "$dir" && OPENBLAS_CORETYPE=$core "$shades" run run.yaml --resume >/dev/null 2>err.txt) ||
    status=$?
  [ "$status" = 2 ] && grep -q "belongs to another run: its blas was '$blas', now '.* $core .*'" \
    "$dir/err.txt" || fail "a resume on other BLAS was not refused ($status): $(cat "$dir/err.txt")"
fi

# A missing image is named before the engine loads: one line, no
# checkpoint (it used to come after every other template was computed and
# saved, in a checkpoint no resume could use once the manifest changed).
if [ "$engine" = synthetic ]; then
  dir=$work/missing
  make_config "$dir"
  cp -r "$demo/demo-cohort" "$dir/cohort"
  sed -i -e "s|manifest: .*|manifest: $dir/cohort/manifest.csv|" \
    -e "s|card: [^ ]*|card: $dir/cohort/card.yaml|" "$dir/run.yaml"
  last=$(wc -l <"$dir/cohort/manifest.csv")
  gone=$(tail -1 "$dir/cohort/manifest.csv" | cut -d, -f3)
  rm "$dir/cohort/$gone"
  "$(dirname "$0")/expect_error.sh" 2 "shades: error: $dir/cohort/manifest.csv:$last: field \
'path': $dir/cohort/$gone: cannot open image: No such file or directory" \
    sh -c "cd '$dir' && '$shades' run run.yaml --progress off" ||
    fail "a missing image was not named at once"
  [ ! -e "$dir/demo.h5.checkpoint" ] || fail "a missing image left a checkpoint"
fi

# Two runs of one config at once: the second is refused while the first
# holds the checkpoint (synthetic only: its templates are slow enough).
if [ "$engine" = synthetic ]; then
  dir=$work/busy
  make_config "$dir"
  (cd "$dir" && exec "$shades" run run.yaml --progress off --threads 1 >/dev/null 2>&1) &
  pid=$!
  for _ in $(seq 1 500); do
    [ -s "$dir/demo.h5.checkpoint/log" ] && break
    sleep 0.01
  done
  status=0
  (cd "$dir" && "$shades" run run.yaml --resume >/dev/null 2>err2.txt) || status=$?
  wait "$pid" || [ $? -le 1 ] || fail "the first of two runs at once failed"
  [ "$status" = 2 ] && grep -q "is in use by another shades run" "$dir/err2.txt" ||
    fail "a second run at once was not refused ($status): $(cat "$dir/err2.txt")"
  check_same "$dir"
fi

survived=0
[ "$engine" = synthetic ] || kills=0
for trial in $(seq 1 "$kills"); do
  dir=$work/kill$trial
  make_config "$dir"
  (cd "$dir" && exec "$shades" run run.yaml --progress off --threads 2 >/dev/null 2>&1) &
  pid=$!
  # Anywhere from the start to near the end of a run like the kept one.
  at=$(awk -v r=$RANDOM -v t="$took_ms" 'BEGIN { printf "%.3f", (0.02 + 0.93 * r / 32767) * t / 1000 }')
  sleep "$at"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  run_in "$dir" --resume --threads $((trial % 2 + 1))
  check_same "$dir"
  restored=$(sed -n 's/^shades: resumed: \([0-9]*\) blocks.*/\1/p' "$dir/err.txt")
  echo "SIGKILL $trial at $at s: resumed with ${restored:-0} blocks restored, results identical"
  survived=$((survived + 1))
done
echo "resume_identical ($engine): $cuts cut checkpoints and $survived SIGKILLs resumed, results identical"
