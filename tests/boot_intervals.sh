#!/usr/bin/env bash
# boot_intervals.sh SHADES PYTHON: the subject bootstrap's new intervals
# (schema 1.12) are what numpy's own subject bootstrap gives with the same
# replicate weights (bootstrap.c's generator, redone bit for bit): each cell
# of the cross-group FMR matrix, over every pair (closed-form denominators)
# and over a list of pairs (recorded ones), the diagonal being the groups'
# own bounds, no bounds where either group has under 25 subjects, and
# Clopper-Pearson's at no false matches.
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
    sc = x == y ? 0.5 + 0.3 * c[x] + 0.2 * rand() : 0.25 * rand() + 0.1 * (c[x] + c[y])
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
  fixed_threshold: [0.36]
output: {results: $kind.h5}
YAML
  "$shades" run $kind.yaml >$kind.out 2>$kind.err || { cat $kind.err >&2; fail "$kind: run failed"; }
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
        if f.attrs["schema_version"] not in ("1.12", b"1.12"):
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
if bad:
    print("\n".join(bad[:30]), file=sys.stderr)
    sys.exit(1)
print("boot_intervals: ok")
PY
