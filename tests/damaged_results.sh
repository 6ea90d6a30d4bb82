#!/usr/bin/env bash
# damaged_results.sh SHADES: a signed results file with one byte changed,
# at 400 places spread over the file, is read by verify and report as a
# damaged file should be: verify gives a verdict (exit 0 where the change
# missed every signed object, 1 ALTERED, or 2 where it is no HDF5 file any
# more) and report reads it or fails with one line (exit 2); never a crash, a second line, or HDF5's own error
# stack. One place of such a file once crashed both inside HDF5.
set -euo pipefail
shades=$1
# Under AddressSanitizer: HDF5 leaks what it allocated for a damaged file's
# objects, inside the library (no frame of ours to tell them apart).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "damaged_results: $*" >&2; exit 1; }
"$shades" cohort data --subjects 6 --images 2 >/dev/null
cat >run.yaml <<YAML
run: {name: damaged, seed: 3, bootstrap: 10}
dataset: {manifest: data/manifest.csv}
engine: {adapter: synthetic}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: r.h5}
YAML
"$shades" run run.yaml --no-checkpoint --progress off >/dev/null
"$shades" keygen k.pem >/dev/null
"$shades" sign r.h5 --key k.pem >/dev/null
size=$(stat -c %s r.h5)
n=400 altered=0
for ((i = 0; i < n; i++)); do
  off=$(( (i * 7919) % size ))
  cp r.h5 d.h5
  old=$(od -An -tu1 -j "$off" -N1 d.h5 | tr -d ' ')
  printf "$(printf '\\%03o' $(( (old ^ 0x5a) & 255 )))" |
    dd of=d.h5 bs=1 seek="$off" conv=notrunc status=none
  for cmd in verify report; do
    set +e
    "$shades" "$cmd" d.h5 >out.txt 2>err.txt
    rc=$?
    set -e
    want="0 1"
    [ "$cmd" = report ] && want="0 2"
    # A changed signature at the start makes it no HDF5 file: an error (row s04).
    grep -q ': not an HDF5 file$' err.txt && want=2
    case " $want " in *" $rc "*) ;; *) fail "$cmd, byte $off changed: exit $rc: $(head -c 400 err.txt)" ;; esac
    [ "$(grep -c . err.txt)" -le 1 ] && ! grep -q 'HDF5-DIAG\|closing library' err.txt ||
      fail "$cmd, byte $off changed: more than one line: $(head -c 400 err.txt)"
    [ "$cmd" = verify ] && [ "$rc" = 1 ] && altered=$((altered + 1))
  done
done
[ "$altered" -gt $((n / 2)) ] || fail "only $altered of $n changed files were found ALTERED"
echo "damaged_results: $n files, $altered ALTERED, every command ended with its verdict or one line"
