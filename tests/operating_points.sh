#!/usr/bin/env bash
# operating_points.sh SHADES PYTHON: a run at a target FMR, a target FNMR
# and a fixed threshold writes, for each, the thresholds, group rows (with
# each group's own threshold, FNMR and FMR there, and its rates over the
# reference group's), summaries, matrices and verdicts that a brute-force
# count over every pair gives; a criterion at a target FNMR or fixed
# threshold, or on a ratio, names it and judges its rows; and a file of
# schema 1.9, which knows target FMRs only, still reads as one.
set -euo pipefail
shades=$1 python=$2
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "operating_points: $*" >&2; exit 1; }

# 60 subjects x 3 images, two groups; every pair scored, two failed.
awk 'BEGIN { print "image_id,subject_id,path,sex"
  for (s = 0; s < 60; s++) for (k = 0; k < 3; k++)
    printf "img%d_%d,s%d,x/%d_%d.png,%s\n", s, k, s, s, k, (s % 2 ? "F" : "M") }' >manifest.csv
awk 'BEGIN { srand(11); print "reference_id,probe_id,score"
  n = 0; for (s = 0; s < 60; s++) for (k = 0; k < 3; k++) { id[n] = "img" s "_" k; sub_[n++] = s }
  for (a = 0; a < n; a++) for (b = a + 1; b < n; b++) {
    f = sub_[a] % 2
    sc = sub_[a] == sub_[b] ? 0.55 + 0.1 * f + 0.35 * rand() : 0.45 * rand() + 0.05 * f
    s = sprintf("%.6f", sc)
    if ((a == 3 && b == 4) || (a == 10 && b == 11)) s = ""
    printf "%s,%s,%s\n", id[a], id[b], s } }' >scores.csv
cat >run.yaml <<'YAML'
run: {name: operating-points, bootstrap: 2000, seed: 5}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, scores: {file: scores.csv}}
groups: {partitions: [sex], reference: [{partition: sex, group: F}]}
verification:
  target_fmr: [1e-2]
  target_fnmr: [0.05]
  fixed_threshold: [0.4]
output: {results: out.h5}
criteria:
  - {name: fnmr-at-fnmr-target, measure: fnmr, partition: sex, target_fnmr: 0.05,
     bound: value, at_most: 0.2}
  - {name: fmr-at-fixed, measure: fmr, partition: sex, fixed_threshold: 0.4,
     bound: value, at_most: 0.001}
  - {name: gap-at-fixed, measure: fnmr_gap, partition: sex, fixed_threshold: 0.4,
     bound: value, at_most: 1}
  - {name: fmr-ratio-at-fixed, measure: fmr_ratio, partition: sex, fixed_threshold: 0.4,
     at_most: 2}
  - {name: equal-fnmr, measure: fnmr_boot_p, partition: sex, target_fnmr: 0.05, at_least: 0.05}
YAML
set +e
"$shades" run run.yaml >out 2>err
rc=$?
set -e
[ "$rc" = 1 ] || { cat err >&2; fail "expected exit 1 (a rule fails), got $rc"; }
grep -q "fmr-at-fixed" out || fail "the run does not name the failed rule"

"$python" - out.h5 scores.csv manifest.csv <<'PY'
import csv, math, sys
import h5py, numpy as np
h5, scores_csv, manifest_csv = sys.argv[1:]
sex = {}; subject = {}
for r in csv.DictReader(open(manifest_csv)):
    sex[r["image_id"]] = r["sex"]; subject[r["image_id"]] = r["subject_id"]
gen = {"All": [], "F": [], "M": []}; imp = {"All": [], "F": [], "M": []}
for r in csv.DictReader(open(scores_csv)):
    a, b = r["reference_id"], r["probe_id"]
    s = float(r["score"]) if r["score"] else -math.inf
    side = gen if subject[a] == subject[b] else imp
    side["All"].append(s)
    if sex[a] == sex[b]:
        side[sex[a]].append(s)
gen = {k: np.array(v) for k, v in gen.items()}; imp = {k: np.array(v) for k, v in imp.items()}

def allowed(n, target):  # largest k with k / n <= target, as the harness divides
    k = 0
    while k + 1 <= n and (k + 1) / n <= target:
        k += 1
    return k
def at_fmr(i, target):  # smallest t with #(i >= t) <= k: just above the (k+1)-th largest
    k = allowed(len(i), target)
    return np.nextafter(np.sort(i)[::-1][k], np.inf)
def at_fnmr(g, target):  # largest t with #(g < t) <= k, among the scores
    k = allowed(len(g), target)
    return max(s for s in g if np.count_nonzero(g < s) <= k)
def fmr(i, t): return np.count_nonzero(i >= t)
def fnmr(g, t): return np.count_nonzero(g < t)

bad = []
def same(what, got, want):
    if not (got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got))):
        bad.append(f"{what}: {got!r}, brute force {want!r}")
with h5py.File(h5, "r") as f:
    same("schema", f.attrs["schema_version"], "1.15")
    th = f["/verification/thresholds"][:]
    groups = f["/verification/groups"][:]
    summ = f["/verification/summaries"][:]
    crit = f["/criteria"][:]
    mx = f["/verification/fmr_matrix/sex"]
    points = [("target_fmr", 1e-2), ("target_fnmr", 0.05), ("fixed_threshold", 0.4)]
    same("thresholds rows", len(th), 3)
    for k, (point, value) in enumerate(points):
        t = (at_fmr(imp["All"], value) if point == "target_fmr" else
             at_fnmr(gen["All"], value) if point == "target_fnmr" else value)
        row = th[k]
        same(f"{point} point", row["point"].decode(), point)
        same(f"{point} target_fmr", row["target_fmr"], value if point == "target_fmr" else math.nan)
        same(f"{point} target_fnmr", row["target_fnmr"], value if point == "target_fnmr" else math.nan)
        same(f"{point} threshold", row["threshold"], t)
        same(f"{point} false matches", row["n_false_match"], fmr(imp["All"], t))
        same(f"{point} false non-matches", row["n_false_nonmatch"], fnmr(gen["All"], t))
        for g in ("All", "F", "M"):
            r = [x for x in groups if x["group"].decode() == g and x["point"].decode() == point]
            same(f"{point} {g} rows", len(r), 1)
            r = r[0]
            same(f"{point} {g} threshold", r["threshold"], t)
            same(f"{point} {g} n_false_match", r["n_false_match"], fmr(imp[g], t))
            same(f"{point} {g} n_false_nonmatch", r["n_false_nonmatch"], fnmr(gen[g], t))
            own = (at_fmr(imp[g], value) if point == "target_fmr" else
                   at_fnmr(gen[g], value) if point == "target_fnmr" else math.nan)
            same(f"{point} {g} group_threshold", r["group_threshold"], own)
            if point != "fixed_threshold":
                same(f"{point} {g} group_fnmr", r["group_fnmr"], fnmr(gen[g], own) / len(gen[g]))
                same(f"{point} {g} group_fmr", r["group_fmr"], fmr(imp[g], own) / len(imp[g]))
            # Relative to the reference group F, at the same point.
            if g != "All":
                ref = [x for x in groups if x["group"].decode() == "F" and x["point"].decode() == point][0]
                same(f"{point} {g} reference", r["reference"].decode(), "F")
                for rate in ("fnmr", "fmr"):
                    want = r[rate] / ref[rate] if ref[rate] > 0 else math.nan
                    same(f"{point} {g} {rate}_ratio", r[rate + "_ratio"], want)
                    lo, hi = r[rate + "_ratio_lo"], r[rate + "_ratio_hi"]
                    if g == "F" and not math.isnan(want) and (lo, hi) != (1.0, 1.0):
                        bad.append(f"{point} F: its ratio to itself has bounds [{lo}, {hi}]")
                    errs = r["n_false_match" if rate == "fmr" else "n_false_nonmatch"]
                    trials = r["n_impostor" if rate == "fmr" else "n_genuine"]
                    if g == "M" and errs in (0, trials):  # no spread: no interval, not 0 [0, 0]
                        if not (math.isnan(lo) and math.isnan(hi)):
                            bad.append(f"{point} M {rate}_ratio: [{lo}, {hi}] with {errs} of {trials} errors")
                    elif not math.isnan(want) and not (lo <= want <= hi):
                        bad.append(f"{point} {g}: {rate}_ratio {want} outside [{lo}, {hi}]")
            else:
                same(f"{point} All reference", r["reference"].decode(), "")
                same(f"{point} All fnmr_ratio", r["fnmr_ratio"], math.nan)
            lo, hi = r["fnmr_boot_lo"], r["fnmr_boot_hi"]
            if not (lo <= r["fnmr"] <= hi):
                bad.append(f"{point} {g}: FNMR {r['fnmr']} outside its bootstrap bounds [{lo}, {hi}]")
        s = [x for x in summ if x["point"].decode() == point]
        same(f"{point} summary rows", len(s), 1)
        same(f"{point} summary threshold", s[0]["threshold"], t)
        same(f"{point} matrix point", mx["point"][k].decode(), point)
        same(f"{point} matrix threshold", mx["threshold"][k], t)
        same(f"{point} matrix F/F false matches", mx["n_false_match"][k, 0, 0]
             if mx["group"][0].decode() == "F" else mx["n_false_match"][k, 1, 1], fmr(imp["F"], t))
    by = {c["name"].decode(): c for c in crit}
    c = by["fnmr-at-fnmr-target"]
    same("rule point", c["point"].decode(), "target_fnmr")
    same("rule target_fnmr", c["target_fnmr"], 0.05)
    t = at_fnmr(gen["All"], 0.05)
    same("rule threshold", c["threshold"], t)
    same("rule value", c["value"], max(fnmr(gen[g], t) / len(gen[g]) for g in ("F", "M")))
    c = by["fmr-at-fixed"]
    same("fixed rule point", c["point"].decode(), "fixed_threshold")
    same("fixed rule threshold", c["threshold"], 0.4)
    same("fixed rule value", c["value"], max(fmr(imp[g], 0.4) / len(imp[g]) for g in ("F", "M")))
    same("fixed rule fails", c["pass"], 0)
    c = by["fmr-ratio-at-fixed"]
    rows = [x for x in groups if x["partition"].decode() == "sex" and x["point"].decode() == "fixed_threshold"]
    same("ratio rule value", c["value"], max(x["fmr_ratio_hi"] for x in rows))
    same("ratio rule interval", c["interval"].decode(), "bootstrap")
    c = by["equal-fnmr"]
    t = [x for x in f["/verification/tests"][:] if x["point"].decode() == "target_fnmr"
         and x["rate"].decode() == "fnmr"][0]
    same("test rule value", c["value"], t["p_boot"])
    same("test rule bound", c["bound"].decode(), "value")
    pw = [x for x in f["/verification/pairwise"][:] if x["point"].decode() == "target_fnmr"
          and x["rate"].decode() == "fnmr"]
    same("pairs", len(pw), 1)
    same("pair Fisher p = Holm's with one pair", pw[0]["p_fisher_holm"], pw[0]["p_fisher"])

    # The subject bootstrap, redone here with numpy's generator: subjects
    # drawn with replacement, a genuine pair weighted by its subject's
    # draws, an impostor pair by both. Ratios and tests pair the groups'
    # rates within each replicate; 4000 replicates here against the run's
    # 2000 agree to a few hundredths.
    subs = sorted(set(subject.values()))
    sx = {subject[i]: sex[i] for i in subject}
    at = {p: th[k]["threshold"] for k, (p, v) in enumerate(points)}
    S = len(subs); ix = {s: i for i, s in enumerate(subs)}
    cnt = {p: {"gen": np.zeros((S,)), "gerr": np.zeros((S,)), "imp": np.zeros((S, S)),
               "ierr": np.zeros((S, S))} for p in at}
    for r in csv.DictReader(open(scores_csv)):
        a, b = subject[r["reference_id"]], subject[r["probe_id"]]
        s = float(r["score"]) if r["score"] else -math.inf
        for p, t in at.items():
            c = cnt[p]
            if a == b:
                c["gen"][ix[a]] += 1; c["gerr"][ix[a]] += s < t
            elif sx[a] == sx[b]:
                c["imp"][ix[a], ix[b]] += 1; c["ierr"][ix[a], ix[b]] += s >= t
    isF = np.array([sx[s] == "F" for s in subs])
    rng = np.random.default_rng(7)
    W = [np.bincount(rng.integers(0, S, S), minlength=S).astype(float) for _ in range(4000)]
    def reps(p, rate, g):
        c, m = cnt[p], isF if g == "F" else ~isF
        out = []
        for w in W:
            if rate == "fnmr":
                out.append((w * c["gerr"] * m).sum() / (w * c["gen"] * m).sum())
            else:
                ww = np.outer(w * m, w * m)
                out.append((ww * c["ierr"]).sum() / (ww * c["imp"]).sum())
        return np.array(out)
    tests = f["/verification/tests"][:]
    for p in at:
        for rate in ("fnmr", "fmr"):
            xf, xm = reps(p, rate, "F"), reps(p, rate, "M")
            r = {g: [x for x in groups if x["group"].decode() == g and x["point"].decode() == p][0]
                 for g in ("F", "M")}
            # Ratio M / F (F is the reference): the percentile interval of paired replicates.
            if r["F"][rate] > 0 and r["M"][rate] > 0:
                # A replicate with no reference errors: +inf, or left out where M has none either.
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.sort(np.where(xf > 0, xm / xf, np.where(xm > 0, np.inf, np.nan)))
                ratio = ratio[~np.isnan(ratio)]
                def quantile(v, a):  # GSL's interpolation; an end among infinities is infinite
                    pos = a * (len(v) - 1); i = int(pos); dlt = pos - i
                    return v[i] if dlt == 0 or np.isinf(v[i + 1]) and np.isinf(v[i]) else \
                        (np.inf if np.isinf(v[i + 1]) else v[i] + dlt * (v[i + 1] - v[i]))
                q = (quantile(ratio, 0.025), quantile(ratio, 0.975))
                got = (r["M"][rate + "_ratio_lo"], r["M"][rate + "_ratio_hi"])
                if not np.allclose(got, q, rtol=0.05):
                    bad.append(f"{p} M {rate}_ratio bounds {got}, numpy's bootstrap {tuple(q)}")
            # The test of equal rates: its centred bootstrap p.
            t = [x for x in tests if x["point"].decode() == p and x["rate"].decode() == rate][0]
            d = r["F"][rate] - r["M"][rate]
            k = {g: r[g]["n_false_match" if rate == "fmr" else "n_false_nonmatch"] for g in "FM"}
            n = {g: r[g]["n_impostor" if rate == "fmr" else "n_genuine"] for g in "FM"}
            if any(k[g] in (0, n[g]) for g in "FM"):
                # A group with no errors (or only errors) has no spread to judge by.
                if d != 0 and not math.isnan(t["p_boot"]):
                    bad.append(f"{p} {rate}: a bootstrap p {t['p_boot']} with a group of no errors")
            elif d != 0:
                want = np.mean(np.abs(xf - xm - d) >= abs(d) * (1 - 1e-9))
                if abs(t["p_boot"] - want) > 0.03:
                    bad.append(f"{p} {rate}: bootstrap p {t['p_boot']}, numpy's {want}")
            e = np.array([r[g]["n_false_match" if rate == "fmr" else "n_false_nonmatch"] for g in "FM"], float)
            n = np.array([r[g]["n_impostor" if rate == "fmr" else "n_genuine"] for g in "FM"], float)
            pooled = e.sum() / n.sum()
            chi2 = (n * (e / n - pooled) ** 2).sum() / (pooled * (1 - pooled)) if 0 < pooled < 1 else 0
            if not math.isclose(t["chi2"], chi2, rel_tol=1e-9, abs_tol=1e-12):
                bad.append(f"{p} {rate}: chi2 {t['chi2']}, by hand {chi2}")
if bad:
    sys.exit("operating_points:\n  " + "\n  ".join(bad))
PY

# The reports name each point; the text report's rule line names its point.
"$shades" report out.h5 >report.txt
for want in "Target FMR 0.01" "Target FNMR 0.05" "Fixed threshold 0.4" "at threshold 0.4" \
            "Rates relative to the reference group" "sex (reference F)" \
            "Are the rates equal across groups?"; do
  grep -q "$want" report.txt || fail "the report lacks '$want'"
done
"$shades" report out.h5 --format csv >report.csv
head -1 report.csv | grep -q ",point,target_fnmr,group_fmr,reference,fnmr_ratio," ||
  fail "the CSV has no point or ratio columns"
"$shades" report out.h5 --format html >report.html
grep -q "FNMR 0.05" report.html || fail "the HTML report does not name the FNMR target"

# A criterion at a point the run does not have is refused by its field.
sed 's/target_fnmr: 0.05,/target_fnmr: 0.07,/' run.yaml >bad.yaml
set +e
"$shades" run bad.yaml >/dev/null 2>bad.err
rc=$?
set -e
[ "$rc" = 2 ] || fail "a rule at an unknown FNMR target exited $rc"
grep -q "bad.yaml:[0-9]*: field 'criteria entry 1.target_fnmr': 0.07 is not one of verification.target_fnmr" bad.err ||
  fail "unexpected message: $(cat bad.err)"

# Schema 1.9 had no point columns: such a file reads as target FMRs.
cat >old.yaml <<'YAML'
run: {name: operating-points, bootstrap: 0}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, scores: {file: scores.csv}}
groups: {partitions: [sex]}
verification: {target_fmr: [1e-1, 1e-2]}
output: {results: old.h5}
YAML
"$shades" run old.yaml >/dev/null 2>&1 || fail "the FMR-only run failed"
"$shades" report old.h5 >new.txt
"$python" - old.h5 <<'PY'
import sys, h5py, numpy as np
from numpy.lib import recfunctions as rf
with h5py.File(sys.argv[1], "r+") as f:
    for path, drop in (("/verification/thresholds", ["point", "target_fnmr"]),
                       ("/verification/groups", ["point", "target_fnmr", "group_fmr", "reference"]
                        + [r + s for r in ("fnmr_ratio", "fmr_ratio") for s in ("", "_lo", "_hi")]),
                       ("/verification/summaries", ["point", "target_fnmr"]),
                       ("/criteria", ["point", "target_fnmr", "threshold"])):
        rows = rf.drop_fields(f[path][:], drop, usemask=False)
        del f[path]
        f.create_dataset(path, data=rows)
    for name in ("point", "target_fnmr"):
        del f["/verification/fmr_matrix/sex"][name]
    f.attrs.modify("schema_version", "1.9")
PY
"$shades" report old.h5 >old.txt || fail "a schema 1.9 file does not read"
# The same report, but for 1.10's column of each group's FMR at its own threshold.
same_report() { awk '/at its own threshold/ { own = 1 } own && /^$/ { own = 0 }
  !own && !/schema|^Provenance of/' "$1"; }
diff <(same_report new.txt) <(same_report old.txt) >&2 || fail "a schema 1.9 file reports differently"
grep -A12 "at its own threshold" old.txt | grep -q "FMR 0.01 .* n/a " ||
  fail "a schema 1.9 file's FMR at each group's own threshold is not n/a"
# With 12 subjects a group, no group's rates or ratios get bootstrap bounds,
# and a ratio rule says why.
awk -F, 'NR == 1 || substr($2, 2) + 0 < 24' manifest.csv >small.csv
awk -F, 'NR == 1 { print; next } { split($1, a, "_"); split($2, b, "_")
  if (substr(a[1], 4) + 0 < 24 && substr(b[1], 4) + 0 < 24) print }' scores.csv >small-scores.csv
cat >small.yaml <<'YAML'
run: {name: operating-points-small, bootstrap: 200, seed: 5}
dataset: {manifest: small.csv}
engine: {adapter: replay, scores: {file: small-scores.csv}}
groups: {partitions: [sex], reference: [{partition: sex, group: F}]}
verification: {target_fmr: [1e-1]}
output: {results: small.h5}
criteria:
  - {name: ratio, measure: fmr_ratio, partition: sex, group: M, target_fmr: 1e-1, at_most: 5}
YAML
"$shades" run small.yaml >/dev/null 2>small.err && fail "a ratio rule without bounds passed"
"$python" - small.h5 <<'PY' || fail "small groups got bootstrap bounds"
import math, sys, h5py
f = h5py.File(sys.argv[1], "r")
for r in f["/verification/groups"][:]:
    if r["partition"].decode() == "sex":
        assert r["n_subjects"] == 12, r["n_subjects"]
        for c in ("fnmr_boot_lo", "fmr_boot_hi", "fmr_ratio_lo", "fnmr_ratio_hi"):
            assert math.isnan(r[c]), (r["group"], c, r[c])
v = f["/criteria"][0]
assert v["reason"].decode() == ("fmr_ratio of group 'M' has no bootstrap interval: it or the "
                                "reference group has under 25 subjects"), v["reason"]
PY
echo "operating_points: target FMR, target FNMR and fixed threshold match brute force; old files read"
