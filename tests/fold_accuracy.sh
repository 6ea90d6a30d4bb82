#!/usr/bin/env bash
# fold_accuracy.sh SHADES PYTHON WORK: accuracy over folds (RFW's protocol,
# docs/measures.md) against a brute-force numpy reading of the same pairs.
# A replayed pair list with ten folds numbered 2, 3, 5, ... 29 (as a file may
# number them) over two partitions, scores of one decimal
# (so ties straddle thresholds), pairs without a score (never a match), one
# group missing from one fold, cross-group impostors (in "all" only), and a
# fold whose other folds hold no pair of one group: every row of
# /verification/folds (each fold's threshold, counts and accuracy) and of
# /verification/fold_accuracy (mean, SD, SE, range) must equal what trying
# every threshold gives; the text, Markdown and HTML reports show the table;
# a run without folds writes neither table. Criteria on it judge each
# group's mean: one passes at the lowest group's mean, one fails on a group.
# Two runs side by side get RFW's table of engines by group. WORK keeps folds.h5 for the
# schema test.
set -euo pipefail
shades=$1 python=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "fold_accuracy: $*" >&2; exit 1; }

"$shades" cohort cohort --subjects 60 --images 4 >/dev/null
"$python" - <<'PY'
import csv, itertools, random
random.seed(11)
FOLDS = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
rows = list(csv.DictReader(open("cohort/manifest.csv")))
sub = {r["image_id"]: r["subject_id"] for r in rows}
skin = {r["image_id"]: r["skin_type"] for r in rows}
by = {}
for r in rows:
    by.setdefault(r["subject_id"], []).append(r["image_id"])
pairs = [(a, b, 1) for s in sorted(by) for a, b in itertools.combinations(by[s], 2)]
ids = sorted(sub)
seen = set()
while len(pairs) < 1500:
    a, b = random.sample(ids, 2)
    if sub[a] != sub[b] and (a, b) not in seen and (b, a) not in seen:
        seen.add((a, b))
        pairs.append((a, b, 0))
random.shuffle(pairs)
with open("pairs.csv", "w") as p, open("scores.csv", "w") as s:
    p.write("reference_id,probe_id,fold\n")
    s.write("reference_id,probe_id,score\n")
    for i, (a, b, g) in enumerate(pairs):
        fold = i % 10
        # Skin type I has no pair in fold 7 (the fourth); type VI's pairs
        # all lie in fold 19 (the eighth), which has no others to learn from.
        if fold == 3 and "I" in (skin[a], skin[b]) and skin[a] == skin[b]:
            fold = 4
        if skin[a] == skin[b] == "VI":
            fold = 7
        p.write(f"{a},{b},{FOLDS[fold]}\n")
        score = "" if random.random() < 0.02 else f"{random.gauss(1.0 if g else 0.0, 0.8):.1f}"
        s.write(f"{a},{b},{score}\n")
PY
cat >run.yaml <<'YAML'
run: {name: folds, seed: 3, threads: 2, bootstrap: 20}
dataset: {manifest: cohort/manifest.csv, card: cohort/card.yaml}
engine:
  adapter: replay
  scores: {file: scores.csv}
groups: {partitions: [sex, skin_type], min_subjects: 1}
verification:
  pairs: {file: pairs.csv, fold: fold}
  target_fmr: [1e-1]
output: {results: folds.h5}
criteria:
  - {name: every-sex, measure: fold_accuracy, partition: sex, at_least: 0.5}
  - {name: type-ii, measure: fold_accuracy, partition: skin_type, group: II, at_least: 0.99}
YAML
status=0
"$shades" run run.yaml --progress off >out.txt 2>err.txt || status=$?
[ "$status" = 1 ] || { cat err.txt >&2; fail "run: exit $status, want 1 (a criterion fails)"; }

"$shades" report folds.h5 --format csv -o folds.csv
"$python" - <<'PY'
import csv, math
import h5py, numpy as np
man = {r["image_id"]: r for r in csv.DictReader(open("cohort/manifest.csv"))}
pairs = list(csv.DictReader(open("pairs.csv")))
scores = {(r["reference_id"], r["probe_id"]): r["score"] for r in csv.DictReader(open("scores.csv"))}
def fail(msg):
    raise SystemExit("fold_accuracy: " + msg)
P = []
for r in pairs:
    a, b = r["reference_id"], r["probe_id"]
    s = scores[(a, b)]
    P.append((a, b, int(r["fold"]), man[a]["subject_id"] == man[b]["subject_id"],
              float(s) if s else -math.inf))
buckets = [("all", "All", P)]
for part in ("sex", "skin_type"):
    for g in sorted({m[part] for m in man.values()}):
        buckets.append((part, g, [p for p in P if man[p[0]][part] == g and man[p[1]][part] == g]))

def accuracy(ps, t):
    return sum((gen and s > -math.inf and s >= t) or (not gen and not s >= t) for _, _, _, gen, s in ps)

want_rows, want_sum = [], []
for part, group, ps in buckets:
    accs = []
    for k in sorted({p[2] for p in P}):
        test = [p for p in ps if p[2] == k]
        if not test:
            continue
        train = [p for p in ps if p[2] != k]
        t, acc = math.nan, math.nan
        if train:
            best, t = -1, math.inf
            for c in sorted({p[4] for p in train if p[4] > -math.inf} | {math.inf}, reverse=True):
                n = accuracy(train, c)
                if n > best:
                    best, t = n, c
            acc = accuracy(test, t) / len(test)
            accs.append(acc)
        want_rows.append((part, group, k, t, sum(p[3] for p in test),
                          sum(not p[3] for p in test),
                          accuracy(test, t) if train else 0, acc))
    a = np.array(accs)
    sd = a.std(ddof=1) if len(a) > 1 else math.nan
    want_sum.append((part, group, len(a), a.mean() if len(a) else math.nan, sd,
                     sd / math.sqrt(len(a)) if len(a) > 1 else math.nan,
                     a.min() if len(a) else math.nan, a.max() if len(a) else math.nan))

f = h5py.File("folds.h5", "r")
got = f["/verification/folds"][()]
if len(got) != len(want_rows):
    fail(f"{len(got)} fold rows, want {len(want_rows)}")
def same(x, y, tol=0.0):
    if isinstance(y, float) and math.isnan(y):
        return math.isnan(x)
    return x == y if tol == 0 else abs(x - y) <= tol * max(1.0, abs(y))
for row, w in zip(got, want_rows):
    g = (row["partition"].decode(), row["group"].decode(), int(row["fold"]), float(row["threshold"]),
         int(row["n_genuine"]), int(row["n_impostor"]), int(row["n_correct"]), float(row["accuracy"]))
    if not all(same(x, y) for x, y in zip(g, w)):
        fail(f"fold row {g}, want {w}")
got = f["/verification/fold_accuracy"][()]
if len(got) != len(want_sum):
    fail(f"{len(got)} summary rows, want {len(want_sum)}")
for row, w in zip(got, want_sum):
    g = (row["partition"].decode(), row["group"].decode(), int(row["n_folds"]), float(row["mean"]),
         float(row["sd"]), float(row["se"]), float(row["min"]), float(row["max"]))
    if g[:3] != w[:3] or not all(same(x, y, 1e-12) for x, y in zip(g[3:], w[3:])):
        fail(f"summary row {g}, want {w}")
# The CSV report repeats each group's summary on each of its rows.
byg = {(w[0], w[1]): w for w in want_sum}
n_csv = 0
for r in csv.DictReader(open("folds.csv", newline="")):
    w = byg.get((r["partition"], r["group"] if r["partition"] != "all" else "All"))
    if w is None or w[2] == 0:
        if any(r[c] for c in ("n_folds", "fold_accuracy", "fold_accuracy_sd")):
            fail(f"CSV row {r['partition']}/{r['group']}: fold cells without a summary")
        continue
    got = (int(r["n_folds"]),) + tuple(float(r[c]) if r[c] else math.nan for c in (
        "fold_accuracy", "fold_accuracy_sd", "fold_accuracy_se", "fold_accuracy_lowest",
        "fold_accuracy_highest"))
    if got[0] != w[2] or not all(same(x, y, 1e-12) for x, y in zip(got[1:], w[3:])):
        fail(f"CSV row {r['partition']}/{r['group']}: {got}, want {w[2:]}")
    n_csv += 1
if n_csv < len(want_sum) - 1:
    fail(f"the CSV report gives fold accuracy on {n_csv} rows")
# The cases the data were made for.
rows = f["/verification/folds"][()]
def fold_rows(part, group):
    return [r for r in rows if r["partition"].decode() == part and r["group"].decode() == group]
if 7 in [int(r["fold"]) for r in fold_rows("skin_type", "I")]:
    fail("skin type I has a row for fold 7, where it has no pair")
vi = fold_rows("skin_type", "VI")
if len(vi) != 1 or not math.isnan(vi[0]["threshold"]) or not math.isnan(vi[0]["accuracy"]):
    fail(f"skin type VI: {vi}, want one row without a threshold")
if int(vi[0]["fold"]) != 19:
    fail(f"skin type VI's fold is {vi[0]['fold']}, want 19")
# Criteria: the lowest sex group's mean passes 0.5; type II's fails 0.99.
crit = {r["name"].decode(): r for r in f["/criteria"][()]}
sex = min(w[3] for w in want_sum if w[0] == "sex")
ii = [w[3] for w in want_sum if w[:2] == ("skin_type", "II")][0]
for name, value, passed in (("every-sex", sex, 1), ("type-ii", ii, 0)):
    r = crit[name]
    if abs(r["value"] - value) > 1e-12 or int(r["pass"]) != passed:
        fail(f"criterion {name}: value {r['value']} pass {r['pass']}, want {value} and {passed}")
print(f"fold_accuracy: {len(want_rows)} fold rows and {len(want_sum)} groups as brute force gives")
PY

"$shades" report folds.h5 >report.txt
grep -q "^Accuracy over folds" report.txt || fail "the text report has no fold table"
mean=$("$python" -c "import h5py; print('%.2f%%' % (100 * h5py.File('folds.h5')['/verification/fold_accuracy'][0]['mean']))")
grep -A8 "^Accuracy over folds" report.txt | grep -q "All .*$mean" || {
  cat report.txt >&2; fail "the fold table's All row does not show mean $mean"; }
# Under the table, a partition's mean of its groups' means (RFW's Avg).
avg=$("$python" -c "
import h5py
r = [x for x in h5py.File('folds.h5')['/verification/fold_accuracy'][()] if x['partition'] == b'sex']
print('%.2f%%' % (100 * sum(x['mean'] for x in r) / len(r)))")
tr '\n' ' ' <report.txt | grep -q "sex: the mean of its 2 groups' means $avg (RFW's Avg); " ||
  fail "the text report does not give sex's mean of group means $avg"
# The summary at the top names each partition's lowest and highest group.
want=$("$python" -c "
import h5py
r = [x for x in h5py.File('folds.h5')['/verification/fold_accuracy'][()] if x['partition'] == b'sex']
lo, hi = min(r, key=lambda x: x['mean']), max(r, key=lambda x: x['mean'])
print('by sex, lowest %s %.1f%%, highest %s %.1f%%' % (lo['group'].decode(), 100 * lo['mean'],
      hi['group'].decode(), 100 * hi['mean']))")
all1=$("$python" -c "import h5py; print('%.1f%%' % (100 * h5py.File('folds.h5')['/verification/fold_accuracy'][0]['mean']))")
sed -n '/^== Summary/,/^Runs$/p' report.txt | tr '\n' ' ' | grep -q "Accuracy over folds (RFW's protocol): all pairs $all1 (mean of 10 folds)" ||
  { cat report.txt >&2; fail "the summary does not give all pairs' accuracy over folds"; }
sed -n '/^== Summary/,/^Runs$/p' report.txt | tr '\n' ' ' | grep -q "$want" ||
  { cat report.txt >&2; fail "the summary does not say: $want"; }
# Groups whose means tie are said to, not named as the one group.
cp folds.h5 ties.h5
"$python" -c "
import h5py
d = h5py.File('ties.h5', 'r+')['/verification/fold_accuracy']
rows = d[()]
for r in rows:
    if r['partition'] == b'sex':
        r['mean'] = 0.625
d[...] = rows"
"$shades" report ties.h5 >ties.txt
tr '\n' ' ' <ties.txt | grep -q "by sex, each of its 2 groups 62.5%" ||
  { cat ties.txt >&2; fail "tied group means: not said to tie"; }
"$shades" report folds.h5 --format md >report.md
grep -q "Accuracy over folds" report.md || fail "the Markdown report has no fold table"
grep -q "^Accuracy over folds (RFW's protocol): all pairs" report.md ||
  fail "the Markdown summary has no accuracy over folds"
"$shades" report folds.h5 --format html -o report.html
grep -q "Accuracy over folds" report.html || fail "the HTML report has no fold table"
sed -n '/id="summary"/,/<\/section>/p' report.html | grep -q "<p>Accuracy over folds (RFW&#39;s protocol): all pairs $all1" ||
  fail "the HTML summary has no accuracy over folds"

# The file records the pair list's SHA-256; runs over two pair lists, side
# by side, are said to compare different pairs.
"$python" -c "
import h5py, hashlib, sys
want = hashlib.sha256(open('pairs.csv', 'rb').read()).hexdigest()
got = h5py.File('folds.h5', 'r').attrs['pairs_sha256']
sys.exit(0 if got == want else 'pairs_sha256 %s, want %s' % (got, want))" || fail "pairs_sha256"
head -n -1 pairs.csv >pairs2.csv
sed -e 's|file: pairs.csv|file: pairs2.csv|' -e 's|folds.h5|pairs2.h5|' run.yaml >pairs2.yaml
"$shades" run pairs2.yaml --progress off >/dev/null 2>&1 || true
"$shades" report folds.h5 pairs2.h5 >two.txt 2>&1 || true
tr '\n' ' ' <two.txt | grep -q "The runs compared different pairs: .*pair list sha256 " ||
  { head -20 two.txt >&2; fail "two pair lists side by side: no warning"; }

# Distances in place of similarities: a warning says so.
awk -F, -v OFS=, 'NR > 1 && $3 != "" { $3 = -$3 } { print }' scores.csv >dist.csv
sed -e 's|scores.csv|dist.csv|' -e 's|folds.h5|dist.h5|' run.yaml >dist.yaml
"$shades" run dist.yaml --progress off >/dev/null 2>dist.err || true
grep -q "^shades: warning: genuine pairs score below impostor pairs (AUC 0\.[0-4][0-9]* over the pairs with a score): shades reads a higher score as more alike; scores that are distances need their sign turned" dist.err ||
  { cat dist.err >&2; fail "no warning for scores that are distances"; }
grep -q "genuine pairs score below" err.txt && fail "a warning of distances for similarities"
# The report's summary says so too, from the file alone; not for similarities.
"$shades" report dist.h5 >dist.txt || true
tr '\n' ' ' <dist.txt | tr -s ' ' | grep -q "Score warning: genuine pairs score below impostor pairs (AUC 0\.[0-4][0-9]* over the pairs with a score; [0-9]* of [0-9]* genuine and [0-9]* of [0-9]* impostor pairs had none): shades reads a higher score as more alike, so these look like distances" ||
  { cat dist.txt >&2; fail "the report of distances has no score warning"; }
grep -q "Score warning" report.txt && fail "the report of similarities has a score warning"
# Most genuine pairs without a score is not a sign of distances.
"$python" - <<'PY'
import csv, random
random.seed(5)
subject = {r["image_id"]: r["subject_id"] for r in csv.DictReader(open("cohort/manifest.csv"))}
rows = list(csv.reader(open("scores.csv")))
with open("failed.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for a, b, s in rows[1:]:
        w.writerow([a, b, "" if subject[a] == subject[b] and random.random() < 0.6 else s])
PY
sed -e 's|scores.csv|failed.csv|' -e 's|folds.h5|failed.h5|' run.yaml >failed.yaml
"$shades" run failed.yaml --progress off >/dev/null 2>failed.err || true
grep -q "genuine pairs score below" failed.err && fail "a warning of distances for failed pairs"
# /verification/scores counts each group's pairs without a score, genuine
# and (same-group) impostor.
"$python" - <<'PY' || fail "n_genuine_unscored or n_impostor_unscored is not the pairs without a score"
import csv, sys
import h5py
man = {r["image_id"]: r for r in csv.DictReader(open("cohort/manifest.csv"))}
want = {}
for a, b, s in list(csv.reader(open("failed.csv")))[1:]:
    if s:
        continue
    kind = "gen" if man[a]["subject_id"] == man[b]["subject_id"] else "imp"
    want[("all", "All", kind)] = want.get(("all", "All", kind), 0) + 1
    for part in ("sex", "skin_type"):
        if man[a][part] == man[b][part]:
            want[(part, man[a][part], kind)] = want.get((part, man[a][part], kind), 0) + 1
rows = h5py.File("failed.h5", "r")["/verification/scores"][()]
bad = []
for r in rows:
    key = (r["partition"].decode(), r["group"].decode())
    for kind, col in (("gen", "n_genuine_unscored"), ("imp", "n_impostor_unscored")):
        if int(r[col]) != want.get(key + (kind,), 0):
            bad.append((key, col, int(r[col]), want.get(key + (kind,), 0)))
if bad or not want.get(("all", "All", "gen")) or not want.get(("all", "All", "imp")):
    sys.exit(f"fold_accuracy: unscored counts (group, column, got, want): {bad} of {want}")
PY
"$shades" report failed.h5 >failed.txt
grep -q "Score warning" failed.txt && fail "a score warning for failed pairs"
# Distances where most impostor pairs have no score (their -inf raises the
# AUC of all pairs above 0.5): still distances.
"$python" - <<'PY'
import csv, random
random.seed(7)
subject = {r["image_id"]: r["subject_id"] for r in csv.DictReader(open("cohort/manifest.csv"))}
rows = list(csv.reader(open("dist.csv")))
with open("dist2.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for a, b, s in rows[1:]:
        w.writerow([a, b, "" if subject[a] != subject[b] and random.random() < 0.6 else s])
PY
sed -e 's|scores.csv|dist2.csv|' -e 's|folds.h5|dist2.h5|' run.yaml >dist2.yaml
"$shades" run dist2.yaml --progress off >/dev/null 2>dist2.err || true
"$python" -c "
import h5py, sys
sys.exit(0 if h5py.File('dist2.h5')['/verification/scores'][0]['auc'] > 0.5 else 1)" ||
  fail "the case of unscored impostors does not raise the AUC of all pairs above 0.5"
grep -q "genuine pairs score below" dist2.err ||
  { cat dist2.err >&2; fail "no warning of distances where most impostors have no score"; }
"$shades" report dist2.h5 >dist2.txt
grep -q "Score warning" dist2.txt ||
  fail "no score warning in the report where most impostors have no score"

# Without folds: neither table.
sed -i -e 's|pairs: {file: pairs.csv, fold: fold}|pairs: {file: pairs.csv}|' \
  -e 's|folds.h5|plain.h5|' -e '/^criteria:/,$d' run.yaml
"$shades" run run.yaml --progress off >/dev/null 2>&1 || fail "the run without folds failed"
"$python" -c "
import h5py, sys
f = h5py.File('plain.h5', 'r')
sys.exit(1 if 'folds' in f['/verification'] or 'fold_accuracy' in f['/verification'] else 0)" ||
  fail "a run without folds wrote a fold table"
"$shades" report plain.h5 --format csv -o plain.csv
"$python" -c "
import csv, sys
rows = list(csv.DictReader(open('plain.csv', newline='')))
sys.exit(1 if not rows or any(r['n_folds'] or r['fold_accuracy'] for r in rows) else 0)" ||
  fail "the CSV report of a run without folds has fold cells"
# Side by side (RFW's table of methods by race): the run with folds gives
# each group's mean and SD, the one without "-".
"$shades" report folds.h5 plain.h5 >both.txt || true
# Two runs of one engine and run name are told apart by their files' names.
grep -q "^replay 0.1.0 (folds.h5) " both.txt && grep -q "^replay 0.1.0 (plain.h5) " both.txt ||
  { cat both.txt >&2; fail "side by side: runs not labelled by their files"; }
# Their headings name each file once; the CSV's engine column is the engine
# itself, whatever runs are beside it (its file column tells them apart).
grep -qx "== replay 0.1.0 (folds.h5) ==" both.txt || { cat both.txt >&2; fail "a run's heading"; }
"$shades" report folds.h5 plain.h5 --format csv -o both.csv
[ "$(cut -d, -f1,2 both.csv | sort -u | tr '\n' ' ')" = '"replay 0.1.0","folds.h5" "replay 0.1.0","plain.h5" engine,file ' ] ||
  fail "the CSV's engine and file columns: $(cut -d, -f1,2 both.csv | sort -u | tr '\n' ' ')"
grep -A6 "^Accuracy over folds by sex (mean, SD)" both.txt >side.txt ||
  { cat both.txt >&2; fail "no side-by-side fold table"; }
m=$("$python" -c "
import h5py
r = [x for x in h5py.File('folds.h5')['/verification/fold_accuracy'][()] if x['group'] == b'F'][0]
print('%.2f%% (%.2f)' % (100 * r['mean'], 100 * r['sd']))")
[ "$(grep -c -- "$m" side.txt)" = 1 ] || { cat side.txt >&2; fail "side by side: no F cell $m"; }
grep -q "^plain  *-  *-  *-" side.txt || grep -q "  -  *-  *-$" side.txt ||
  { cat side.txt >&2; fail "side by side: the run without folds is not '-'"; }
# In either order, the side-by-side table has every run's groups.
"$shades" report plain.h5 folds.h5 >both2.txt || true
grep -A6 "^Accuracy over folds by sex (mean, SD)" both2.txt | grep -q -- "$m" ||
  { cat both2.txt >&2; fail "side by side, the run with folds second: no F cell $m"; }

# Groups under groups.min_subjects are marked, and left out of the mean of
# the group means (skin types have about 10 subjects each here).
sed -e 's|file: pairs.csv}|file: pairs.csv, fold: fold}|' -e 's|plain.h5|small.h5|' \
  -e 's|min_subjects: 1}|min_subjects: 12}|' run.yaml >small.yaml
"$shades" run small.yaml --progress off >/dev/null 2>&1 || fail "the run with min_subjects 12 failed"
"$shades" report small.h5 >small.txt
tr '\n' ' ' <small.txt | grep -q "groups too small to estimate left out\." ||
  { cat small.txt >&2; fail "the summary does not say small groups were left out"; }
grep -A12 "^Accuracy over folds" small.txt >fold-small.txt
grep -q "^skin_type: [IV]*\* " fold-small.txt || { cat small.txt >&2; fail "no small group marked"; }
kept=$(grep -c "^skin_type: [IV]* .*%" fold-small.txt)
# Side by side, the note says groups were left out only where some were.
"$shades" report small.h5 folds.h5 >small-both.txt || true
tr '\n' ' ' <small-both.txt | tr -s ' ' | grep -q "too small to estimate, and left out of the groups' mean" ||
  fail "side by side with small groups: no note that they were left out"
grep -q "groups' mean\.$\|groups marked \*" both.txt && fail "side by side without small groups: a note of groups left out"
tr '\n' ' ' <small.txt | grep -q "skin_type: the mean of its $kept groups' means [0-9.]*% (RFW's Avg; groups marked \* left out)" ||
  { cat small.txt >&2; fail "the mean of group means is not over the $kept groups not marked"; }

# rerun compares pairs_sha256 only in files that can have it: a file of
# schema 1.13 (without the attribute) reruns identical.
cp plain.h5 old.h5
"$python" -c "
import h5py
f = h5py.File('old.h5', 'r+')
f.attrs.modify('schema_version', '1.13')
del f.attrs['pairs_sha256']"
# A table's column dropped (or renamed), every other column's HDF5 type kept
# as shades wrote it: drop_column FILE TABLE COLUMN [NEW_NAME].
drop_column() {
  "$python" - "$@" <<'PY'
import sys
import h5py, numpy as np
from h5py import h5t, h5d, h5s
path, table, column = sys.argv[1:4]
rename = sys.argv[4] if len(sys.argv) > 4 else None
f = h5py.File(path, "r+")
ds = f[table]
tid, space, dcpl = ds.id.get_type(), ds.id.get_space(), ds.id.get_create_plist()
names = [tid.get_member_name(i) for i in range(tid.get_nmembers())]
keep = [i for i, n in enumerate(names) if rename or n != column.encode()]
size = sum(tid.get_member_type(i).get_size() for i in keep)
src, new = h5t.create(h5t.COMPOUND, size), h5t.create(h5t.COMPOUND, size)
off = 0
for i in keep:
    src.insert(names[i], off, tid.get_member_type(i))
    new.insert(rename.encode() if names[i] == column.encode() else names[i], off,
               tid.get_member_type(i))
    off += tid.get_member_type(i).get_size()
buf = np.empty(ds.shape, dtype=src.dtype)
ds.id.read(h5s.ALL, h5s.ALL, buf, mtype=src)
parent, name = table.rsplit("/", 1)
del f[table]
h5d.create(f[parent].id, name.encode(), new, space, dcpl=dcpl).write(h5s.ALL, h5s.ALL, buf,
                                                                    mtype=new)
PY
}
# As 1.13 wrote it: /verification/scores without 1.15's unscored counts.
drop_column old.h5 /verification/scores n_genuine_unscored
drop_column old.h5 /verification/scores n_impostor_unscored
"$shades" rerun old.h5 >rerun.txt 2>&1 || { cat rerun.txt >&2; fail "rerun of a 1.13 file: not identical"; }
"$shades" report old.h5 >old.txt || fail "a 1.13 file's report failed"
# An older file records no unscored counts: its report does not judge
# distances, so many failed genuine pairs do not read as distances there.
cp failed.h5 oldfailed.h5
drop_column oldfailed.h5 /verification/scores n_genuine_unscored
drop_column oldfailed.h5 /verification/scores n_impostor_unscored
"$python" -c "
import h5py
h5py.File('oldfailed.h5', 'r+').attrs.modify('schema_version', '1.14')"
"$python" -c "
import h5py, sys
sys.exit(0 if h5py.File('oldfailed.h5')['/verification/scores'][0]['auc'] < 0.5 else 1)" ||
  fail "the failed pairs' file does not have an AUC of all pairs below 0.5"
"$shades" report oldfailed.h5 >oldfailed.txt
grep -q "Score warning" oldfailed.txt && fail "a score warning for a 1.14 file"
# A column the file has and the rerun lacks still differs (a 1.14 file, so
# that its reader does not ask for n_genuine_unscored).
cp plain.h5 renamed.h5
drop_column renamed.h5 /verification/scores n_genuine_unscored n_failed_renamed
"$python" -c "
import h5py
h5py.File('renamed.h5', 'r+').attrs.modify('schema_version', '1.14')"
"$shades" rerun renamed.h5 >renamed.txt 2>&1 && fail "rerun took a file whose column the rerun lacks"
grep -q "/verification/scores: its type differs" renamed.txt ||
  { cat renamed.txt >&2; fail "rerun of a file with a column the rerun lacks: $(cat renamed.txt)"; }
echo "fold_accuracy: reports show the table; a run without folds has none"
