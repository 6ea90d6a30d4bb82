#!/usr/bin/env bash
# classification_stats.sh SHADES PYTHON: a replayed classification run with
# errors planted by subject writes, for every partition, the differential
# summaries, the gap's Fisher p, Pearson's chi-square and the pairwise
# Fisher p (Holm-adjusted) that a count by hand gives; its subject-
# bootstrap bounds and p agree with numpy's own subject bootstrap; its
# criteria judge those rows; the reports show them; and a file written
# before schema 1.11 still reads and reports.
set -euo pipefail
shades=$1 python=$2
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "classification_stats: $*" >&2; exit 1; }

# 160 subjects x 5 images; sex, skin and a band by subject. Each subject
# has its own error propensity (so its images err together), higher for
# darker women; the band plants no difference; one image has no prediction.
# A site of 6 subjects is too few for a bootstrap interval.
awk 'BEGIN { srand(3); print "image_id,subject_id,path,sex,skin,band,site"
  for (s = 0; s < 160; s++) for (k = 0; k < 5; k++)
    printf "i%d_%d,s%d,x/%d_%d.png,%s,%s,%s,%s\n", s, k, s, s, k, (s % 2 ? "F" : "M"),
           (int(s / 2) % 2 ? "darker" : "lighter"), (int(s / 4) % 2 ? "A" : "B"),
           (s < 6 ? "small" : "large") }' >manifest.csv
awk -F, 'BEGIN { srand(17); print "image_id,predicted" }
  NR > 1 { s = substr($2, 2) + 0
    if (!(s in q)) { base = ($4 == "F" && $5 == "darker") ? 0.30 : ($4 == "F") ? 0.12 : 0.06
                     q[s] = rand() < 0.5 ? base * 1.8 : base * 0.2 }
    wrong = rand() < q[s]
    p = wrong ? ($4 == "F" ? "M" : "F") : $4
    if ($1 == "i7_2") p = ""
    print $1 "," p }' manifest.csv >predictions.csv
cat >run.yaml <<'YAML'
run: {name: classification-stats, bootstrap: 2000, seed: 9}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, predictions: {file: predictions.csv}}
groups: {partitions: [sex, skin, sex x skin, band, site, skin x band]}
classification: {attribute: sex, classes: [F, M]}
output: {results: out.h5}
criteria:
  - {name: worst-group, measure: error_rate, partition: sex x skin, at_most: 0.5}
  - {name: darker-women, measure: error_rate, partition: sex x skin, group: F/darker,
     interval: wilson, bound: lower, at_least: 0.01}
  - {name: geomean, measure: error_max_geomean, partition: sex x skin, at_most: 1.2}
  - {name: equal-sex, measure: error_boot_p, partition: sex, at_least: 0.05}
  - {name: equal-skin-chi2, measure: error_chi2_p, partition: skin, at_least: 0.0}
  - {name: small-site, measure: error_rate, partition: site, group: small, at_most: 0.9}
YAML
set +e
"$shades" run run.yaml >out 2>err
rc=$?
set -e
[ "$rc" = 1 ] || { cat err out >&2; fail "expected exit 1 (a rule fails), got $rc"; }
grep -q "geomean" out || fail "the run does not name the failed rule"

"$python" - out.h5 manifest.csv predictions.csv <<'PY'
import csv, math, sys
import h5py, numpy as np
h5, manifest_csv, pred_csv = sys.argv[1:]
rows = list(csv.DictReader(open(manifest_csv)))
pred = {r["image_id"]: r["predicted"] for r in csv.DictReader(open(pred_csv))}
subs = sorted({r["subject_id"] for r in rows})
ix = {s: i for i, s in enumerate(subs)}
S = len(subs)
parts = {
    "sex": lambda r: r["sex"],
    "skin": lambda r: r["skin"],
    "sex x skin": lambda r: r["sex"] + "/" + r["skin"],
    "band": lambda r: r["band"],
    "site": lambda r: r["site"],
    "skin x band": lambda r: r["skin"] + "/" + r["band"],
}
f = h5py.File(h5, "r")
bad = []
def same(what, got, want, rel=1e-9):
    if not isinstance(want, (int, float)) or not isinstance(got, (int, float)):
        ok = got == want
    else:
        ok = (math.isnan(got) and math.isnan(want)) or math.isclose(got, want, rel_tol=rel,
                                                                   abs_tol=1e-12)
    if not ok:
        bad.append(f"{what}: got {got}, want {want}")

def fisher(k1, n1, k2, n2):  # two-sided, R's fisher.test with its 1e-7 relative tolerance
    m, N = k1 + k2, n1 + n2
    lo, hi = max(0, m - n2), min(m, n1)
    def pmf(x):
        return math.exp(math.lgamma(n1 + 1) - math.lgamma(x + 1) - math.lgamma(n1 - x + 1)
                        + math.lgamma(n2 + 1) - math.lgamma(m - x + 1) - math.lgamma(n2 - m + x + 1)
                        - math.lgamma(N + 1) + math.lgamma(m + 1) + math.lgamma(N - m + 1))
    p0 = pmf(k1)
    return min(1.0, sum(pmf(x) for x in range(lo, hi + 1) if pmf(x) <= p0 * (1 + 1e-7)))

def chi2_q(x, df):  # upper tail for df 1 and 3
    if df == 1:
        return math.erfc(math.sqrt(x / 2))
    if df == 3:
        return math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    raise ValueError(df)

def holm(p):
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, run = [0] * len(p), 0
    for rank, i in enumerate(order):
        run = max(run, min(1, (len(p) - rank) * p[i]))
        out[i] = run
    return out

groups = f["/classification/groups"][:]
summ = {x["partition"].decode(): x for x in f["/classification/summaries"][:]}
pairs = f["/classification/pairwise"][:]
same("schema", f.attrs["schema_version"], "1.15")
same("replicates", int(f["/classification"].attrs["bootstrap_replicates"]), 2000)
rng = np.random.default_rng(5)
W = np.array([np.bincount(rng.integers(0, S, S), minlength=S) for _ in range(4000)], float)
for p, key in parts.items():
    names = sorted({key(r) for r in rows})
    e = {g: np.zeros(S) for g in names}; n = {g: np.zeros(S) for g in names}
    for r in rows:
        g = key(r); s = ix[r["subject_id"]]
        n[g][s] += 1; e[g][s] += pred[r["image_id"]] != r["sex"]
    k = np.array([e[g].sum() for g in names]); t = np.array([n[g].sum() for g in names])
    rate = k / t
    row = {x["group"].decode(): x for x in groups if x["partition"].decode() == p}
    for i, g in enumerate(names):
        same(f"{p} {g} errors", int(row[g]["errors"]), int(k[i]))
    fl = np.where(k > 0, rate, 0.5 / t)
    s = summ[p]
    same(f"{p} max_min", s["error_max_min"], fl.max() / fl.min())
    same(f"{p} max_geomean", s["error_max_geomean"], fl.max() / math.exp(np.log(fl).mean()))
    G = len(names)
    gini = sum(abs(a - b) for a in rate for b in rate) / (2 * G * G * rate.mean()) * G / (G - 1)
    same(f"{p} gini", s["error_gini"], gini)
    same(f"{p} gap", s["error_gap"], rate.max() - rate.min())
    hi, lo = names[int(rate.argmax())], names[int(rate.argmin())]
    same(f"{p} gap groups", (s["error_gap_high"].decode(), s["error_gap_low"].decode()), (hi, lo))
    same(f"{p} gap Fisher p", s["error_gap_p"],
         fisher(int(k[names.index(hi)]), int(t[names.index(hi)]), int(k[names.index(lo)]),
                int(t[names.index(lo)])), rel=1e-6)
    pooled = k.sum() / t.sum()
    chi2 = (t * (rate - pooled) ** 2).sum() / (pooled * (1 - pooled))
    same(f"{p} chi2", s["chi2"], chi2)
    same(f"{p} df", int(s["df"]), G - 1)
    same(f"{p} p_chi2", s["p_chi2"], chi2_q(chi2, G - 1), rel=1e-6)
    # Pairwise Fisher, Holm over the partition's pairs, in group order.
    pw = [x for x in pairs if x["partition"].decode() == p]
    same(f"{p} pairs", len(pw), G * (G - 1) // 2)
    want = [fisher(int(k[a]), int(t[a]), int(k[b]), int(t[b]))
            for a in range(G) for b in range(a + 1, G)]
    for x, w, h in zip(pw, want, holm(want)):
        same(f"{p} pair Fisher", x["p_fisher"], w, rel=1e-6)
        same(f"{p} pair Fisher Holm", x["p_fisher_holm"], h, rel=1e-6)
    # The subject bootstrap, redone with numpy: subjects drawn with
    # replacement, an image weighted by its subject's draws. 4000 replicates
    # here against the run's 2000 agree to a few hundredths.
    with np.errstate(invalid="ignore"):
        reps = np.array([(W * e[g]).sum(1) / (W * n[g]).sum(1) for g in names])  # G x R
    for i, g in enumerate(names):
        got = (row[g]["error_boot_lo"], row[g]["error_boot_hi"])
        if (n[g] > 0).sum() < 25:  # too few subjects: no bounds
            if not (math.isnan(got[0]) and math.isnan(got[1])):
                bad.append(f"{p} {g}: bootstrap bounds {got} with {(n[g] > 0).sum()} subjects")
            continue
        q = np.quantile(reps[i], [0.025, 0.975])
        if not np.allclose(got, q, rtol=0.08, atol=0.004):
            bad.append(f"{p} {g}: bootstrap bounds {got}, numpy's {tuple(q)}")
    # A replicate missing a group gives no summary.
    full = ~np.isnan(reps).any(0)
    gaps = reps[:, full].max(0) - reps[:, full].min(0)
    q = np.quantile(gaps, [0.025, 0.975])
    got = (s["error_gap_lo"], s["error_gap_hi"])
    if not np.allclose(got, q, rtol=0.08, atol=0.004):
        bad.append(f"{p} gap bounds {got}, numpy's {tuple(q)}")
    if any((n[g] > 0).sum() < 25 or k[i] in (0, t[i]) for i, g in enumerate(names)):
        if not math.isnan(s["p_boot"]):
            bad.append(f"{p}: a bootstrap p {s['p_boot']} with a group it cannot judge")
        continue
    c = reps - rate[:, None] + pooled
    stat = (t[:, None] * (c - (t[:, None] * c).sum(0) / t.sum()) ** 2).sum(0) / (pooled * (1 - pooled))
    want = np.mean(stat >= chi2 * (1 - 1e-9))
    if abs(s["p_boot"] - want) > 0.03:
        bad.append(f"{p}: bootstrap p {s['p_boot']}, numpy's {want}")
    # Subjects' images err together, so the bootstrap p is larger than chi-square's.
    if not s["p_boot"] > s["p_chi2"]:
        bad.append(f"{p}: bootstrap p {s['p_boot']} not above chi-square's {s['p_chi2']}")

v = {x["name"].decode(): x for x in f["/criteria"][:]}
same("worst-group value", v["worst-group"]["value"],
     max(x["error_boot_hi"] for x in groups if x["partition"].decode() == "sex x skin"))
same("worst-group interval", v["worst-group"]["interval"].decode(), "bootstrap")
fd = [x for x in groups if x["group"].decode() == "F/darker"][0]
same("darker-women value", v["darker-women"]["value"], fd["error_wilson_lo"])
same("geomean value", v["geomean"]["value"], summ["sex x skin"]["error_max_geomean_hi"])
same("geomean fails", int(v["geomean"]["pass"]), 0)
same("equal-sex value", v["equal-sex"]["value"], summ["sex"]["p_boot"])
same("chi2 rule value", v["equal-skin-chi2"]["value"], summ["skin"]["p_chi2"])
same("rules name no point", v["geomean"]["point"].decode(), "")
same("small site fails", int(v["small-site"]["pass"]), 0)
same("small site reason", v["small-site"]["reason"].decode(),
     "error_rate of group 'small' has no bootstrap interval: a group needs 25 subjects for one")
if bad:
    print("\n".join(bad[:40]))
    sys.exit(1)
PY

# The reports: the summaries table in text, Markdown and HTML; the CSV's
# bootstrap columns.
"$shades" report out.h5 >report.txt
grep -q "Classification of sex: differences between groups" report.txt ||
  fail "the text report lacks the differences table"
grep -q "pairs apart (Holm)" report.txt || fail "the text report lacks the pairs apart"
grep -q "error \[interval\]  *bootstrap  *no prediction" report.txt || fail "the groups table lacks the bootstrap interval"
"$shades" report out.h5 -o report.html
grep -q "differences between groups" report.html || fail "the HTML report lacks the table"
"$shades" report out.h5 -o report.md
grep -q "differences between groups" report.md || fail "the Markdown report lacks the table"
"$shades" report out.h5 -o report.csv
head -1 report.csv | grep -q "error_boot_lo,error_boot_hi" || fail "the CSV lacks the bootstrap bounds"

# A file of schema 1.10 (no bootstrap, summaries or pairwise) reads and reports.
cp out.h5 old.h5
"$python" - old.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r+")
for t in ("/classification/summaries", "/classification/pairwise"):
    del f[t]
del f["/classification"].attrs["bootstrap_replicates"]
g = f["/classification/groups"][:]
names = [n for n in g.dtype.names if not n.startswith("error_boot")]
old = np.empty(len(g), dtype=[(n, g.dtype[n]) for n in names])
for n in names:
    old[n] = g[n]
del f["/classification/groups"]
f["/classification/groups"] = old
f.attrs["schema_version"] = "1.10"
PY
"$shades" report old.h5 >old.txt 2>old.err || { cat old.err >&2; fail "a 1.10 file does not report"; }
grep -q "Classification of sex: error by group" old.txt || fail "the 1.10 file's report lacks its table"
! grep -q "differences between groups" old.txt || fail "a 1.10 file reports summaries it lacks"

# Without replicates the bootstrap rule is refused before the run.
sed -e 's/bootstrap: 2000/bootstrap: 0/' run.yaml >noboot.yaml
set +e
"$shades" run noboot.yaml >/dev/null 2>noboot.err
rc=$?
set -e
[ "$rc" = 2 ] || fail "a bootstrap rule without replicates: exit $rc"
grep -q "criteria entry 1.interval': defaults to bootstrap, but run.bootstrap is 0: give interval: wilson or clopper-pearson, or bound: value" noboot.err ||
  { cat noboot.err >&2; fail "a bootstrap rule without replicates: wrong message"; }
echo "classification_stats: ok"
