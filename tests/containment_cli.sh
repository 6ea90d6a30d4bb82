#!/usr/bin/env bash
# containment_cli.sh SHADES BAD_DIR: what an untrusted engine and dataset
# cannot reach. An isolated hostile engine (tests/adapters/hostile.c,
# snoop=) tries to read and write the results file, write beside it, open,
# ptrace and write the harness's memory, signal it, and make the template
# region writable: each attempt must be refused. Results and checkpoints
# are owner-only. A manifest path that leaves the dataset's root, by ".."
# or by a symbolic link, is refused unless the config allows it.
set -euo pipefail
shades=$1 bad=$2
. "$(cd "$(dirname "$0")" && pwd)/expect_fail.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
umask 022
"$shades" cohort data/cohort --subjects 6 --images 2 >/dev/null
config() { # NAME ADAPTER OPTIONS [DATASET-EXTRA]
  cat >"$1.yaml" <<YAML
run: {name: $1, seed: 7, threads: 2, bootstrap: 20}
dataset: {manifest: data/cohort/manifest.csv${4:-}}
engine: {adapter: $2, options: [$3]}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2]}
output: {results: res/$1.h5}
YAML
}

# The engine, isolated, against the results of an earlier run.
mkdir res
config snoop "$bad/libhostile.so" "snoop=$work/res/snoop.h5"
echo "an earlier run's results" >res/snoop.h5
"$shades" run snoop.yaml --isolate --keep-checkpoint >out.txt 2>err.txt
sandbox=$(sed -n 's/.*sandbox: //p' out.txt)
attempts=$(grep -c "^hostile: " err.txt)
refused=$(grep -c "^hostile: .*: refused$" err.txt || true)
[ "$attempts" -ge 8 ] || { echo "the engine made only $attempts attempts" >&2; cat err.txt >&2; exit 1; }
case $sandbox in
  landlock*)
    [ "$refused" -eq "$attempts" ] || { echo "the sandbox let through:" >&2; grep ALLOWED err.txt >&2; exit 1; } ;;
  *)
    # Without Landlock only seccomp's refusals hold: ptrace and process_vm_writev.
    echo "note: this kernel has no Landlock ($sandbox); checking seccomp's refusals only"
    grep -q "^hostile: ptrace the harness: refused$" err.txt
    grep -q "^hostile: write the harness's memory (process_vm_writev): refused$" err.txt ;;
esac
grep -q "^hostile: make the template region writable: refused$" err.txt
[ ! -e res/hostile-was-here ]
h5dump -a /engine_isolation res/snoop.h5 | grep -q "\"isolated: $sandbox\""
# Owner-only whatever the umask: the results file, the checkpoint and its files.
[ "$(stat -c %a res/snoop.h5)" = 600 ] || { echo "results file is $(stat -c %a res/snoop.h5)" >&2; exit 1; }
[ "$(stat -c %a res/snoop.h5.checkpoint)" = 700 ]
[ -z "$(find res/snoop.h5.checkpoint -type f ! -perm 600)" ]
"$shades" report res/snoop.h5 -o res/snoop.html >/dev/null
[ "$(stat -c %a res/snoop.html)" = 600 ]

# Dataset paths that leave the root.
mkdir -p outside
cp data/cohort/manifest.csv good.csv
first=$(sed -n 2p data/cohort/manifest.csv | cut -d, -f3)
cp "data/cohort/$first" outside/secret.png
escape() { # WHAT NEW-PATH PATTERN
  sed "2s|,$first,|,$2,|" good.csv >data/cohort/manifest.csv
  config escape synthetic ""
  expect_fail "$1" "$3" "$shades" run escape.yaml --no-checkpoint
  [ ! -e res/escape.h5 ]
}
hint="; set dataset.allow_outside_root: true in the config to allow it"
escape "dot-dot" "../../outside/secret.png" \
  "./data/cohort/manifest.csv:2: field 'path': '../../outside/secret.png' is outside the dataset root './data/cohort'$hint"
escape "absolute" "$work/outside/secret.png" \
  "./data/cohort/manifest.csv:2: field 'path': '$work/outside/secret.png' is outside the dataset root './data/cohort'$hint"
ln -s ../../outside data/cohort/link
escape "symbolic link" "link/secret.png" \
  "./data/cohort/manifest.csv:2: field 'path': 'link/secret.png' leads outside the dataset root './data/cohort' through a symbolic link$hint"
# Allowed in the config, the same manifest runs.
config escape synthetic "" ", allow_outside_root: true"
"$shades" run escape.yaml --no-checkpoint >/dev/null
# A ".." that stays inside is fine.
mkdir data/cohort/sub
sed "2s|,$first,|,sub/../$first,|" good.csv >data/cohort/manifest.csv
config escape synthetic ""
"$shades" run escape.yaml --no-checkpoint >/dev/null
echo "containment: $refused of $attempts attempts by an isolated engine refused ($sandbox);" \
  "results and checkpoints owner-only; 3 escaping dataset paths refused"
