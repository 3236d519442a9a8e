#!/usr/bin/python3
"""Times Soundalike's search against the tutorial's numpy code, in the same run.

usage: bench-compare.py SOUNDALIKE_CLI (--synthetic N | F.npz M.csv) [--runs R]
       bench-compare.py SOUNDALIKE_CLI --import F.npz [--runs R]

Runs `soundalike-cli bench` on the collection, then times the tutorial's own code
(part 2a) on the same files: its loading, join, concatenation and z-scoring
('load'), weighted_eucledian_distance followed by argsort for the top 10 ('query';
numpy has no cheaper path for new weights, so 'reweight' is the same call), and a
plain numpy sum over the float32 matrix ('stream').  Prints a Markdown table with
the medians in milliseconds and the ratio numpy / Soundalike.

--import F.npz compares importing a feature file alone: `np.load` of rp, ssd and clip_id,
concatenation and z-score (population std) against `soundalike-cli bench --features F`'s
'load' (the store removed first: inflate, convert, statistics, store written), and against
the same with `--inflate-parts 1` (each member inflated on one thread). The three run
interleaved R times (the machine may be shared) and the min and median of the per-round
ratios are printed.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def tutorial_load(features, metadata):
    with np.load(features) as npz:
        features_rp = npz["rp"]
        features_ssd = npz["ssd"]
        clip_id = npz["clip_id"]
    feature_metadata = pd.DataFrame({"featurespace_id": np.arange(features_rp.shape[0]), "clip_id": clip_id})
    meta = pd.read_csv(metadata, index_col=0)
    meta = meta.reset_index()
    meta = meta.merge(feature_metadata, on="clip_id", how="inner")
    meta = meta.set_index("index")
    feature_data = np.concatenate([features_rp, features_ssd], axis=1)
    meta.sort_values("featurespace_id", inplace=True)
    feature_data = feature_data[meta.featurespace_id]
    meta["featurespace_id"] = np.arange(meta.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        feature_data -= feature_data.mean(axis=0)
        feature_data /= feature_data.std(axis=0)
    feature_data = np.nan_to_num(feature_data, 0)
    return meta, feature_data


featureset_lengths = [1440, 168]


def weighted_eucledian_distance(feature_space, query_vector, featureset_weights):
    distances = (feature_space - query_vector) ** 2
    start_idx = 0
    for sequence_length, weight in zip(featureset_lengths, featureset_weights):
        stop_idx = start_idx + sequence_length
        distances[:, start_idx:stop_idx] /= sequence_length
        distances[:, start_idx:stop_idx] *= weight
        start_idx = stop_idx
    return np.sqrt(np.sum(distances, axis=1))


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def numpy_import(features):
    with np.load(features) as npz:
        data = np.concatenate([npz["rp"], npz["ssd"]], axis=1)
        clip_id = npz["clip_id"]
    with np.errstate(divide="ignore", invalid="ignore"):
        data -= data.mean(axis=0)
        data /= data.std(axis=0)
    return np.nan_to_num(data, 0), clip_id


def compare_import(cli, features, runs):
    def ours(*extra):
        out = subprocess.run([cli, "bench", "--features", features, "--runs", "1", "--no-mp"]
                             + list(extra), check=True, capture_output=True, text=True).stdout
        return [float(l.split("\t")[1]) for l in out.splitlines() if l.startswith("load\t")][0]

    rows = []
    for r in range(runs):
        split = ours()
        serial = ours("--inflate-parts", "1")
        theirs = timed(lambda: numpy_import(features), 1)
        rows.append((split, serial, theirs))
        print("round %d: soundalike load %.1f ms (inflating on one thread: %.1f ms), "
              "numpy np.load + z-score %.1f ms, ratio %.2fx (%.2fx)"
              % (r + 1, split, serial, theirs, theirs / split, theirs / serial), flush=True)
    ratios = [t / o for o, _, t in rows]
    serial_ratios = [t / s for _, s, t in rows]
    print("| figure | Soundalike median (ms) | numpy median (ms) | ratio min | ratio median |")
    print("|---|---:|---:|---:|---:|")
    print("| import, one thread per member | %.1f | %.1f | %.2fx | %.2fx |"
          % (statistics.median(s for _, s, _ in rows), statistics.median(t for _, _, t in rows),
             min(serial_ratios), statistics.median(serial_ratios)))
    print("| import | %.1f | %.1f | %.2fx | %.2fx |"
          % (statistics.median(o for o, _, _ in rows), statistics.median(t for _, _, t in rows),
             min(ratios), statistics.median(ratios)))


def main():
    args = sys.argv[1:]
    runs = 5
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    cli = args[0]
    if args[1] == "--import":
        compare_import(cli, args[2], runs)
        return
    tmp = None
    if args[1] == "--synthetic":
        n = int(args[2])
        tmp = tempfile.mkdtemp(prefix="soundalike-bench-")
        features, metadata = os.path.join(tmp, "features.npz"), os.path.join(tmp, "metadata.csv")
        writer = os.path.join(os.path.dirname(cli), "..", "..", "tests", "write-synthetic")
        subprocess.run([writer, tmp, str(n)], check=True)
    else:
        features, metadata = args[1], args[2]

    out = subprocess.run([cli, "bench", "--features", features, "--metadata", metadata],
                         check=True, capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        if not line.startswith("#"):
            name, ms, _ = line.split("\t")
            ours[name] = float(ms)
        else:
            print(line)

    meta, data = tutorial_load(features, metadata)
    theirs = {"load": timed(lambda: tutorial_load(features, metadata), max(1, runs // 2))}
    q = [0]

    def query():
        q[0] = (q[0] + 7919) % len(data)
        d = weighted_eucledian_distance(data, data[q[0]], [0.5, 0.9])
        return np.argsort(d)[:11]

    theirs["query"] = timed(query, runs)
    theirs["reweight"] = theirs["query"]
    f32 = data.astype(np.float32)
    theirs["stream"] = timed(lambda: f32.sum(), runs)

    print("| figure | Soundalike (ms) | tutorial numpy (ms) | numpy / Soundalike |")
    print("|---|---:|---:|---:|")
    # numpy has no store: every open is its load
    theirs["open"] = theirs["load"]
    for k in ["load", "open", "query", "reweight", "stream"]:
        if k in ours:
            print("| %s | %.3f | %.3f | %.1fx |" % (k, ours[k], theirs[k], theirs[k] / ours[k]))
    if "peak_rss_mb" in ours:
        print("| peak_rss_mb | %.1f | | |" % ours["peak_rss_mb"])
    if tmp:
        for f in (features, metadata):
            os.unlink(f)
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
