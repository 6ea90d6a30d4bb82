#!/usr/bin/env bash
# identification_export.sh SHADES PYTHON DEMO_DIR: a 1:N run with
# output.export: [candidates] writes the gallery, every search and every
# candidate list; FNIR, FPIR and the CMC recomputed from them by brute force
# equal the run's tables; the export written out in NIST's 1:N candidate-list
# layout and replayed (with the gallery file, with the run's own drawn
# gallery, and gzip'd) gives the run's tables again; the other tables are
# the same with and without the export; the reports say it is there.
set -euo pipefail
shades=$1 python=$2 demo=$(cd "$3" && pwd)
. "$(dirname "$0")/h5_strip.sh"
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "identification_export: $*" >&2; exit 1; }

manifest=$demo/demo-cohort/manifest.csv
config() { # RESULTS ENGINE-LINE [EXPORT]
  cat <<YAML
run: {name: id-export, seed: 7, threads: 2}
dataset: {manifest: $manifest}
$2
groups: {partitions: [sex, skin_type]}
identification: {holdout: 0.25, candidates: 5, target_fpir: [0.3, 0.1]}
output: {results: $1${3:+, export: [$3]}}
YAML
}
engine="engine: {adapter: synthetic, options: [genuine_mean=2.5, trait1_impostor_mean_shift=0.5]}"
config plain.h5 "$engine" >plain.yaml
config out.h5 "$engine" candidates >out.yaml
"$shades" run out.yaml --progress off --no-checkpoint >out.txt 2>err.txt || fail "run: $(cat err.txt)"
"$shades" run plain.yaml --progress off --no-checkpoint >/dev/null 2>&1 || fail "plain run"

# Everything but the export is the same with and without it.
for f in plain out; do
  h5_strip $f.h5 | awk '/DATASET "(gallery|searches|candidates)"/ { skip = 1; depth = 0 }
    skip { o = gsub(/{/, "{"); c = gsub(/}/, "}"); depth += o - c
           if (depth <= 0 && (o || c)) skip = 0; next } { print }' |
    tail -n +2 | grep -v "config\|results" >$f.dump
done
cmp -s plain.dump out.dump || { diff plain.dump out.dump | head; fail "the export changed other tables"; }
h5dump -H plain.h5 >plain.h5dump
grep -q 'DATASET "candidates"' plain.h5dump && fail "a run without the export wrote candidates"

"$python" - "$manifest" out.h5 <<'PY' || fail "brute force disagrees"
import csv, sys
import h5py, numpy as np
man = {r["image_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
f = h5py.File(sys.argv[2], "r")
gal, srch, cand = (f["/identification/" + n][()] for n in ("gallery", "searches", "candidates"))
L = int(f["/identification"].attrs["candidates"])
ids = lambda col: [x.decode() for x in col]
gimg, simg = ids(gal["image_id"]), ids(srch["image_id"])
assert list(gal["slot"]) == list(range(len(gal)))
assert len(set(man[i]["subject_id"] for i in gimg)) == len(gimg), "a subject enrolled twice"
slot_subject = [man[i]["subject_id"] for i in gimg]
enrolled = set(slot_subject)
lists = [[] for _ in srch]
for row in cand:
    lists[row["search"]].append((int(row["rank"]), int(row["slot"]), float(row["score"])))
for q, img in enumerate(simg):
    assert img not in gimg and man[img]["subject_id"] == ids(srch["subject_id"])[q]
    mated = man[img]["subject_id"] in enrolled
    assert bool(srch["mated"][q]) == mated
    if mated:
        assert slot_subject[srch["mate_slot"][q]] == man[img]["subject_id"]
    l = lists[q]
    assert [r for r, _, _ in l] == list(range(1, len(l) + 1)) and len(l) <= L
    assert all(l[k][2] >= l[k + 1][2] for k in range(len(l) - 1))
# every image outside the gallery searches once
assert sorted(simg + gimg) == sorted(man), "searches and gallery do not cover the manifest"
def outcome(q):
    mate, rank, score = srch["mate_slot"][q], 0, -np.inf
    for r, s, sc in lists[q]:
        if s == mate:
            rank, score = r, sc
            break
    top = lists[q][0][2] if lists[q] else -np.inf
    return rank, score, top
out = [outcome(q) for q in range(len(srch))]
mated = [q for q in range(len(srch)) if srch["mated"][q]]
non = [q for q in range(len(srch)) if not srch["mated"][q]]
def group_of(part, img):
    return "all" if part == "all" else man[img][part]
checked = 0
for g in f["/identification/groups"][()]:
    part, grp, t = g["partition"].decode(), g["group"].decode(), g["threshold"]
    inn = lambda q: part == "all" or group_of(part, simg[q]) == grp
    m = [q for q in mated if inn(q)]
    n = [q for q in non if inn(q)]
    miss = sum(1 for q in m if not (out[q][0] >= 1 and out[q][1] >= t))
    fp = sum(1 for q in n if out[q][2] >= t)
    assert (g["n_mated"], g["n_miss"], g["n_nonmated"], g["n_false_positive"]) == \
        (len(m), miss, len(n), fp), (part, grp, t)
    checked += 1
for row in f["/identification/thresholds"][()]:
    t = row["threshold"]
    tops = sorted(out[q][2] for q in non)
    fpir = lambda th: sum(1 for x in tops if x >= th) / len(tops)
    assert fpir(t) <= row["target_fpir"]
    below = [x for x in tops if x < t]
    if below:  # the threshold is the smallest that reaches the target
        assert fpir(max(below)) > row["target_fpir"], "threshold not the smallest"
for c in f["/identification/cmc"][()]:
    part, grp, r = c["partition"].decode(), c["group"].decode(), c["rank"]
    m = [q for q in mated if part == "all" or group_of(part, simg[q]) == grp]
    assert c["n_hit"] == sum(1 for q in m if 1 <= out[q][0] <= r)
    checked += 1
print("brute force:", checked, "rows")
# NIST's 1:N layout: L rows a search, rank from 0, unassigned rows padding.
with open("cand.txt", "w") as o:
    o.write("searchId candidateRank searchRetCode isAssigned templateId score decision\n")
    for q, img in enumerate(simg):
        l = lists[q]
        for k in range(L):
            if k < len(l):
                o.write("%s %d 0 1 %s %r 0\n" % (img, k, gimg[l[k][1]], l[k][2]))
            else:
                o.write("%s %d 0 0  0 0\n" % (img, k))
with open("gallery.csv", "w") as o:
    o.write("image_id\n" + "".join(i + "\n" for i in gimg))
PY

tables() { h5dump -d /identification/thresholds -d /identification/groups -d /identification/cmc "$1" | tail -n +2; }
tables out.h5 >want.txt
config replay.h5 "engine: {adapter: replay, candidates: {file: cand.txt, gallery: gallery.csv}}" >replay.yaml
"$shades" run replay.yaml --progress off >/dev/null 2>err.txt || fail "replay: $(cat err.txt)"
tables replay.h5 | cmp -s - want.txt || fail "the replayed lists give other tables"
h5dump -a /replay_gallery_sha256 replay.h5 >gallery.h5dump
grep -q "$(sha256sum gallery.csv | cut -d' ' -f1)" gallery.h5dump ||
  fail "the gallery file's SHA-256 is not recorded"
# (reports to files: grep -q closing a pipe early would fail the writer)
"$shades" report replay.h5 >replay.txt
grep -q "^gallery sha256 *$(sha256sum gallery.csv | cut -c1-16)" replay.txt ||
  fail "the report does not show the gallery's SHA-256"
# Without the gallery file the run draws the same gallery from its seed.
config drawn.h5 "engine: {adapter: replay, candidates: {file: cand.txt.gz}}" candidates >drawn.yaml
gzip -k cand.txt
"$shades" run drawn.yaml --progress off >/dev/null 2>err.txt || fail "drawn replay: $(cat err.txt)"
tables drawn.h5 | cmp -s - want.txt || fail "the replay on the drawn gallery gives other tables"
for d in gallery searches candidates; do
  cmp -s <(h5dump -d /identification/$d out.h5 | tail -n +2) \
         <(h5dump -d /identification/$d drawn.h5 | tail -n +2) || fail "re-exported $d differs"
done

"$shades" report out.h5 >report.txt
grep -q "^Candidate lists exported: [0-9]* searches" report.txt || fail "the report does not name the export"
"$shades" report out.h5 --format md >report.md
grep -q "Candidate lists exported" report.md || fail "markdown report"
"$shades" report out.h5 --format html -o r.html && grep -q "Candidate lists exported" r.html ||
  fail "html report"
echo "identification_export: ok"
