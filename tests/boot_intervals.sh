#!/usr/bin/env bash
# boot_intervals.sh SHADES PYTHON: the subject bootstrap's new intervals
# (schema 1.12) are what numpy's own subject bootstrap gives with the same
# replicate weights (bootstrap.c's generator, redone bit for bit): each cell
# of the cross-group FMR matrix, over every pair (closed-form denominators)
# and over a list of pairs (recorded ones), the diagonal being the groups'
# own bounds, no bounds where either group has under 25 subjects, and
# Clopper-Pearson's at no false matches; each group's own threshold at a
# target FMR and a target FNMR, and its FNMR and FMR there, each replicate
# recomputing the threshold from its weighted pairs; and each group's EER,
# each replicate's the least max(FMR, FNMR) of its weighted pairs over every
# threshold.
set -euo pipefail
shades=$1 python=$2
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "boot_intervals: $*" >&2; exit 1; }

# 70 subjects x 3 images: sites A of 30 subjects and B of 35 (five have an
# image in each), C of 10 (too few for bounds). Impostor scores share their subjects' effects, so a
# subject's false matches come together; two pairs fail.
awk 'BEGIN { print "image_id,subject_id,path,site"
  for (s = 0; s < 70; s++) for (k = 0; k < 3; k++)
    printf "img%d_%d,s%d,x/%d_%d.png,%s\n", s, k, s, s, k,
      (s < 5 && k == 2 ? "B" : s < 30 ? "A" : s < 60 ? "B" : "C") }' \
  >manifest.csv
awk 'BEGIN { srand(17); print "reference_id,probe_id,score"
  n = 0; for (s = 0; s < 70; s++) { c[s] = rand(); for (k = 0; k < 3; k++) { id[n] = "img" s "_" k; sub_[n++] = s } }
  for (a = 0; a < n; a++) for (b = a + 1; b < n; b++) {
    x = sub_[a]; y = sub_[b]
    sc = x == y ? 0.3 + 0.3 * c[x] + 0.2 * rand() : 0.3 * rand() + 0.12 * (c[x] + c[y])
    s = sprintf("%.6f", sc)
    if ((a == 3 && b == 4) || (a == 10 && b == 11)) s = ""
    printf "%s,%s,%s\n", id[a], id[b], s } }' >scores.csv
# A list: every genuine pair and two in three impostor pairs.
awk -F, 'NR == 1 { print; next } { split($1, p, "_"); split($2, q, "_")
  if (p[1] == q[1] || NR % 3) print }' scores.csv >listed.csv
cut -d, -f1,2 listed.csv >pairs.csv
for kind in all listed; do
  if [ $kind = all ]; then file=scores.csv; pairs=""; else file=listed.csv
    pairs="pairs: {file: pairs.csv}"; fi
  cat >$kind.yaml <<YAML
run: {name: boot-$kind, bootstrap: 400, seed: 5}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, scores: {file: $file}}
groups: {partitions: [site]}
verification:
  $pairs
  target_fmr: [1e-2, 1e-3]
  target_fnmr: [0.05]
  fixed_threshold: [0.36]
output: {results: $kind.h5}
criteria:
  - {name: own-fnmr-a, measure: group_fnmr, partition: site, group: A, target_fmr: 1e-2,
     at_most: 0.5}
  - {name: eer-a, measure: eer, partition: site, group: A, at_most: 0.2}
  - {name: eer-site, measure: eer, partition: site, at_most: 0.2}
  - {name: cross-a, measure: cross_fmr, partition: site, group: A, target_fmr: 1e-2,
     at_most: 0.5}
  - {name: cross-a-value, measure: cross_fmr, partition: site, group: A, target_fmr: 1e-2,
     bound: value, at_most: 0.5}
  - {name: cross-site-low, measure: cross_fmr, partition: site, target_fmr: 1e-2,
     bound: lower, at_least: 0}
YAML
  # Exit 1: eer-site fails, as it must (below).
  status=0; "$shades" run $kind.yaml >$kind.out 2>$kind.err || status=$?
  [ $status = 1 ] || { cat $kind.err >&2; fail "$kind: run exited $status, not 1"; }
done

"$python" - manifest.csv <<'PY'
import csv, math, sys
import h5py, numpy as np
R, SEED, CONF = 400, 5, 0.95

def weights(n, seed, rep):
    """bootstrap.c's sh_boot_weights: GSL's mt19937 and uniform_int."""
    m = (1 << 64) - 1
    key = ((seed * 0x9E3779B97F4A7C15) & m) ^ (((rep + 1) * 0xBF58476D1CE4E5B9) & m)
    s = ((key >> 32) ^ (key & 0xffffffff)) & 0xffffffff
    rs = np.random.RandomState(s or 4357)
    scale, w, c = 0xffffffff // n, np.zeros(n, int), 0
    while c < n:
        for r in rs.randint(0, 2**32, size=n - c, dtype=np.uint32):
            k = int(r) // scale
            if k < n:
                w[k] += 1
                c += 1
    return w

subj, site, order = {}, {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    order.setdefault(r["subject_id"], len(order))
    subj[r["image_id"]] = order[r["subject_id"]]
    site[r["image_id"]] = r["site"]
S = len(order)
W = np.array([weights(S, SEED, r) for r in range(R)])  # R x S
names = ["A", "B", "C"]
nsub = {g: len({subj[i] for i in subj if site[i] == g}) for g in names}
bad = []
def close(what, got, want, rel=1e-9):
    got, want = np.asarray(got, float), np.asarray(want, float)
    if not np.allclose(got, want, rtol=rel, atol=1e-15, equal_nan=True):
        bad.append(f"{what}: {got}, numpy {want}")

def cp(k, n, conf=CONF):  # Clopper-Pearson at k = 0 (two-sided)
    return (0.0, 1 - ((1 - conf) / 2) ** (1 / n)) if k == 0 else None

for kind, scores in (("all", "scores.csv"), ("listed", "listed.csv")):
    a, b, ga, gb, sc = [], [], [], [], []
    for r in csv.DictReader(open(scores)):
        x, y = r["reference_id"], r["probe_id"]
        if subj[x] == subj[y]:
            continue
        a.append(subj[x]); b.append(subj[y])
        ga.append(names.index(site[x])); gb.append(names.index(site[y]))
        sc.append(float(r["score"]) if r["score"] else -math.inf)
    a, b, ga, gb, sc = map(np.array, (a, b, ga, gb, sc))
    lo_g, hi_g = np.minimum(ga, gb), np.maximum(ga, gb)
    pw = W[:, a] * W[:, b]  # R x pairs: each pair's weight in each replicate
    with h5py.File(f"{kind}.h5", "r") as f:
        if f.attrs["schema_version"] not in ("1.15", b"1.15"):
            bad.append(f"{kind}: schema {f.attrs['schema_version']}")
        mx = f["/verification/fmr_matrix/site"]
        grp = [str(x) for x in mx["group"].asstr()[()]]
        rows = f["/verification/groups"][:]
        th = mx["threshold"][()]
        blo, bhi, nfm, nimp = (mx[k][()] for k in ("fmr_boot_lo", "fmr_boot_hi",
                                                   "n_false_match", "n_impostor"))
        for t, thr in enumerate(th):
            for i in range(3):
                for j in range(3):
                    gi, gj = names.index(grp[i]), names.index(grp[j])
                    cell = (lo_g == min(gi, gj)) & (hi_g == max(gi, gj))
                    what = f"{kind} t{t} {grp[i]}x{grp[j]}"
                    close(what + " n_impostor", nimp[i, j], cell.sum())
                    k = (sc[cell] >= thr).sum()
                    close(what + " n_false_match", nfm[t, i, j], k)
                    got = (blo[t, i, j], bhi[t, i, j])
                    if i == j:  # the diagonal: the group's own bounds, exactly
                        r = [x for x in rows if x["partition"] == b"site"
                             and x["group"].decode() == grp[i] and x["threshold"] == thr][0]
                        if got != (r["fmr_boot_lo"], r["fmr_boot_hi"]) and not all(
                                math.isnan(x) for x in got + (r["fmr_boot_lo"],)):
                            bad.append(f"{what}: diagonal {got}, group row "
                                       f"{(r['fmr_boot_lo'], r['fmr_boot_hi'])}")
                    if min(nsub[grp[i]], nsub[grp[j]]) < 25:
                        close(what + " (too few subjects)", got, (math.nan, math.nan))
                        continue
                    if k == 0:
                        close(what + " (Clopper-Pearson)", got, cp(0, cell.sum()))
                        continue
                    n_w = pw[:, cell].sum(1)
                    k_w = (pw[:, cell] * (sc[cell] >= thr)).sum(1)
                    reps = k_w[n_w > 0] / n_w[n_w > 0]
                    close(what, got, np.quantile(reps, [(1 - CONF) / 2, 1 - (1 - CONF) / 2]))
            checked = np.isfinite(blo[t]) & (np.arange(3)[:, None] != np.arange(3)[None, :])
            if t < 2 and kind == "all" and not checked.any():
                bad.append(f"{kind} t{t}: no cell across groups has bounds")
def own(gsub, gsc, ia, ib, isc, kind, target, w):
    """A replicate's own threshold and its FNMR and FMR (NaN: none)."""
    gw, iw = w[gsub].astype(float), (w[ia] * w[ib]).astype(float)
    ng, ni = gw.sum(), iw.sum()
    n = ni if kind == "target_fmr" else ng
    if not n > 0 or n * target < 1:
        return (math.nan,) * 3
    k = math.floor(target * n)
    while k < n and (k + 1) / n <= target:
        k += 1
    while k > 0 and k / n > target:
        k -= 1
    if kind == "target_fmr":
        o = np.argsort(-isc, kind="stable")
        cum = np.cumsum(iw[o])
        hit = np.nonzero(cum > k)[0]
        if k >= n or not len(hit):
            return (math.nan,) * 3
        t = np.nextafter(isc[o][hit[0]], np.inf)
    else:
        o = np.argsort(gsc, kind="stable")
        cum = np.cumsum(gw[o])
        hit = np.nonzero(cum > k)[0]
        if k >= n or not len(hit) or gsc[o][hit[0]] == -math.inf:
            return (math.nan,) * 3
        t = gsc[o][hit[0]]
    return t, gw[gsc < t].sum() / ng, iw[isc >= t].sum() / ni

def pairs_by_group(scores):
    """Each group's (and All's) genuine and same-group impostor pairs:
    (subject a, subject b, score)."""
    gen, imp = {g: [] for g in names + ["All"]}, {g: [] for g in names + ["All"]}
    for r in csv.DictReader(open(scores)):
        x, y = r["reference_id"], r["probe_id"]
        s = float(r["score"]) if r["score"] else -math.inf
        for g in ("All", site[x]) if site[x] == site[y] else ("All",):
            (gen if subj[x] == subj[y] else imp)[g].append((subj[x], subj[y], s))
    return gen, imp

def own_checks(kind_run, gen, imp):
    with h5py.File(f"{kind_run}.h5", "r") as f:
        rows = f["/verification/groups"][:]
    seen = 0
    for r in rows:
        g, kind = r["group"].decode(), r["point"].decode()
        if kind == "fixed_threshold":
            continue
        target = r["target_fmr"] if kind == "target_fmr" else r["target_fnmr"]
        G, I = np.array(gen[g]), np.array(imp[g])
        gsub, gsc = G[:, 0].astype(int), G[:, 2]
        ia, ib, isc = I[:, 0].astype(int), I[:, 1].astype(int), I[:, 2]
        what = f"{kind_run} {g} {kind} {target}"
        obs = own(gsub, gsc, ia, ib, isc, kind, target, np.ones(S, int))
        close(what + " observed own threshold", r["group_threshold"], obs[0], rel=0)
        close(what + " observed FNMR, FMR", (r["group_fnmr"], r["group_fmr"]), obs[1:])
        got = [r[c] for c in ("group_threshold_lo", "group_threshold_hi", "group_fnmr_lo",
                              "group_fnmr_hi", "group_fmr_lo", "group_fmr_hi")]
        if r["group_boot_note"]:
            bad.append(f"{what}: {r['group_boot_note']}")
            continue
        if r["n_subjects"] < 25 or math.isnan(obs[0]):
            close(what + " (no bounds)", got, [math.nan] * 6)
            continue
        reps = np.array([own(gsub, gsc, ia, ib, isc, kind, target, W[b]) for b in range(R)])
        want = []
        for c, n in ((0, 0), (1, len(gsc)), (2, len(isc))):
            v = reps[:, c][~np.isnan(reps[:, c])]
            q = list(np.quantile(v, [(1 - CONF) / 2, 1 - (1 - CONF) / 2]))
            if c and round(obs[c] * n) in (0, n):  # widened to Clopper-Pearson's
                lo, hi = cp(0, n) if round(obs[c] * n) == 0 else (None, None)
                q = [min(q[0], lo), max(q[1], hi)]
            want += q
        close(what + " bounds", got, want)
        seen += 1
    if seen < 6:
        bad.append(f"{kind_run}: only {seen} own-threshold rows checked")

def eer_w(gsc, gw, isc, iw):
    """The weighted EER: the least max(FMR(t), FNMR(t)) over every score and
    the next double above the largest."""
    ng, ni = gw.sum(), iw.sum()
    if not (ng > 0 and ni > 0):
        return math.nan
    ts = np.unique(np.concatenate([gsc, isc]))
    cand = ts if ts[-1] == math.inf else np.append(ts, np.nextafter(ts[-1], math.inf))
    go, io = np.argsort(gsc, kind="stable"), np.argsort(isc, kind="stable")
    gcum = np.concatenate([[0], np.cumsum(gw[go])])
    icum = np.concatenate([[0], np.cumsum(iw[io])])
    fnmr = gcum[np.searchsorted(gsc[go], cand, side="left")] / ng
    fmr = (ni - icum[np.searchsorted(isc[io], cand, side="left")]) / ni
    return float(np.min(np.maximum(fmr, fnmr)))

def eer_checks(kind_run, gen, imp):
    with h5py.File(f"{kind_run}.h5", "r") as f:
        rows = f["/verification/eer"][:]
    bounded = 0
    for r in rows:
        g = r["group"].decode()
        G, I = np.array(gen[g]), np.array(imp[g])
        gsub, gsc = G[:, 0].astype(int), G[:, 2]
        ia, ib, isc = I[:, 0].astype(int), I[:, 1].astype(int), I[:, 2]
        what = f"{kind_run} EER {g}"
        one = np.ones(len(gsc)), np.ones(len(isc))
        close(what + " observed", r["eer"], eer_w(gsc, one[0], isc, one[1]))
        got = (r["eer_boot_lo"], r["eer_boot_hi"])
        n_sub = len(set(gsub) | set(ia) | set(ib))
        if n_sub < 25:
            close(what + " (too few subjects)", got, (math.nan, math.nan))
            if r["eer_boot_note"] != b"fewer than 25 subjects":
                bad.append(f"{what}: note {r['eer_boot_note']}")
            continue
        if r["eer_boot_note"]:
            bad.append(f"{what}: {r['eer_boot_note']}")
            continue
        reps = np.array([eer_w(gsc, W[b][gsub].astype(float), isc,
                               (W[b][ia] * W[b][ib]).astype(float)) for b in range(R)])
        reps = reps[~np.isnan(reps)]
        want = list(np.quantile(reps, [(1 - CONF) / 2, 1 - (1 - CONF) / 2]))
        if r["eer"] == 0:  # replicates cannot vary: up to Clopper-Pearson's at 0
            want = [0.0, max(want[1], cp(0, min(r["n_genuine"], r["n_impostor"]))[1])]
        close(what + " bounds", got, want)
        bounded += 1
    if bounded < 3:
        bad.append(f"{kind_run}: only {bounded} EER rows with bounds checked")

for kind_run, scores in (("all", "scores.csv"), ("listed", "listed.csv")):
    gen, imp = pairs_by_group(scores)
    own_checks(kind_run, gen, imp)
    eer_checks(kind_run, gen, imp)
    with h5py.File(f"{kind_run}.h5", "r") as f:
        v = f["/criteria"][0]
        a = [r for r in f["/verification/groups"][:] if r["group"] == b"A"
             and r["point"] == b"target_fmr" and r["target_fmr"] == 1e-2][0]
    close(f"{kind_run} own-fnmr-a verdict", v["value"], a["group_fnmr_hi"], rel=0)
    if not v["pass"]:
        bad.append(f"{kind_run}: own-fnmr-a fails: {v['reason']}")
    with h5py.File(f"{kind_run}.h5", "r") as f:
        e, es = f["/criteria"][1], f["/criteria"][2]
        ea = [r for r in f["/verification/eer"][:] if r["group"] == b"A"][0]
    # eer-a is judged at A's upper bootstrap bound; eer-site fails on C,
    # whose 10 subjects give no bounds, and says so.
    close(f"{kind_run} eer-a verdict", e["value"], ea["eer_boot_hi"], rel=0)
    if not e["pass"] or e["bound"] != b"upper":
        bad.append(f"{kind_run}: eer-a: pass {e['pass']} bound {e['bound']}: {e['reason']}")
    if es["pass"] or b"'C' has no bootstrap interval: fewer than 25" not in es["reason"]:
        bad.append(f"{kind_run}: eer-site: pass {es['pass']}: {es['reason']}")
    # cross-a: A's cells across groups at its upper bounds, where A x C has
    # none (C has 10 subjects): fails, naming that cell; at its value it
    # passes with the larger of A x B and A x C; cross-site-low fails too.
    with h5py.File(f"{kind_run}.h5", "r") as f:
        cr = {c["name"].decode(): c for c in f["/criteria"][:]}
        mx = f["/verification/fmr_matrix/site"]
        grp = [str(x) for x in mx["group"].asstr()[()]]
        fm = mx["fmr"][()][0]
    a, b, c = grp.index("A"), grp.index("B"), grp.index("C")
    x = cr["cross-a"]
    if x["pass"] or x["group"] != b"A x C" or b"no bootstrap interval" not in x["reason"]:
        bad.append(f"{kind_run}: cross-a: {x['pass']} {x['group']} {x['reason']}")
    x = cr["cross-a-value"]
    close(f"{kind_run} cross-a-value", x["value"], max(fm[a, b], fm[a, c]), rel=0)
    if not x["pass"]:
        bad.append(f"{kind_run}: cross-a-value fails: {x['reason']}")
    if cr["cross-site-low"]["pass"]:
        bad.append(f"{kind_run}: cross-site-low passes over cells without bounds")

if bad:
    print("\n".join(bad[:30]), file=sys.stderr)
    sys.exit(1)
print("boot_intervals: ok")
PY
