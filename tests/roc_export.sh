#!/usr/bin/env bash
# roc_export.sh SHADES PYTHON [KEEP_DIR]: output.export: [roc] writes
# /verification/roc, whose every row's counts are those a brute-force pass
# over every pair gives; at every distinct score on a small run, and, with
# the cap at 0, the bounded form (every score of a kept bin, edges around
# the others); the file's thresholds, EER and DET come back from the rows;
# every other table is the same bits as without the export; 1 and 2 threads
# write the same rows; the reports say it is there. KEEP_DIR receives the
# file for the schema test.
set -euo pipefail
shades=$1 python=$2 keep=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/h5_strip.sh"
work=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf \"$work\"" EXIT
cd "$work"
fail() { echo "roc_export: $*" >&2; exit 1; }

# 80 subjects x 4 images, two sexes; scores to four places (ties, and
# several distinct scores a bin), some negative, three pairs failed.
awk 'BEGIN { print "image_id,subject_id,path,sex"
  for (s = 0; s < 80; s++) for (k = 0; k < 4; k++)
    printf "img%d_%d,s%d,x/%d_%d.png,%s\n", s, k, s, s, k, (s % 2 ? "F" : "M") }' >manifest.csv
awk 'BEGIN { srand(29); print "reference_id,probe_id,score"
  n = 0; for (s = 0; s < 80; s++) for (k = 0; k < 4; k++) { id[n] = "img" s "_" k; sub_[n++] = s }
  for (a = 0; a < n; a++) for (b = a + 1; b < n; b++) {
    f = sub_[a] % 2
    sc = sub_[a] == sub_[b] ? 0.35 + 0.15 * f + 0.5 * rand() : 0.6 * rand() - 0.1 + 0.08 * f
    s = sprintf("%.4f", sc)
    if ((a == 3 && b == 4) || (a == 10 && b == 11) || (a == 20 && b == 300)) s = ""
    printf "%s,%s,%s\n", id[a], id[b], s } }' >scores.csv
cat >run.yaml <<'YAML'
run: {name: roc-export, bootstrap: 0}
dataset: {manifest: manifest.csv}
engine: {adapter: replay, scores: {file: scores.csv}}
groups: {partitions: [sex]}
verification:
  target_fmr: [1e-2, 1e-3]
  target_fnmr: [0.05]
  fixed_threshold: [0.4]
output: {results: out.h5, export: [roc]}
YAML
run() { # run CONFIG THREADS [ENV...]: exit 0 expected
  local cfg=$1 th=$2
  shift 2
  env "$@" "$shades" run "$cfg" --threads "$th" >"$cfg.out" 2>"$cfg.err" ||
    { cat "$cfg.err" >&2; fail "$cfg on $th threads failed"; }
}
run run.yaml 2
sed 's/out.h5/one.h5/' run.yaml >one.yaml && run one.yaml 1
sed 's/out.h5/listed.h5/' run.yaml >listed.yaml && run listed.yaml 2 SHADES_REPLAY_LISTED=1
sed 's/out.h5/bounded.h5/' run.yaml >bounded.yaml && run bounded.yaml 2 SHADES_ROC_EVERY_SCORE_CAP=0
sed 's/out.h5/bounded1.h5/' run.yaml >bounded1.yaml &&
  run bounded1.yaml 1 SHADES_ROC_EVERY_SCORE_CAP=0
sed -e 's/out.h5/plain.h5/' -e 's/, export: \[roc\]//' run.yaml >plain.yaml && run plain.yaml 2

"$python" - scores.csv manifest.csv out.h5 bounded.h5 one.h5 listed.h5 bounded1.h5 <<'PY'
import csv, math, struct, sys
import h5py, numpy as np
scores_csv, manifest_csv, out, bounded, one, listed, bounded1 = sys.argv[1:]
sex, subject = {}, {}
for r in csv.DictReader(open(manifest_csv)):
    sex[r["image_id"]] = r["sex"]; subject[r["image_id"]] = r["subject_id"]
gen = {("all", "All"): [], ("sex", "F"): [], ("sex", "M"): []}
imp = {k: [] for k in gen}
for r in csv.DictReader(open(scores_csv)):
    a, b = r["reference_id"], r["probe_id"]
    s = float(r["score"]) if r["score"] else -math.inf
    d = gen if subject[a] == subject[b] else imp
    d[("all", "All")].append(s)
    if sex[a] == sex[b]:
        d[("sex", sex[a])].append(s)
gen = {k: np.sort(np.array(v)) for k, v in gen.items()}
imp = {k: np.sort(np.array(v)) for k, v in imp.items()}
def key_bin(x):
    # results/score_hist.h: the top 20 bits of the order-preserving key.
    x = 0.0 if x == 0 else x
    u = struct.unpack("<Q", struct.pack("<d", x))[0]
    k = (~u & (2**64 - 1)) if u >> 63 else u | (1 << 63)
    return k >> 44
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)
def lt(a, t): return int(np.searchsorted(a, t, "left"))
def ge(a, t): return len(a) - int(np.searchsorted(a, t, "left"))
def groups_of(f):
    rows = f["/verification/roc"][:]
    by = {}
    for x in rows:
        by.setdefault((x["partition"].decode(), x["group"].decode()), []).append(x)
    return rows, by

def roc_checks(path, every):
    f = h5py.File(path, "r")
    rows, by = groups_of(f)
    order = [(x["partition"].decode(), x["group"].decode()) for x in f["/verification/eer"][:]]
    seen = []
    for x in rows:
        k = (x["partition"].decode(), x["group"].decode())
        if not seen or seen[-1] != k:
            seen.append(k)
    check(seen == order, f"{path}: groups {seen}, want the EER's {order}")
    for k, rs in by.items():
        G, I = gen[k], imp[k]
        allsc = np.sort(np.concatenate([G, I]))
        th = np.array([x["threshold"] for x in rs])
        check(np.all(np.diff(th) > 0), f"{path} {k}: thresholds not strictly ascending")
        for n, x in enumerate(rs):
            t = x["threshold"]
            want = (len(G), lt(G, t), len(I), ge(I, t))
            got = (x["n_genuine"], x["n_false_nonmatch"], x["n_impostor"], x["n_false_match"])
            check(got == want, f"{path} {k} at {t!r}: counts {got}, brute force {want}")
            check(x["fnmr"] == want[1] / want[0] and x["fmr"] == want[3] / want[2],
                  f"{path} {k} at {t!r}: rates are not the counts' quotients")
            prev = th[n - 1] if n else -math.inf
            # Scores strictly between the previous row and this one.
            inside = lt(allsc, t) - (int(np.searchsorted(allsc, prev, "right")) if n else 0)
            # 1 promises that none does; 0 that a bin the run did not keep
            # lies between, whose scores may all sit on its lower edge.
            check(inside == 0 if x["exact_since_previous"] else not every,
                  f"{path} {k} at {t!r}: exact_since_previous {x['exact_since_previous']}, "
                  f"{inside} scores since the previous row")
        distinct = np.unique(allsc)
        present, dset = set(th.tolist()), set(distinct.tolist())
        if every:
            want = set(distinct.tolist()) | {np.nextafter(distinct[-1], np.inf)}
            check(present == want, f"{path} {k}: rows are not every distinct score "
                  f"({len(present)} rows, {len(want)} wanted)")
        else:
            # A bin with impostors and a row at a score other than its lower
            # edge was kept: every distinct score in it has a row.
            ibins = {key_bin(s) for s in I}
            kept = {key_bin(t) for t in th if t in dset and key_bin(t) in ibins and
                    key_bin(np.nextafter(t, -np.inf)) == key_bin(t)}
            for b in kept:
                missing = [s for s in distinct if key_bin(s) == b and s not in present]
                check(not missing, f"{path} {k}: bin {b} kept, but {missing[:3]} have no row")
            # A genuine score is a row wherever no same-group impostor shares its bin.
            for s in np.unique(G):
                if key_bin(s) not in ibins:
                    check(s in present, f"{path} {k}: genuine {s!r} alone in its bin has no row")
    return f, by

ths = {}
def at(rs, t):
    # The counts at any threshold t: those of the first row at or above t,
    # when no score lies between it and the row before.
    if id(rs) not in ths:
        ths[id(rs)] = np.array([x["threshold"] for x in rs])
    th = ths[id(rs)]
    i = int(np.searchsorted(th, t, "left"))
    if i == len(rs) or not (th[i] == t or rs[i]["exact_since_previous"]):
        return None
    return rs[i]

def recompute(f, by, path):
    allk = ("all", "All")
    for x in f["/verification/thresholds"][:]:
        rs, t, p = by[allk], x["threshold"], x["point"].decode()
        r = at(rs, t)
        check(r is not None and (r["n_false_match"], r["n_false_nonmatch"]) ==
              (x["n_false_match"], x["n_false_nonmatch"]), f"{path}: {p} at {t!r} not on the ROC")
        th = [y["threshold"] for y in rs]
        if p == "target_fmr":
            a = x["target_fmr"]
            i = next(i for i, y in enumerate(rs) if y["n_false_match"] / y["n_impostor"] <= a)
            check(i > 0 and np.nextafter(th[i - 1], np.inf) == t,
                  f"{path}: FMR {a}: threshold {t!r}, ROC gives {th[i - 1]!r}+")
        elif p == "target_fnmr":
            b = x["target_fnmr"]
            i = max(i for i, y in enumerate(rs) if y["n_false_nonmatch"] / y["n_genuine"] <= b)
            check(th[i] == t, f"{path}: FNMR {b}: threshold {t!r}, ROC gives {th[i]!r}")
    for x in f["/verification/groups"][:]:
        k = (x["partition"].decode(), x["group"].decode())
        r = at(by[k], x["threshold"])
        check(r is not None and (r["n_false_match"], r["n_false_nonmatch"]) ==
              (x["n_false_match"], x["n_false_nonmatch"]),
              f"{path} {k}: group row at {x['threshold']!r} not on the ROC")
        if x["group_estimable"] and x["point"].decode() == "target_fmr":
            rs = by[k]
            a = x["target_fmr"]
            i = next(i for i, y in enumerate(rs) if y["n_false_match"] / y["n_impostor"] <= a)
            check(i > 0 and np.nextafter(rs[i - 1]["threshold"], np.inf) == x["group_threshold"],
                  f"{path} {k}: own threshold {x['group_threshold']!r} for FMR {x['target_fmr']}")
        if x["group_estimable"]:
            r = at(by[k], x["group_threshold"])
            check(r is not None and (r["fmr"], r["fnmr"]) == (x["group_fmr"], x["group_fnmr"]),
                  f"{path} {k}: own threshold {x['group_threshold']!r} not on the ROC")
    for x in f["/verification/eer"][:]:
        k = (x["partition"].decode(), x["group"].decode())
        worst = [max(y["fmr"], y["fnmr"]) for y in by[k]]
        i = int(np.argmin(worst))
        check(worst[i] == x["eer"] and by[k][i]["threshold"] == x["eer_threshold"],
              f"{path} {k}: EER {x['eer']!r} at {x['eer_threshold']!r}; ROC {worst[i]!r} at "
              f"{by[k][i]['threshold']!r}")
    for x in f["/verification/det"][:]:
        k = (x["partition"].decode(), x["group"].decode())
        r = at(by[k], x["threshold"])
        check(r is not None and (r["fmr"], r["fnmr"]) == (x["fmr"], x["fnmr"]),
              f"{path} {k}: DET point at {x['threshold']!r} not on the ROC")

f, by = roc_checks(out, True)
recompute(f, by, out)
fb, byb = roc_checks(bounded, False)
recompute(fb, byb, bounded)
check(len(fb["/verification/roc"]) < len(f["/verification/roc"]),
      "the bounded form is not smaller than every score's")
check(any(not x["exact_since_previous"] for x in fb["/verification/roc"][:]),
      "the bounded form brackets no bin")
for a, b in ((out, one), (out, listed), (bounded, bounded1)):
    x = h5py.File(a, "r")["/verification/roc"][:]
    y = h5py.File(b, "r")["/verification/roc"][:]
    check(x.tobytes() == y.tobytes(), f"{b}: /verification/roc differs from {a}'s")
if bad:
    print("\n".join(bad[:40]))
    sys.exit(1)
print(f"roc_export: brute force agrees ({len(f['/verification/roc'])} rows at every score, "
      f"{len(fb['/verification/roc'])} bounded)")
PY

# Every other object the same bits with the export as without it, and on
# 1 thread as on 2 (the config text differs in output.export alone).
for x in out one bounded bounded1; do
  cp $x.h5 $x-noroc.h5
  "$python" -c "import sys, h5py; del h5py.File(sys.argv[1], 'r+')['/verification/roc']" $x-noroc.h5
  h5_strip $x-noroc.h5 config | tail -n +2 >$x.dump
done
h5_strip plain.h5 config | tail -n +2 >plain.dump
for x in out one bounded bounded1; do
  diff -q plain.dump $x.dump >/dev/null ||
    { diff plain.dump $x.dump | head >&2; fail "$x.h5 differs from the run without the export"; }
done
h5dump -d /verification/roc out.h5 >/dev/null || fail "h5dump cannot read /verification/roc"

n=$("$python" -c "import sys, h5py; print(len(h5py.File(sys.argv[1])['/verification/roc']))" out.h5)
line="ROC exported: $n points in /verification/roc."
"$shades" report out.h5 >report.txt
grep -q "$line" report.txt || fail "the text report does not say '$line'"
"$shades" report out.h5 -o report.md
grep -q "$line" report.md || fail "the Markdown report does not say '$line'"
"$shades" report out.h5 -o report.html
grep -q "$line" report.html || fail "the HTML report does not say '$line'"
"$shades" report plain.h5 >plain.txt
! grep -q "ROC exported" plain.txt || fail "a file without the export reports one"
[ -z "$keep" ] || { mkdir -p "$keep" && cp out.h5 "$keep/roc.h5"; }
echo "roc_export: ok"
