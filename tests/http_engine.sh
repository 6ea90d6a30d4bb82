#!/usr/bin/env bash
# http_engine.sh SHADES WORK SRC: the http engine (adapters/http/) against
# the loopback face service (tests/http_service/server.py), on generated
# faces, through every description in configs/services/:
# - classification audits and verification runs give exactly the tables of
#   replays of what the service answers, computed from the image files by
#   tests/http_service/expected.py;
# - a second run is answered from the cache: the server sees no request;
# - a run killed mid-way resumes without asking again what was answered;
# - 429 with Retry-After and 500s are retried; a slow service times out,
#   malformed JSON, a missing field and a spent budget stop the run with
#   one line, exit 2 and no results; an empty face list is "no prediction";
# - credentials appear in no file the run writes, nor in its output.
set -euo pipefail
shades=$1 work=$2 src=$3
server_py=$src/tests/http_service/server.py
expected_py=$src/tests/http_service/expected.py
fail() { echo "http_engine: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# Test credentials: the server checks them, and none may leak.
export SHADES_SERVICE_KEY=generic-key-5d1e2a AWS_ACCESS_KEY_ID=AKIDSHADESTEST
export AWS_SECRET_ACCESS_KEY=aws-secret-7c4f9b AZURE_FACE_KEY=azure-key-2b8e61
export FACEPP_API_KEY=facepp-key-9a3c07 FACEPP_API_SECRET=facepp-secret-4e6d18
secrets=("$SHADES_SERVICE_KEY" "$AWS_SECRET_ACCESS_KEY" "$AZURE_FACE_KEY" "$FACEPP_API_KEY"
         "$FACEPP_API_SECRET")

"$shades" synth faces --subjects 12 --images 3 --seed 11 --threads 2 >/dev/null
# Sending these faces to a service is third-party processing; their card
# must say it may happen.
sed -i 's/^permitted_uses:$/permitted_uses:\n  - third-party processing by the loopback test service/' \
  faces/card.yaml
grep -q "third-party processing" faces/card.yaml || fail "could not edit the card"
"$shades" synth few --subjects 2 --images 2 --seed 3 >/dev/null
sed -i 's/^permitted_uses:$/permitted_uses:\n  - third-party processing by the loopback test service/' \
  few/card.yaml

# The stand-in service itself first: its answers against expected.py's,
# each misbehaviour option, and its PNG decoder against OpenCV's.
python3 "$src/tests/http_service/selftest.py" faces/manifest.csv > selftest.txt 2>&1 \
  || fail "the test server's self-test: $(tail -5 selftest.txt)"
bash "$src/tests/http_service/check_decoder.sh" > decoder.txt 2>&1 \
  || fail "the test server's PNG decoder: $(tail -5 decoder.txt)"

pid=""
stop_server() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap stop_server EXIT
start_server() { # server options...
  stop_server
  rm -f port
  python3 "$server_py" --port-file port --log server.log "$@" 2>>server.err &
  pid=$!
  for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
  [ -s port ] || fail "the test server did not start: $(cat server.err)"
  port=$(cat port)
}
requests() { [ -f server.log ] && wc -l < server.log || echo 0; }

config() { # name service protocol-section [extra options]
  cat > "$1.yaml" <<YAML
run: {name: $1, seed: 1, threads: 2, bootstrap: 50}
dataset: {manifest: faces/manifest.csv, card: faces/card.yaml}
engine:
  adapter: http
  service: $src/configs/services/$2.yaml
  options: [base_url=http://127.0.0.1:$port, cache=cache-$1, rate=0, backoff=0.01, ${4:-retries=2}]
groups: {partitions: [sex, skin_type]}
$3
output: {results: $1.h5}
YAML
}
replay() { # name kind file protocol-section
  cat > "$1.yaml" <<YAML
run: {name: $1, seed: 1, threads: 2, bootstrap: 50}
dataset: {manifest: faces/manifest.csv, card: faces/card.yaml}
engine: {adapter: replay, $2: {file: $3}}
groups: {partitions: [sex, skin_type]}
$4
output: {results: $1.h5}
YAML
  "$shades" run "$1.yaml" --progress off > "$1.txt" 2>&1 || fail "replay $1: $(tail -3 "$1.txt")"
}
run() { # name: must succeed
  "$shades" run "$1.yaml" --progress off > "$1.txt" 2>&1 || fail "run $1: $(tail -3 "$1.txt")"
}
same_tables() { # a.h5 b.h5 group datasets...
  local a=$1 b=$2 g=$3
  shift 3
  for t in "$@"; do
    cmp -s <(h5dump -d "/$g/$t" "$a" | tail -n +3) <(h5dump -d "/$g/$t" "$b" | tail -n +3) \
      || fail "/$g/$t differs between $a and $b"
  done
}
classes="classification: {attribute: sex, classes: [F, M]}"
verification="verification: {target_fmr: [1e-1]}"
cls_tables=(groups)
ver_tables=(groups det eer)

start_server
# Classification audits through every description with a detect call.
for svc in generic aws-rekognition azure-face facepp; do
  config "cls-$svc" "$svc" "$classes"
  run "cls-$svc"
  python3 "$expected_py" predictions faces/manifest.csv "exp-cls-$svc.csv" --service "$svc"
  replay "rep-cls-$svc" predictions "exp-cls-$svc.csv" "$classes"
  same_tables "cls-$svc.h5" "rep-cls-$svc.h5" classification "${cls_tables[@]}"
done
# Verification through the verify calls, and through generic's embeddings.
for svc in aws-rekognition facepp generic; do
  config "ver-$svc" "$svc" "$verification"
  run "ver-$svc"
  call=verify && [ "$svc" = generic ] && call=embed
  python3 "$expected_py" scores faces/manifest.csv all "exp-ver-$svc.csv" --service "$svc" \
    --call "$call"
  replay "rep-ver-$svc" scores "exp-ver-$svc.csv" "$verification"
  same_tables "ver-$svc.h5" "rep-ver-$svc.h5" verification "${ver_tables[@]}"
done

# A second run is answered from the cache alone.
before=$(requests)
config "ver-aws-rekognition" aws-rekognition "$verification"
sed -i 's/results: ver-aws-rekognition.h5/results: again.h5/' ver-aws-rekognition.yaml
run ver-aws-rekognition
[ "$(requests)" = "$before" ] || fail "a cached run asked the service $(( $(requests) - before )) times"
same_tables ver-aws-rekognition.h5 again.h5 verification "${ver_tables[@]}"

# Killed mid-way, then resumed: what was answered is not asked again.
start_server --slow 0.02
config kill facepp "$verification" "concurrency=1"
before=$(requests)
"$shades" run kill.yaml --progress off > kill.txt 2>&1 &
runner=$!
for _ in $(seq 200); do [ "$(( $(requests) - before ))" -ge 150 ] && break; sleep 0.05; done
kill -9 "$runner" 2>/dev/null || fail "the run ended before it could be killed"
wait "$runner" 2>/dev/null || true
[ ! -e kill.h5 ] || fail "a killed run left a results file"
sleep 0.3
killed_at=$(requests)
cp cache-kill/index.tsv index-at-kill.tsv
"$shades" run kill.yaml --resume --progress off > resume.txt 2>&1 \
  || fail "resume: $(tail -3 resume.txt)"
python3 - "$before" "$killed_at" index-at-kill.tsv server.log <<'PY' || fail "resume asked again"
import json, sys
start, killed_at, index, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
lines = [json.loads(l) for l in open(log)]
# What the killed run had cached, as (call, images); the resumed run's requests.
cached = set()
for row in open(index):
    f = row.rstrip("\n").split("\t")
    cached.add((f[1], tuple(f[4].split(","))))
after = [(l["call"], tuple(l["images"])) for l in lines[killed_at:]]
again = [a for a in after if a in cached]
if again or not cached:
    sys.exit(f"{len(again)} of {len(cached)} cached answers asked again")
if len(after) + len(cached) > 36 * 35 // 2 + 1:  # every pair once, and the one in flight
    sys.exit(f"{len(after)} requests after the kill, {len(cached)} before")
PY
answered=$(wc -l < index-at-kill.tsv)
[ "$answered" -gt 0 ] || fail "nothing was cached before the kill"
python3 "$expected_py" scores faces/manifest.csv all exp-kill.csv --service facepp
replay rep-kill scores exp-kill.csv "$verification"
same_tables kill.h5 rep-kill.h5 verification "${ver_tables[@]}"

# A spent budget stops the run; raised, the run resumes and pays nothing twice.
start_server
config budget azure-face "$classes" "budget=10"
budget_start=$(requests)
if "$shades" run budget.yaml --progress off > budget.txt 2>&1; then fail "a spent budget passed"; fi
grep -q "azure-face: the budget of 10 requests is spent" budget.txt \
  || fail "budget message: $(cat budget.txt)"
[ ! -e budget.h5 ] || fail "a run stopped by its budget left a results file"
sed -i 's/budget=10/budget=1000/' budget.yaml
"$shades" run budget.yaml --resume --progress off > budget2.txt 2>&1 \
  || fail "resume after the budget: $(tail -3 budget2.txt)"
python3 - server.log "$budget_start" <<'PY' || fail "an image was paid for twice"
import collections, json, sys
lines = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
seen = collections.Counter(tuple(l["images"]) for l in lines if l["status"] == 200)
twice = [k for k, n in seen.items() if n > 1]
if twice or len(seen) != 36:
    sys.exit(f"{len(twice)} images asked twice; {len(seen)} of 36 answered")
PY

# The generic API's key as a bearer token and as a query parameter.
for kind in bearer query; do
  sed -e "s/^  kind: header$/  kind: $kind/" -e "s/^  name: X-Api-Key$/  name: api_key/" \
    "$src/configs/services/generic.yaml" > "generic-$kind.yaml"
  config "auth-$kind" generic "$classes"
  sed -i -e "s|service: .*|service: generic-$kind.yaml|" -e 's|faces/|few/|g' "auth-$kind.yaml"
  run "auth-$kind"
  grep -q "^All  *4 " "auth-$kind.txt" || fail "auth $kind: $(grep All "auth-$kind.txt")"
done

# Misbehaviour: retried, or stopped with one line.
expect_fail() { # name service section message [options]
  config "$1" "$2" "$3" "${5:-retries=2}"
  if "$shades" run "$1.yaml" --progress off > "$1.txt" 2>&1; then fail "$1 passed"; fi
  grep -q -- "$4" "$1.txt" || fail "$1: expected '$4', got: $(cat "$1.txt")"
  [ "$(grep -c 'error' "$1.txt")" = 1 ] || fail "$1: not one error line: $(cat "$1.txt")"
  [ ! -e "$1.h5" ] || fail "$1 left a results file"
}
start_server --fail-first 2 --fail-status 429 --retry-after 0
config r429 generic "$classes" "export=published"
run r429
same_tables r429.h5 rep-cls-generic.h5 classification "${cls_tables[@]}"
# The export holds every response the run used, with its index line.
[ "$(wc -l < published/responses.tsv)" = 36 ] && [ "$(ls published/*.json | wc -l)" = 36 ] \
  || fail "export: $(wc -l < published/responses.tsv) index lines"
# Retry-After is honoured: 4 images on 2 threads, each told to wait 1 s.
start_server --fail-first 1 --fail-status 429 --retry-after 1
config wait generic "$classes"
sed -i 's|faces/|few/|g' wait.yaml
t0=$(date +%s.%N)
run wait
python3 -c "import sys; d = float(sys.argv[2]) - float(sys.argv[1]); sys.exit(d < 2)" \
  "$t0" "$(date +%s.%N)" || fail "Retry-After: 1 was not waited for"
start_server --fail-first 2 --fail-status 500
config r500 aws-rekognition "$classes"
run r500
same_tables r500.h5 rep-cls-aws-rekognition.h5 classification "${cls_tables[@]}"
start_server --fail-first 5 --fail-status 503
expect_fail r503 generic "$classes" "generic detect: no answer from http://127.0.0.1:$port after 3 attempts; the last: HTTP 503"
start_server --slow 1
expect_fail slow generic "$classes" "the last: Timeout was reached" "timeout=0.2"
expect_fail deadline generic "$classes" \
  "generic detect: no answer from http://127.0.0.1:$port within the deadline of 1.5 s (2 attempts); the last: Timeout was reached" \
  "timeout=0.6, retries=5, deadline=1.5"
start_server --malformed
expect_fail malformed facepp "$classes" "facepp detect: the response is not JSON"
start_server --missing-field
expect_fail missing aws-rekognition "$classes" "aws-rekognition detect: the response's face has no text 'Gender.Value'"
start_server --empty-faces
config empty generic "$classes"
run empty
grep -Eq "^All +36 +36 .* +36 +100.0%$" empty.txt || fail "empty faces: $(grep All empty.txt)"
# A refused key the service quotes back is not passed on.
start_server --echo-credentials
export SHADES_SERVICE_KEY=wrong-key-3f9a5c
secrets+=("$SHADES_SERVICE_KEY")
expect_fail denied generic "$classes" \
  "generic detect: HTTP 403: {\"error\": \"wrong X-Api-Key: \[credential\]\""
export SHADES_SERVICE_KEY=generic-key-5d1e2a

# No credential in anything the runs wrote or printed.
stop_server
for s in "${secrets[@]}"; do
  if grep -rlaF --exclude=server.log --exclude=server.err -e "$s" . > leaks.txt; then
    fail "credential $s found in: $(tr '\n' ' ' < leaks.txt)"
  fi
done
# The cache is the owner's alone.
[ "$(stat -c %a cache-cls-generic)" = 700 ] || fail "cache folder mode $(stat -c %a cache-cls-generic)"
[ -z "$(find cache-cls-generic -type f ! -perm 600)" ] || fail "a cache file others can read"
echo "http_engine: ok"
