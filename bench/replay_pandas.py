#!/usr/bin/env python3
"""The reference pipeline bench_replay measures shades against: a lean
pandas + numpy reading of a replayed scores file (bench/bench_replay.c
writes it, with its manifest), computing what the harness's tables hold
for each target FMR: the exact global threshold, and per group of the
partition the same-group impostor and genuine counts at it, the group's
own threshold. Prints its own time (reading and computing, not the
imports) and, given the harness's results file, checks every figure
against it and exits 1 on a difference.

usage: replay_pandas.py DIR TARGET... [--check RESULTS.h5]"""
import sys
import time

import numpy as np
import pandas as pd


def threshold(sorted_desc, n, target):
    """The smallest double t with FMR(t) <= target (docs/measures.md) among
    n scores whose largest are sorted_desc, or NaN."""
    if n == 0 or n * target < 1.0:
        return np.nan
    k = int(np.floor(target * n))
    while k < n and (k + 1) / n <= target:
        k += 1
    while k > 0 and k / n > target:
        k -= 1
    if k >= n:
        return -np.inf
    return np.nextafter(sorted_desc[k], np.inf)


def top(scores, k):
    """The k+1 largest scores, largest first (a partial sort)."""
    k = min(k + 1, len(scores))
    if k == len(scores):
        return np.sort(scores)[::-1]
    part = np.partition(scores, len(scores) - k)[len(scores) - k:]
    return np.sort(part)[::-1]


def compute(d, targets):
    man = pd.read_csv(f"{d}/manifest.csv", dtype=str)
    scores = pd.read_csv(f"{d}/scores.csv", dtype={"reference_id": "category",
                                                     "probe_id": "category",
                                                     "score": np.float64})
    ids = pd.Index(man["image_id"])
    subj = pd.factorize(man["subject_id"])[0]
    grp_codes, grp_names = pd.factorize(man["group"])
    a = ids.get_indexer(scores["reference_id"].cat.categories)[scores["reference_id"].cat.codes]
    b = ids.get_indexer(scores["probe_id"].cat.categories)[scores["probe_id"].cat.codes]
    s = scores["score"].to_numpy()
    s = np.where(np.isnan(s), -np.inf, s)
    genuine = subj[a] == subj[b]
    ga, gb = grp_codes[a], grp_codes[b]
    imp = s[~genuine]
    gen = s[genuine]
    out = {}
    for t in targets:
        k = int(np.floor(t * len(imp))) + 2
        th = threshold(top(imp, k), len(imp), t)
        out[("all", "All", t)] = (th, int(len(imp)), int((imp >= th).sum()),
                                  int(len(gen)), int((gen < th).sum()), th)
    same_imp = (~genuine) & (ga == gb)
    same_gen = genuine & (ga == gb)
    for g, name in enumerate(grp_names):
        gi = s[same_imp & (ga == g)]
        gg = s[same_gen & (ga == g)]
        for t in targets:
            th = out[("all", "All", t)][0]
            k = int(np.floor(t * len(gi))) + 2
            own = threshold(top(gi, k), len(gi), t)
            out[("group", name, t)] = (th, int(len(gi)), int((gi >= th).sum()),
                                       int(len(gg)), int((gg < th).sum()), own)
    return out


def check(out, path):
    import h5py
    with h5py.File(path, "r") as f:
        rows = f["/verification/groups"][()]
    seen = 0
    for r in rows:
        part = r["partition"].decode()
        group = r["group"].decode()
        key = (part, group, float(r["target_fmr"]))
        if key not in out:
            continue
        th, n_imp, n_fm, n_gen, n_fnm, own = out[key]
        got = (float(r["threshold"]), int(r["n_impostor"]), int(r["n_false_match"]),
               int(r["n_genuine"]), int(r["n_false_nonmatch"]),
               float(r["group_threshold"]) if part != "all" else float(r["threshold"]))
        want = (th, n_imp, n_fm, n_gen, n_fnm, own)
        same = all((x == y) or (np.isnan(x) and np.isnan(y)) for x, y in zip(got, want))
        if not same:
            print(f"DIFFER {key}: shades {got}, pandas {want}")
            return False
        seen += 1
    if seen != len(out):
        print(f"DIFFER: shades has {seen} of the {len(out)} rows pandas computed")
        return False
    return True


def main():
    args = sys.argv[1:]
    h5 = None
    if "--check" in args:
        i = args.index("--check")
        h5 = args[i + 1]
        del args[i:i + 2]
    d, targets = args[0], [float(x) for x in args[1:]]
    t0, c0 = time.perf_counter(), time.process_time()
    out = compute(d, targets)
    print(f"pandas_seconds {time.perf_counter() - t0:.3f}")
    print(f"pandas_cpu_seconds {time.process_time() - c0:.3f}")
    if h5 is not None:
        ok = check(out, h5)
        print("check: identical" if ok else "check: DIFFERENT")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
