#!/usr/bin/env bash
# score_stats.sh SHADES PYTHON: /verification/scores holds, for every group,
# the genuine and impostor scores' means and SDs, d', the AUC (exact, or
# exact bounds), ZeroFMR and ZeroFNMR that a brute-force pass over every
# pair gives; the same bits on 1 and 2 threads and when replay lists every
# pair; a rule on them judges its rows; the reports show them; and a file
# of schema 1.10 still reads.
set -euo pipefail
shades=$1 python=$2
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "score_stats: $*" >&2; exit 1; }

# 80 subjects x 4 images, two sexes; every pair scored to three places (so
# scores tie), some negative, three pairs failed; the groups differ.
awk 'BEGIN { print "image_id,subject_id,path,sex"
  for (s = 0; s < 80; s++) for (k = 0; k < 4; k++)
    printf "img%d_%d,s%d,x/%d_%d.png,%s\n", s, k, s, s, k, (s % 2 ? "F" : "M") }' >manifest.csv
awk 'BEGIN { srand(23); print "reference_id,probe_id,score"
  n = 0; for (s = 0; s < 80; s++) for (k = 0; k < 4; k++) { id[n] = "img" s "_" k; sub_[n++] = s }
  for (a = 0; a < n; a++) for (b = a + 1; b < n; b++) {
    f = sub_[a] % 2
    sc = sub_[a] == sub_[b] ? 0.5 + 0.15 * f + 0.4 * rand() : 0.6 * rand() - 0.1 + 0.08 * f
    s = sprintf("%.3f", sc)
    if ((a == 3 && b == 4) || (a == 10 && b == 11) || (a == 20 && b == 300)) s = ""
    printf "%s,%s,%s\n", id[a], id[b], s } }' >scores.csv
cat >run.yaml <<'YAML'
run: {name: score-stats, bootstrap: 0}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, scores: {file: scores.csv}}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-2], impostor_moments: true}
output: {results: out.h5}
criteria:
  - {name: separable, measure: d_prime, partition: sex, at_least: 3.5}
  - {name: ranked, measure: auc, partition: sex, group: F, at_least: 0.999}
YAML
set +e
"$shades" run run.yaml --threads 2 >out 2>err
rc=$?
set -e
[ "$rc" = 1 ] || { cat err >&2; fail "expected exit 1 (a rule fails), got $rc"; }
sed 's/out.h5/one.h5/' run.yaml >one.yaml
"$shades" run one.yaml --threads 1 >/dev/null 2>&1 || [ $? = 1 ] || fail "the 1-thread run failed"
sed -e 's/out.h5/plain.h5/' -e 's/, impostor_moments: true//' -e '/separable/d' run.yaml >plain.yaml
"$shades" run plain.yaml --threads 2 >/dev/null 2>&1 || [ $? = 1 ] || fail "the run without moments failed"
sed 's/out.h5/listed.h5/' run.yaml >listed.yaml
SHADES_REPLAY_LISTED=1 "$shades" run listed.yaml --threads 2 >/dev/null 2>&1 || [ $? = 1 ] ||
  fail "the listed run failed"

"$python" - out.h5 one.h5 listed.h5 scores.csv manifest.csv plain.h5 <<'PY'
import csv, math, sys
import h5py, numpy as np
h5, one, listed, scores_csv, manifest_csv, plain = sys.argv[1:]
sex, subject = {}, {}
for r in csv.DictReader(open(manifest_csv)):
    sex[r["image_id"]] = r["sex"]; subject[r["image_id"]] = r["subject_id"]
gen = {"All": [], "F": [], "M": []}
imp = {"All": [], "F": [], "M": []}
for r in csv.DictReader(open(scores_csv)):
    a, b = r["reference_id"], r["probe_id"]
    s = float(r["score"]) if r["score"] else -math.inf
    d = gen if subject[a] == subject[b] else imp
    d["All"].append(s)
    if sex[a] == sex[b]:
        d[sex[a]].append(s)
f = h5py.File(h5, "r")
rows = {x["group"].decode(): x for x in f["/verification/scores"][:]}
bad = []
def close(what, got, want, rel=1e-12):
    if not ((math.isnan(got) and math.isnan(want)) or math.isclose(got, want, rel_tol=rel, abs_tol=1e-15)):
        bad.append(f"{what}: got {got!r}, want {want!r}")
for g in ("All", "F", "M"):
    G, I = np.array(gen[g]), np.array(imp[g])
    r = rows[g]
    if r["n_genuine"] != len(G) or r["n_impostor"] != len(I):
        bad.append(f"{g}: counts {r['n_genuine']}, {r['n_impostor']}; want {len(G)}, {len(I)}")
    Gf, If = G[np.isfinite(G)], I[np.isfinite(I)]
    close(f"{g} genuine mean", r["genuine_mean"], Gf.mean())
    close(f"{g} genuine sd", r["genuine_sd"], Gf.std())
    close(f"{g} impostor mean", r["impostor_mean"], If.mean(), 1e-11)
    close(f"{g} impostor sd", r["impostor_sd"], If.std(), 1e-9)
    close(f"{g} d'", r["d_prime"], (Gf.mean() - If.mean()) / math.sqrt((Gf.var() + If.var()) / 2), 1e-9)
    # AUC over every pair, failed ones scoring -inf: wins plus half the ties.
    Is = np.sort(I)
    wins = np.searchsorted(Is, G, "left").sum()
    ties = (np.searchsorted(Is, G, "right") - np.searchsorted(Is, G, "left")).sum()
    auc = (wins + ties / 2) / (len(G) * len(I))
    if not (r["auc_lo"] <= auc + 1e-15 and auc <= r["auc_hi"] + 1e-15):
        bad.append(f"{g}: AUC {auc!r} outside [{r['auc_lo']!r}, {r['auc_hi']!r}]")
    if r["auc_lo"] == r["auc_hi"]:
        close(f"{g} exact AUC", r["auc"], auc)
    mx = I.max()
    close(f"{g} max impostor", r["max_impostor"], mx, 0)
    close(f"{g} ZeroFMR", r["zero_fmr"], (G <= mx).sum() / len(G), 0)
    mn = Gf.min()
    close(f"{g} min genuine", r["min_genuine"], mn, 0)
    close(f"{g} ZeroFNMR", r["zero_fnmr"], (I >= mn).sum() / len(I), 0)
# The same bits on one thread and when every pair is listed.
for other in (one, listed):
    o = h5py.File(other, "r")["/verification/scores"][:]
    if o.tobytes() != f["/verification/scores"][:].tobytes():
        bad.append(f"{other}: /verification/scores differs from the 2-thread run's")
# Without verification.impostor_moments: no impostor mean, SD or d'; the rest the same.
pl = {x["group"].decode(): x for x in h5py.File(plain, "r")["/verification/scores"][:]}
for g, x in pl.items():
    for col in x.dtype.names:
        want = rows[g][col]
        if col in ("impostor_mean", "impostor_sd", "d_prime"):
            if not math.isnan(x[col]):
                bad.append(f"{g} {col}: {x[col]} without impostor_moments")
        elif x[col] != want and not (isinstance(want, float) and math.isnan(want) and math.isnan(x[col])):
            bad.append(f"{g} {col}: {x[col]} without moments, {want} with")
v = {x["name"].decode(): x for x in f["/criteria"][:]}
worst = min(rows["F"]["d_prime"], rows["M"]["d_prime"])
close("separable value", v["separable"]["value"], worst, 0)
close("ranked value", v["ranked"]["value"], rows["F"]["auc"], 0)
if v["separable"]["point"].decode() != "":
    bad.append("a score rule names a point")
if bad:
    print("\n".join(bad[:40]))
    sys.exit(1)
print("score_stats: brute force agrees")
PY

"$shades" report out.h5 >report.txt
grep -q "Score distributions per group" report.txt || fail "the text report lacks the scores table"
"$shades" report out.h5 -o report.html
grep -q "Score distributions per group" report.html || fail "the HTML report lacks the scores table"

# A file of schema 1.10 (no scores table) reads and reports.
cp out.h5 old.h5
"$python" - old.h5 <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r+")
del f["/verification/scores"]
f.attrs["schema_version"] = "1.10"
PY
"$shades" report old.h5 >old.txt 2>old.err || { cat old.err >&2; fail "a 1.10 file does not report"; }
! grep -q "Score distributions per group" old.txt || fail "a 1.10 file reports scores it lacks"
echo "score_stats: ok"
