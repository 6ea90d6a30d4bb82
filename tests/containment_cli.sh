#!/usr/bin/env bash
# containment_cli.sh SHADES BAD_DIR: what an untrusted engine and dataset
# cannot reach. An isolated hostile engine (tests/adapters/hostile.c,
# snoop=) tries to read and write the results file, write beside it, open,
# ptrace and write the harness's memory, signal it, and make the template
# region writable; then to send to listeners on loopback TCP, UDP and Unix
# sockets, read a root-only file and /dev/shm, start a process that
# outlives the run, resize the memory files it shares with the harness, and
# eat memory: each attempt must be refused. Results and checkpoints
# are owner-only. A manifest path that leaves the dataset's root, by ".."
# or by a symbolic link, is refused unless the config allows it.
set -euo pipefail
shades=$1 bad=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/expect_fail.sh"
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
attempts=$(grep -Ec "^engine: hostile: .*: (refused|ALLOWED)$" err.txt)
refused=$(grep -c "^engine: hostile: .*: refused$" err.txt || true)
[ "$attempts" -ge 8 ] || { echo "the engine made only $attempts attempts" >&2; cat err.txt >&2; exit 1; }
case $sandbox in
  landlock*)
    [ "$refused" -eq "$attempts" ] || { echo "the sandbox let through:" >&2; grep ALLOWED err.txt >&2; exit 1; } ;;
  *)
    # Without Landlock only seccomp's refusals hold: ptrace and process_vm_writev.
    echo "note: this kernel has no Landlock ($sandbox); checking seccomp's refusals only"
    grep -q "^engine: hostile: ptrace the harness: refused$" err.txt
    grep -q "^engine: hostile: write the harness's memory (process_vm_writev): refused$" err.txt ;;
esac
grep -q "^engine: hostile: make the template region writable: refused$" err.txt
[ ! -e res/hostile-was-here ]
h5dump -a /engine_isolation res/snoop.h5 | grep -q "\"isolated: $sandbox\""
# Owner-only whatever the umask: the results file, the checkpoint and its files.
[ "$(stat -c %a res/snoop.h5)" = 600 ] || { echo "results file is $(stat -c %a res/snoop.h5)" >&2; exit 1; }
[ "$(stat -c %a res/snoop.h5.checkpoint)" = 700 ]
[ -z "$(find res/snoop.h5.checkpoint -type f ! -perm 600)" ]
"$shades" report res/snoop.h5 -o res/snoop.html >/dev/null
[ "$(stat -c %a res/snoop.html)" = 600 ]

# The network, other users' files, processes of its own, and memory.
# Listeners this test starts on loopback TCP and UDP ports and a pathname
# Unix socket must receive nothing; a root-only file and one in /dev/shm
# must stay unread (as root the engine runs as nobody, and Landlock reads
# neither); a process the engine starts must not be started, nor outlive
# the run, while its threads still work.
mkdir -m 755 net
python3 "$here/listeners.py" net 60 & listener=$!
trap 'kill $listener 2>/dev/null || true; rm -rf "$work" "/dev/shm/shades-containment-$$"' EXIT
for _ in $(seq 100); do [ -e net/ports ] && break; sleep 0.1; done
read -r tcp udp <net/ports
echo "the test's shared memory" >"/dev/shm/shades-containment-$$"
mkdir -m 755 secrets && echo "root only" >secrets/key && chmod 600 secrets/key
# The worker reads its adapter and config dir as the engine's user.
chmod 755 "$work"
config reach "$bad/libhostile.so" "snoop=$work/res/reach.h5, tcp=$tcp, udp=$udp, unix=$work/net/unix.sock, abstract=shades-containment-$$, secret=$work/secrets/key, secret=/dev/shm/shades-containment-$$, fork=1"
"$shades" run reach.yaml --isolate --no-checkpoint >out.txt 2>err.txt
sandbox=$(sed -n 's/.*sandbox: //p' out.txt)
must_refuse() { grep -q "^engine: hostile: $1: refused$" err.txt || { echo "not refused: $1" >&2; cat err.txt >&2; exit 1; }; }
must_refuse "send to a loopback TCP port"
must_refuse "send to a loopback UDP port"
must_refuse "send to a pathname Unix socket"
must_refuse "send to an abstract Unix socket"
must_refuse "start a process that outlives the run"
grep -q "^engine: hostile: note: a thread ran$" err.txt || { echo "threads do not work in the sandbox" >&2; exit 1; }
grep -q "^engine: hostile: note: 0 threads outside seccomp$" err.txt || { echo "a thread escaped the sandbox:" >&2; cat err.txt >&2; exit 1; }
case $sandbox in *"seccomp (no sockets, processes or exec)"*) ;; *) echo "no seccomp: $sandbox" >&2; exit 1 ;; esac
if [ "$(id -u)" = 0 ] || [[ $sandbox == landlock* ]]; then
  must_refuse "read $work/secrets/key"
  must_refuse "read /dev/shm/shades-containment-$$"
fi
if [ "$(id -u)" = 0 ]; then
  case $sandbox in *"uid 65534"*) ;; *) echo "as root, the engine did not become nobody: $sandbox" >&2; exit 1 ;; esac
fi
sleep 1
[ ! -s net/received ] || { echo "a listener received:" >&2; cat net/received >&2; exit 1; }
if pgrep -f -- "snoop=$work/res/reach.h5" >/dev/null; then
  echo "an engine process outlived the run:" >&2; pgrep -af -- "snoop=$work/res/reach.h5" >&2; exit 1
fi
h5dump -a /engine_isolation res/reach.h5 | grep -q "file size 0, no core dumps"
# Memory files the harness shares with a worker: an engine that catches their
# descriptors in flight on its socket cannot resize them (a shrink would
# end the harness with SIGBUS): the run completes.
config shrink "$bad/libhostile.so" "shrink=1"
"$shades" run shrink.yaml --isolate --no-checkpoint >out.txt 2>err.txt ||
  { echo "the run with shrink=1 failed ($?):" >&2; cat err.txt >&2; exit 1; }
must_refuse "resize the harness's score area"
if grep -q "^engine: hostile: resize .*: ALLOWED$" err.txt; then
  echo "a shared memory file was resized:" >&2; cat err.txt >&2; exit 1
fi
# An engine that eats memory fails its own calls, not the machine.
case $sandbox in
  *"no address-space limit"*) echo "note: no address-space limit in this build ($sandbox)" ;;
  *)
    config eat "$bad/libhostile.so" "eat=0.1"
    "$shades" run eat.yaml --isolate --isolate-memory 1024 --no-checkpoint >out.txt 2>err.txt
    grep -Eq "isolated engine: [1-9][0-9]* calls crashed" out.txt ||
      { echo "the memory eater was not stopped:" >&2; cat out.txt err.txt >&2; exit 1; }
    h5dump -a /engine_isolation res/eat.h5 | grep -q "address space 1024 MiB"
    # Too small a limit to load the library at all: the error says which limit.
    expect_fail "too little memory" "limited to 32 MiB by --isolate-memory; too little for this engine?)$" \
      "$shades" run eat.yaml --isolate --isolate-memory 32 --no-checkpoint ;;
esac
# Too few open files for Landlock's own descriptors: the error names the option.
case $sandbox in
  landlock*)
    config files "$bad/libhostile.so" ""
    expect_fail "too few files" "landlock: Too many open files (raise --isolate-files: the sandbox itself opens a few)$" \
      "$shades" run files.yaml --isolate --isolate-files 3 --no-checkpoint ;;
esac
if [ "$(id -u)" = 0 ]; then
  expect_fail "unknown user" "^shades: error: --isolate-user 'no-such-user-here': no such user$" \
    "$shades" run reach.yaml --isolate --isolate-user no-such-user-here --no-checkpoint
  expect_fail "root" "^shades: error: --isolate-user 'root': an isolated engine never runs as root; name an unprivileged user$" \
    "$shades" run reach.yaml --isolate --isolate-user root --no-checkpoint
  # Started as another user, where the kernel lets that user make a user
  # namespace, the workers get a network namespace too (a worker that
  # already had threads, OpenBLAS's, could not make one).
  if command -v setpriv >/dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U -n true 2>/dev/null; then
    mkdir -m 777 unpriv
    config unpriv synthetic ""
    sed -i 's|results: res/|results: unpriv/|' unpriv.yaml
    setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$shades" run unpriv.yaml --isolate --no-checkpoint >out.txt 2>err.txt
    grep -q "sandbox: .*, network namespace, uid 65534 gid 65534;" out.txt ||
      { echo "an unprivileged run's workers have no network namespace:" >&2; cat out.txt err.txt >&2; exit 1; }
  fi
  # A config dir the engine's user cannot read is named, with that user.
  mkdir -m 700 private && mkdir private/models
  config private "$bad/libhostile.so" ""
  sed -i 's|^engine: {|engine: {config_dir: private/models, |' private.yaml
  expect_fail "private config dir" "^shades: error: isolation: engine.config_dir '\./private/models' is not readable by user 'nobody' (uid 65534), the user isolated engines run as (--isolate-user); make it and the directories above it readable to that user$" \
    "$shades" run private.yaml --isolate --no-checkpoint
fi
chmod 700 "$work"

# Temporaries a killed writer left: the next run to that output removes its
# own dead ones, and leaves a live run's and anything not a plain file.
dead=$(sh -c 'echo $$')
echo partial >"res/stale.h5.tmp.$dead"
echo live >"res/stale.h5.tmp.$$"
ln -s ../outside-target "res/stale.h5.tmp.$((dead + 1))"
config stale synthetic ""
"$shades" run stale.yaml --no-checkpoint >/dev/null 2>&1
[ ! -e "res/stale.h5.tmp.$dead" ] || { echo "a stale temporary was left" >&2; exit 1; }
[ -e "res/stale.h5.tmp.$$" ] && [ -L "res/stale.h5.tmp.$((dead + 1))" ] ||
  { echo "a live temporary or a link was removed" >&2; exit 1; }
"$shades" report res/stale.h5 -o res/stale.html >/dev/null
echo partial >"res/stale.html.tmp.$dead"
"$shades" report res/stale.h5 -o res/stale.html >/dev/null
[ ! -e "res/stale.html.tmp.$dead" ] || { echo "a stale report temporary was left" >&2; exit 1; }

# What an isolated engine prints reaches stderr marked as its own, with
# control bytes shown: no line posing as the harness's, no escape reaching
# the terminal.
config noise "$bad/libhostile.so" "noise=1"
"$shades" run noise.yaml --isolate --no-checkpoint >/dev/null 2>err.txt
grep -q '^engine: shades: error: forged by the engine$' err.txt &&
  grep -qF 'engine: \x1b[2Jcleared' err.txt &&
  grep -qx 'engine: engine chatter from destroy' err.txt ||
  { echo "the engine's output is not marked:" >&2; cat -v err.txt >&2; exit 1; }
! grep -q '^shades: error: forged' err.txt && ! grep -q "$(printf '\033')" err.txt ||
  { echo "the engine's output passed as the harness's:" >&2; cat -v err.txt >&2; exit 1; }
# The engine's logged words in the harness's error line, in-process and
# isolated: on one line, every control byte and stray byte shown as \xNN.
config lognoise "$bad/libhostile.so" "lognoise=1"
for mode in --isolate ''; do
  set +e
  "$shades" run lognoise.yaml $mode --no-checkpoint >/dev/null 2>err.txt
  rc=$?
  set -e
  [ "$rc" -eq 2 ] && [ "$(wc -l <err.txt)" -ge 1 ] &&
    grep -qF ': \x1b[31mred shades: all good \xc2\x9b2J\x7f\xff' err.txt &&
    ! grep -q "$(printf '\033')" err.txt && ! grep -q '^shades: all good' err.txt ||
    { echo "the engine's logged words reached the terminal raw ($mode, exit $rc):" >&2
      cat -v err.txt >&2; exit 1; }
done
# A warning an earlier call logged is not a later failure's reason.
config stale "$bad/libhostile.so" "stale=1"
for mode in --isolate ''; do
  set +e
  "$shades" run stale.yaml $mode --threads 1 --no-checkpoint >/dev/null 2>err.txt
  rc=$?
  set -e
  [ "$rc" -eq 2 ] && grep -q 'failed with SHADES_ERR_NOMEM' err.txt &&
    ! grep -q 'looks dark' err.txt ||
    { echo "a stale warning was given as the reason ($mode, exit $rc):" >&2; cat err.txt >&2; exit 1; }
done
# In-process, what the engine prints to stdout (never flushed, in create
# and in destroy) goes to stderr: stdout carries the harness's tables alone.
"$shades" run noise.yaml --no-checkpoint >out.txt 2>err.txt
grep -qx 'engine chatter from create' err.txt && grep -qx 'engine chatter from destroy' err.txt ||
  { echo "the engine's stdout is lost:" >&2; cat -v err.txt >&2; exit 1; }
! grep -q 'chatter' out.txt && grep -q '^results: ./res/noise.h5' out.txt ||
  { echo "the engine's stdout is among the tables:" >&2; cat -v out.txt >&2; exit 1; }
# A results path or report path that is a symbolic link: the file it
# names is written, and the link stays.
config linked synthetic ""
ln -s noise.h5 res/linked.h5
"$shades" run linked.yaml --no-checkpoint >/dev/null 2>err.txt && [ -L res/linked.h5 ] &&
  [ "$("$shades" report res/noise.h5 | grep -c 'run linked')" -ge 1 ] ||
  { echo "a results link was replaced, or its file not written:" >&2; cat err.txt >&2; exit 1; }
echo old >res/page.html && ln -s page.html res/link.html
"$shades" report res/noise.h5 -o res/link.html && [ -L res/link.html ] &&
  grep -q '<html' res/page.html || { echo "a report link was replaced" >&2; exit 1; }

# With stdout or stderr closed the run still works: no file of the run's
# takes their place (the dataset's folder did, and the engine's stdout,
# pointed at stderr, replaced it).
"$shades" run noise.yaml --no-checkpoint >&- 2>err.txt ||
  { echo "the run failed with stdout closed:" >&2; cat err.txt >&2; exit 1; }
rm res/noise.h5
"$shades" run noise.yaml --no-checkpoint 2>&- >out.txt && grep -q '^results: ' out.txt &&
  "$shades" report res/noise.h5 >/dev/null ||
  { echo "the run failed with stderr closed" >&2; exit 1; }

# Dataset paths that leave the root.
mkdir -p outside
cp data/cohort/manifest.csv good.csv
first=$(sed -n 2p data/cohort/manifest.csv | cut -d, -f3)
cp "data/cohort/$first" outside/secret.png
escape() { # WHAT NEW-PATH PATTERN [DATASET-EXTRA]
  sed "2s|,$first,|,$2,|" good.csv >data/cohort/manifest.csv
  config escape synthetic "" "${4:-}"
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
# YAML's other word for false refuses too, and a word that is neither true
# nor false is an error, not true (libcyaml's own booleans read it as true).
escape "allow_outside_root: no" "../../outside/secret.png" \
  "./data/cohort/manifest.csv:2: field 'path': '../../outside/secret.png' is outside the dataset root './data/cohort'$hint" \
  ", allow_outside_root: no"
config escape synthetic "" ", allow_outside_root: flase"
expect_fail "a misspelt false" \
  "escape.yaml:2: field 'dataset.allow_outside_root': 'flase' is not true or false" \
  "$shades" run escape.yaml --no-checkpoint
[ ! -e res/escape.h5 ]
# Allowed in the config, the same manifest runs.
config escape synthetic "" ", allow_outside_root: true"
"$shades" run escape.yaml --no-checkpoint >/dev/null
# A ".." that stays inside is fine.
mkdir data/cohort/sub
sed "2s|,$first,|,sub/../$first,|" good.csv >data/cohort/manifest.csv
config escape synthetic ""
"$shades" run escape.yaml --no-checkpoint >/dev/null
echo "containment: $refused of $attempts attempts by an isolated engine refused, and the" \
  "network, other files, processes and memory out of reach ($sandbox);" \
  "results and checkpoints owner-only; 3 escaping dataset paths refused"
