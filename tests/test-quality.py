#!/usr/bin/python3
"""Mutual proximity, evaluate and suggest-weights against numpy/scipy.

usage: test-quality.py SOUNDALIKE_CLI

numpy writes a labelled collection (clusters of clips, one label per cluster,
some labels shared by two clusters); the same formulas computed here in float64
must give Soundalike's ranks exactly and its values within 1e-6:
1. Gaussian mutual proximity on d^2 (Euclidean) and d (Manhattan), moments from
   all tracks and from a fixed random sample (splitmix64 Fisher-Yates, as
   sa-moments.c documents);
2. `evaluate`: precision@k (ties by collection order, numpy's stable argsort),
   mAP, k-occurrence skewness (scipy.stats.skew, bias=True), antihub rate,
   max k-occurrence, Robin Hood index, with and without MP, with a tag file;
3. `suggest-weights`: marks made from the labels for half the queries give
   weights that do at least as well as the defaults on the other half; the
   suggestion is numpy's rule (a count more than 2 standard errors above the
   current weights'), and random marks keep the current weights.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from scipy.special import erfc
from scipy.stats import skew

cli = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="soundalike-quality-")
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    sys.stdout.flush()
    if not cond:
        failures.append(what)


def run(*args):
    r = subprocess.run([cli] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
    return r


# ---- the collection ----
rng = np.random.default_rng(2026)
N, NRP, NSSD, NC = 240, 1440, 168, 12
cluster = rng.integers(0, NC, N)
crp = rng.normal(0, 1, (NC, NRP))
cssd = rng.normal(0, 1, (NC, NSSD))
# rp carries the cluster weakly, ssd strongly: the best weights lean to ssd
rp = (0.05 * crp[cluster] + rng.normal(0, 1, (N, NRP))).astype(np.float32)
ssd = (0.35 * cssd[cluster] + rng.normal(0, 1, (N, NSSD))).astype(np.float32)
rp[:, 7] = 3.0  # a constant dimension
ids = 1000 + 7 * np.arange(N)
np.savez(os.path.join(tmp, "features.npz"), rp=rp, ssd=ssd, clip_id=ids)
genre = np.array(["g%d" % (c // 2 if c < 4 else c) for c in cluster])
md = pd.DataFrame({"clip_id": ids, "mp3_path": ["/music/%d.mp3" % i for i in range(N)],
                   "title": ["T%d" % i for i in range(N)], "artist": ["A%d" % (i % 9) for i in range(N)],
                   "album": ["B%d" % (i // 6) for i in range(N)], "genre": genre,
                   "track": ["tr%d" % (i // 3) for i in range(N)]},
                  index=100 + np.arange(N))
md.to_csv(os.path.join(tmp, "metadata.csv"))
F, M = os.path.join(tmp, "features.npz"), os.path.join(tmp, "metadata.csv")

X = np.hstack([rp, ssd]).astype(np.float64)
mu, sd = X.mean(axis=0), X.std(axis=0)
Z = np.where(sd > 0, (X - mu) / np.where(sd > 0, sd, 1), 0.0)
SETS = [(0, NRP), (NRP, NRP + NSSD)]


def partials(metric):
    """A[s] is N x N: the per-set sums of every pair."""
    out = []
    for a, b in SETS:
        Zs = Z[:, a:b]
        if metric == "euclidean":
            sq = (Zs ** 2).sum(axis=1)
            A = sq[:, None] + sq[None, :] - 2 * Zs @ Zs.T
            # exact for the diagonal and no negative rounding
            A = np.maximum(A, 0)
            np.fill_diagonal(A, 0)
        else:
            A = np.zeros((N, N))
            for i in range(N):
                A[i] = np.abs(Zs - Zs[i]).sum(axis=1)
        out.append(A)
    return np.stack(out)  # (2, N, N)


PART = {m: partials(m) for m in ("euclidean", "manhattan")}
MASK64 = (1 << 64) - 1


def splitmix_sample(n, k):
    if k >= n:
        return np.arange(n)
    state = 0x4D505341
    perm = list(range(n))
    for i in range(k):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        j = i + z % (n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return np.sort(np.array(perm[:k]))


def coefficients(weights):
    return np.array([weights[0] / NRP, weights[1] / NSSD])


def mp_moments(metric, weights, sample):
    """mu, sd of every track's D over the sample (itself left out)."""
    A = PART[metric]
    c = coefficients(weights)
    D = np.tensordot(c, A, axes=1)  # N x N
    ref = splitmix_sample(N, sample)
    mus, sds = np.zeros(N), np.zeros(N)
    for i in range(N):
        r = ref[ref != i]
        mus[i] = D[i, r].mean()
        sds[i] = D[i, r].std()
    return D, mus, sds


def mp_matrix(metric, weights, sample):
    D, mus, sds = mp_moments(metric, weights, sample)
    tq = (D - mus[:, None]) / (sds[:, None] * np.sqrt(2))
    tx = (D - mus[None, :]) / (sds[None, :] * np.sqrt(2))
    a, b = 0.5 * erfc(-tq), 0.5 * erfc(-tx)
    mp = a + b - a * b
    with np.errstate(divide="ignore"):
        key = np.log(mp) - (np.log(0.5 * erfc(tq)) + np.log(0.5 * erfc(tx)))
    return mp, key


def cli_query(q, *extra):
    r = run("query", "--features", F, "--metadata", M, "--clip-id", str(ids[q]), "--top", "25",
            *extra)
    rows = [l.split("\t") for l in r.stdout.splitlines()[1:]]
    return [int(x[1]) for x in rows], [float(x[2]) for x in rows]


# 1. mutual proximity
for metric, sample in (("euclidean", 100000), ("euclidean", 64), ("manhattan", 50)):
    for weights in ((0.5, 0.9), (1.0, 0.2)):
        mp, key = mp_matrix(metric, weights, sample)
        ok_rank, worst = True, 0.0
        for q in (0, 17, 101, 239):
            k = key[q].copy()
            k[q] = -np.inf
            order = np.argsort(k, kind="stable")
            expect = [ids[q]] + [ids[j] for j in order[1:26]]
            got, vals = cli_query(q, "--metric", metric, "--weights",
                                  "rp=%g,ssd=%g" % weights, "--mutual-proximity",
                                  "--mp-sample", str(sample))
            ok_rank &= got == expect
            worst = max(worst, max(abs(v - mp[q, ids.tolist().index(g)]) for g, v in zip(got[1:], vals[1:])))
        what = "%s MP, sample %d, weights %g/%g" % (metric, sample, *weights)
        check(ok_rank, what + ": ranks identical to numpy")
        # the partial sums come from the search's float32 kernels (distances within
        # ~1e-7 relative); MP's slope can multiply that by up to ~10 for L1
        tol = 1e-6 if metric == "euclidean" else 5e-6
        check(worst < tol, what + ": MP within %g of numpy (%.2g)" % (tol, worst))

# the moments cache beside the collection is written, reused and replaced when stale
caches = [f for f in os.listdir(tmp) if f.endswith(".cache")]
check(any(f == "features.mp-euclidean-64.cache" for f in caches), "moments cached beside the collection")
cache = os.path.join(tmp, "features.mp-euclidean-64.cache")
size = os.path.getsize(cache)
with open(cache, "r+b") as f:  # damaged: recomputed and rewritten, same answers
    f.truncate(size // 2)
got_again, _ = cli_query(17, "--mutual-proximity", "--mp-sample", "64")
mp, key = mp_matrix("euclidean", (0.5, 0.9), 64)
k = key[17].copy()
k[17] = -np.inf
check(got_again == [ids[17]] + [ids[j] for j in np.argsort(k, kind="stable")[1:26]]
      and os.path.getsize(cache) == size, "a damaged moments cache is recomputed and replaced")
stamp = os.stat(cache).st_mtime_ns
os.utime(F, ns=(os.stat(F).st_atime_ns, os.stat(F).st_mtime_ns + 10**9))  # the features changed
cli_query(17, "--mutual-proximity", "--mp-sample", "64")
check(os.stat(cache).st_mtime_ns != stamp, "a changed feature file invalidates the moments cache")
# MP off is the plain tutorial distance
got, vals = cli_query(5)
D = np.sqrt(np.tensordot(coefficients((0.5, 0.9)), PART["euclidean"], axes=1)[5])
D[5] = -1
check(got == [ids[5]] + [ids[j] for j in np.argsort(D, kind="stable")[1:26]], "MP off: plain ranking")


# 2. evaluate
def numpy_quality(keys, relevant, k, exclude=None, queries=None):
    """keys: N x N ranking keys (row = query); relevant: N x N bool."""
    queries = range(N) if queries is None else queries
    kocc = np.zeros(N, dtype=int)
    precs, aps = [], []
    for q in queries:
        cand = np.ones(N, bool)
        cand[q] = False
        if exclude is not None:
            cand &= exclude[q] != exclude
        idx = np.nonzero(cand)[0]
        order = idx[np.argsort(keys[q, idx], kind="stable")]
        kocc[order[:k]] += 1
        if relevant[q].any() or labelled[q]:
            rel = relevant[q, order]
            precs.append(rel[:k].mean())
            if rel.any():
                ranks = np.nonzero(rel)[0] + 1
                aps.append((np.arange(1, len(ranks) + 1) / ranks).mean())
    return {"precision_at_k": np.mean(precs), "map": np.mean(aps),
            "k_occurrence_skewness": skew(kocc, bias=True), "antihub_rate": np.mean(kocc == 0),
            "max_k_occurrence": kocc.max(),
            "robinhood": np.abs(kocc - kocc.mean()).sum() / (2 * kocc.sum())}


def cli_eval(*extra):
    r = run("evaluate", "--features", F, "--metadata", M, *extra)
    return {l.split("\t")[0]: float(l.split("\t")[1]) for l in r.stdout.splitlines()}


labelled = np.ones(N, bool)
same_genre = genre[:, None] == genre[None, :]
Deu = np.tensordot(coefficients((0.5, 0.9)), PART["euclidean"], axes=1)
track = np.array(["tr%d" % (i // 3) for i in range(N)])
cases = [
    ("plain, k 10", Deu, same_genre, 10, None, ["--label-column", "genre"]),
    ("plain, k 5, same track left out", Deu, same_genre, 5, track,
     ["--label-column", "genre", "--k", "5", "--exclude-same-track", "track"]),
    ("MP", mp_matrix("euclidean", (0.5, 0.9), 256)[1], same_genre, 10, None,
     ["--label-column", "genre", "--mutual-proximity"]),
    ("manhattan", np.tensordot(coefficients((0.5, 0.9)), PART["manhattan"], axes=1), same_genre, 10,
     None, ["--label-column", "genre", "--metric", "manhattan"]),
]
# a tag file keyed by the metadata's index (several tags per track, some none)
tagm = rng.random((N, 6)) < 0.25
tagm[:, 0] |= cluster % 3 == 0
tags = pd.DataFrame(tagm.astype(int), columns=["t%d" % j for j in range(6)], index=100 + np.arange(N))
tags = tags.iloc[rng.permutation(N)[: N - 10]]  # ten tracks are not in the file
tags.to_csv(os.path.join(tmp, "tags.csv"))
tag_of = np.zeros((N, 6), bool)
for i in range(N):
    if (100 + i) in tags.index:
        tag_of[i] = tags.loc[100 + i].values.astype(bool)
shares = (tag_of.astype(int) @ tag_of.T.astype(int)) > 0
cases.append(("tag file", Deu, shares, 10, None, ["--tags", os.path.join(tmp, "tags.csv")]))
for what, keys, relevant, k, excl, args in cases:
    labelled = tag_of.any(axis=1) if what == "tag file" else np.ones(N, bool)
    want = numpy_quality(keys, relevant, k, excl)
    got = cli_eval(*args)
    for name, v in want.items():
        check(abs(got.get(name, np.nan) - v) < 1e-9,
              "evaluate %s: %s %.6f (numpy %.6f)" % (what, name, got.get(name, np.nan), v))
check(cli_eval("--label-column", "genre", "--mutual-proximity")["k_occurrence_skewness"]
      < cli_eval("--label-column", "genre")["k_occurrence_skewness"], "MP lowers the skewness")
r = run("evaluate", "--features", F, "--metadata", M, "--label-column", "nosuch")
check(r.returncode == 1 and "nosuch" in r.stderr and "metadata.csv" in r.stderr,
      "an unknown label column is an error naming the file and the column")

# 3. suggest-weights: marks from the labels for half of the queries
Drp, Dssd = PART["euclidean"][0] / NRP, PART["euclidean"][1] / NSSD
train, held = np.arange(0, N, 2), np.arange(1, N, 2)


def marks_for(queries):
    rows = []
    for q in queries:
        d = 0.5 * Drp[q] + 0.9 * Dssd[q]
        d[q] = np.inf
        for j in np.argsort(d, kind="stable")[:15]:
            rows.append((ids[q], ids[j], "good" if same_genre[q, j] else "bad"))
    return rows


def satisfied(rows, w):
    pos = {c: i for i, c in enumerate(ids)}
    n = 0
    by_q = {}
    for q, r, m in rows:
        by_q.setdefault(q, {"good": [], "bad": []})[m].append(pos[r])
    for q, gb in by_q.items():
        d = w[0] * Drp[pos[q]] + w[1] * Dssd[pos[q]]
        n += sum(d[g] < d[b] for g in gb["good"] for b in gb["bad"])
    return n


def p_at_10(w, queries):
    d = w[0] * Drp + w[1] * Dssd
    out = []
    for q in queries:
        x = d[q].copy()
        x[q] = np.inf
        out.append(same_genre[q, np.argsort(x, kind="stable")[:10]].mean())
    return np.mean(out)


marks_path = os.path.join(tmp, "marks.csv")
pd.DataFrame(marks_for(train), columns=["query_clip_id", "result_clip_id", "mark"]).to_csv(
    marks_path, index=False)
r = run("suggest-weights", "--features", F, "--metadata", M, "--marks", marks_path)
out = {l.split("\t")[0]: float(l.split("\t")[1]) for l in r.stdout.splitlines()}
w = (out.get("rp", 0.5), out.get("ssd", 0.9))
print("suggested", w, out)
held_marks = marks_for(held)
check(p_at_10(w, held) >= p_at_10((0.5, 0.9), held),
      "held-out P@10 %.4f >= default %.4f" % (p_at_10(w, held), p_at_10((0.5, 0.9), held)))
check(satisfied(held_marks, w) > satisfied(held_marks, (0.5, 0.9)),
      "held-out marks satisfied %d > default %d" % (satisfied(held_marks, w),
                                                    satisfied(held_marks, (0.5, 0.9))))
check(out["satisfied_suggested"] == satisfied(marks_for(train), w), "satisfied count as numpy's")


def numpy_suggest(rows, cur=(0.5, 0.9)):
    """The documented rule: the best interval of angles whose count beats the current
    weights' by more than 2 standard errors (sqrt(Q) x the deviation of the per-query
    differences), nearest the current angle among equals, at its middle; else cur."""
    pos = {c: i for i, c in enumerate(ids)}
    by_q = {}
    for q, r, m in rows:
        by_q.setdefault(pos[q], {"good": [], "bad": []})[m].append(pos[r])
    delta, qof = [], []
    for qi, (q, gb) in enumerate((q, gb) for q, gb in by_q.items() if gb["good"] and gb["bad"]):
        for g in gb["good"]:
            for b in gb["bad"]:
                delta.append((Drp[q, g] - Drp[q, b], Dssd[q, g] - Dssd[q, b]))
                qof.append(qi)
    delta, qof = np.array(delta), np.array(qof)
    nq = qof.max() + 1
    a, b = delta[:, 0], delta[:, 1]
    flip = (a != 0) & (b != 0) & ((a > 0) != (b > 0))
    edges = np.concatenate([[0.0], np.unique(np.arctan(-a[flip] / b[flip])), [np.pi / 2]])
    mids = 0.5 * (edges[:-1] + edges[1:])
    holds = (np.outer(a, np.cos(mids)) + np.outer(b, np.sin(mids))) < 0  # pairs x intervals
    per_q = np.stack([holds[qof == i].sum(axis=0) for i in range(nq)])
    cur_q = np.bincount(qof, weights=(delta @ np.array(cur)) < 0, minlength=nq)
    diff = per_q - cur_q[:, None]
    se = np.sqrt(nq * diff.var(axis=0))
    ca = np.arctan2(cur[1], cur[0])
    dist = np.where(ca < edges[:-1], edges[:-1] - ca, np.where(ca > edges[1:], ca - edges[1:], 0))
    cnt = per_q.sum(axis=0)
    ok = (cnt > cur_q.sum()) & (cnt - cur_q.sum() > 2 * se)
    if not ok.any():
        return cur, False
    best = cnt[ok].max()
    i = np.nonzero(ok & (cnt == best))[0]
    i = i[np.argmin(dist[i])]
    w = np.array([np.cos(mids[i]), np.sin(mids[i])])
    return tuple(w * max(cur) / w.max()), True


coin = np.random.default_rng(14)
random_marks = [(q, r, "good" if coin.random() < 0.5 else "bad") for q, r, _ in marks_for(train[:40])]
for what, rows in (("half the queries", marks_for(train)), ("four queries", marks_for(train[:4])),
                   ("40 queries, marked at random", random_marks)):
    path = os.path.join(tmp, "marks-np.csv")
    pd.DataFrame(rows, columns=["query_clip_id", "result_clip_id", "mark"]).to_csv(path, index=False)
    r = run("suggest-weights", "--features", F, "--metadata", M, "--marks", path)
    o = {l.split("\t")[0]: float(l.split("\t")[1]) for l in r.stdout.splitlines()}
    want, moved = numpy_suggest(rows)
    check(abs(o["rp"] - want[0]) < 1e-6 and abs(o["ssd"] - want[1]) < 1e-6,
          "suggestion from marks of %s as numpy's rule (%s: %.4f/%.4f, numpy %.4f/%.4f)" % (
              what, "moved" if moved else "kept", o["rp"], o["ssd"], *want))
check((o["rp"], o["ssd"]) == (0.5, 0.9) or what != "40 queries, marked at random",
      "marks that carry nothing (good or bad at random) keep the current weights")
check(out["satisfied_suggested"] >= out["satisfied_current"], "never worse on its own marks")
with open(os.path.join(tmp, "bad-marks.csv"), "w") as f:
    f.write("query_clip_id,result_clip_id,mark\n1000,1007,maybe\n")
r = run("suggest-weights", "--features", F, "--metadata", M, "--marks", os.path.join(tmp, "bad-marks.csv"))
check(r.returncode == 1 and "bad-marks.csv: line 2" in r.stderr, "a bad mark is an error naming the line")

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("all passed")
