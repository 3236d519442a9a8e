#!/usr/bin/python3
"""Regenerates the committed fixtures in tests/data/ (numpy and pandas from Debian).

usage: /usr/bin/python3 tests/make-fixtures.py [tests/data]

Everything is deterministic (fixed seeds), so a re-run gives the same arrays.

formats/    small .npz files numpy wrote in every layout the reader must accept:
            float32/float64, C and Fortran order, little- and big-endian, integer
            dtypes, np.savez (stored) and np.savez_compressed (deflated), and .npy
            format versions 2.0 and 3.0.  Every array holds A[i, j] = 10*i + j + 0.25
            (integer arrays: 3*k - 7), so the C test checks values by formula.
worked/     the tutorial's 10-track spectral-centroid example (mean, std).
tutorial/   a collection in the tutorial's layout: features.npz (rp, ssd, clip_id),
            metadata.csv (pandas to_csv, clip_id written as 42150.0, real rows of the
            tutorial's metadata CSV plus made-up ones), and expected.csv: the top-11
            clip ids and distances of several queries, computed by the tutorial's own
            functions (eucledian_distance, scaled_eucledian_distance,
            weighted_eucledian_distance) after its join, re-ordering, z-scoring and
            nan_to_num, plus weighted Manhattan and cosine distances.
"""
import io
import os
import sys
import zipfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
TUTORIAL_CSV = os.path.join(HERE, "data", "ismir2018_tut_part_1_genres_metadata_subset.csv")


def grid(rows, cols, dtype):
    a = np.array([[10 * i + j + 0.25 for j in range(cols)] for i in range(rows)])
    return a.astype(dtype)


def ints(n, dtype):
    return (3 * np.arange(n) - 7).astype(dtype) if np.dtype(dtype).kind == "i" else (3 * np.arange(n) + 7).astype(dtype)


def npz_with_versions(path, arrays, version):
    """An .npz whose members use a given .npy format version (np.savez always picks 1.0)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, a, version=version)
            zf.writestr(name + ".npy", buf.getvalue())


def make_formats(out):
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, "f32_c_savez.npz"), a=grid(5, 3, "<f4"), v=grid(1, 7, "<f4")[0])
    np.savez_compressed(os.path.join(out, "f64_c_compressed.npz"), a=grid(5, 3, "<f8"))
    np.savez(os.path.join(out, "f64_fortran_savez.npz"), a=np.asfortranarray(grid(5, 3, "<f8")))
    np.savez_compressed(os.path.join(out, "f32_fortran_compressed.npz"),
                        a=np.asfortranarray(grid(5, 3, "<f4")))
    np.savez(os.path.join(out, "big_endian.npz"), a=grid(5, 3, ">f4"), b=grid(5, 3, ">f8"),
             i=ints(6, ">i8"), j=ints(6, ">i4"))
    np.savez_compressed(os.path.join(out, "integers.npz"), i4=ints(6, "<i4"), i8=ints(6, "<i8"),
                        u4=ints(6, "<u4"), u8=ints(6, "<u8"))
    npz_with_versions(os.path.join(out, "npy_v2.npz"), {"a": grid(5, 3, "<f4")}, (2, 0))
    npz_with_versions(os.path.join(out, "npy_v3.npz"), {"a": grid(5, 3, "<f8")}, (3, 0))
    # unsupported dtypes / shapes, for error tests
    np.savez(os.path.join(out, "float16.npz"), a=grid(5, 3, "<f2"))
    np.savez(os.path.join(out, "three_d.npz"), a=np.zeros((2, 2, 2), "<f4"))
    # tiny collections for the loader: every layout gives the same collection
    rng = np.random.default_rng(7)
    rp = rng.random((6, 1440)).astype("<f4")
    ssd = (rng.random((6, 168)) * 10).astype("<f4")
    ids = np.array([11, 12, 13, 14, 15, 16], dtype="<i8")
    np.savez(os.path.join(out, "small_f32.npz"), rp=rp, ssd=ssd, clip_id=ids)
    np.savez_compressed(os.path.join(out, "small_f64_fortran_be.npz"),
                        rp=np.asfortranarray(rp.astype(">f8")), ssd=np.asfortranarray(ssd.astype(">f8")),
                        clip_id=ids.astype(">i4"))
    np.savez(os.path.join(out, "small_extra_set.npz"), rp=rp, ssd=ssd, clip_id=ids,
             mfcc=grid(6, 20, "<f4"), labels=ids.astype("<i8").reshape(6, 1), notes=np.zeros(3, "<f4"))
    bad = rp.copy()
    bad[3, 17] = np.nan
    np.savez(os.path.join(out, "small_nan.npz"), rp=bad, ssd=ssd, clip_id=ids)
    bad = ssd.copy()
    bad[2, 5] = np.inf
    np.savez(os.path.join(out, "small_inf.npz"), rp=rp, ssd=bad, clip_id=ids)
    np.savez(os.path.join(out, "small_rows_differ.npz"), rp=rp, ssd=ssd[:5], clip_id=ids)
    np.savez(os.path.join(out, "small_no_clip_id.npz"), rp=rp, ssd=ssd)
    dup = ids.copy()
    dup[4] = 12
    np.savez(os.path.join(out, "small_duplicates.npz"), rp=rp, ssd=ssd, clip_id=dup)


def make_worked(out):
    os.makedirs(out, exist_ok=True)
    centroid = np.array([
        [1517.5993814237531, 291.1855836731788],
        [1659.1988993873124, 327.64811981777865],
        [1507.4617047141264, 340.8830079395701],
        [1597.6019371942953, 507.1007933367403],
        [1498.8531206911534, 288.3780838480238],
        [535.5910732230583, 89.90893994909047],
        [2261.4032345595674, 353.5971736260454],
        [2331.881852844861, 406.33517225264194],
        [1868.690426450363, 342.7489751514078],
        [2204.6324484864085, 328.94334883095553],
    ])
    np.savez(os.path.join(out, "centroid.npz"), centroid=centroid, clip_id=np.arange(10))


# ---- the tutorial's own code (part 2a), verbatim but for the variable names ----
featureset_lengths = [1440, 168]


def eucledian_distance(feature_space, query_vector):
    return np.sqrt(np.sum((feature_space - query_vector) ** 2, axis=1))


def scaled_eucledian_distance(feature_space, query_vector):
    distances = (feature_space - query_vector) ** 2
    start_idx = 0
    for sequence_length in featureset_lengths:
        stop_idx = start_idx + sequence_length
        distances[:, start_idx:stop_idx] /= sequence_length
        start_idx = stop_idx
    return np.sqrt(np.sum(distances, axis=1))


def weighted_eucledian_distance(feature_space, query_vector, featureset_weights):
    distances = (feature_space - query_vector) ** 2
    start_idx = 0
    for sequence_length, weight in zip(featureset_lengths, featureset_weights):
        stop_idx = start_idx + sequence_length
        distances[:, start_idx:stop_idx] /= sequence_length
        distances[:, start_idx:stop_idx] *= weight
        start_idx = stop_idx
    return np.sqrt(np.sum(distances, axis=1))


# ---- the two metrics the tutorial does not have, defined the same way ----
def weighted_manhattan_distance(feature_space, query_vector, featureset_weights):
    distances = np.abs(feature_space - query_vector)
    start_idx = 0
    for sequence_length, weight in zip(featureset_lengths, featureset_weights):
        stop_idx = start_idx + sequence_length
        distances[:, start_idx:stop_idx] *= weight / sequence_length
        start_idx = stop_idx
    return np.sum(distances, axis=1)


def weighted_cosine_distance(feature_space, query_vector, featureset_weights):
    scale = np.concatenate([np.full(n, np.sqrt(w / n)) for n, w in zip(featureset_lengths, featureset_weights)])
    a = feature_space * scale
    b = query_vector * scale
    return 1.0 - (a @ b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b))


def make_tutorial(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2018)
    real = pd.read_csv(TUTORIAL_CSV, index_col=0)

    n_real = len(real)                  # 1998 real metadata rows
    n_tracks = 2600                     # feature rows
    n_clusters = 40
    # clip ids: most real rows have features, some do not; some features have no metadata
    real_ids = real.clip_id.to_numpy()
    with_features = rng.permutation(n_real)[: n_real - 60]          # 60 metadata rows without features
    extra_ids = np.arange(100000, 100000 + n_tracks - len(with_features))
    ids = np.concatenate([real_ids[with_features], extra_ids])
    ids = ids[rng.permutation(len(ids))]

    # features with cluster structure, quantised so that the file compresses
    c_rp = rng.gamma(2.0, 0.02, (n_clusters, 1440))
    c_ssd = rng.gamma(2.0, 2.0, (n_clusters, 168))
    which = rng.integers(0, n_clusters, n_tracks)
    rp = c_rp[which] * rng.lognormal(0, 0.35, (n_tracks, 1440))
    ssd = c_ssd[which] * rng.lognormal(0, 0.25, (n_tracks, 168))
    rp = (np.round(rp * 4096) / 4096).astype(np.float32)
    ssd = (np.round(ssd * 256) / 256).astype(np.float32)
    rp[:, 5] = 0.125          # constant dimensions: zero variance, as in silent bands
    ssd[:, 100] = 3.0
    np.savez_compressed(os.path.join(out, "features.npz"), rp=rp, ssd=ssd, clip_id=ids.astype(np.int64))

    # metadata: the real rows (all of them), plus made-up rows for 500 of the extra ids
    made_up = pd.DataFrame({
        "clip_id": extra_ids[:500],
        "mp3_path": ["D:/Research/Data/MIR/MagnaTagATune/mp3_full/%x/made_up-%d.mp3" % (i % 16, i) for i in range(500)],
        "track_number": (np.arange(500) % 12) + 1,
        "title": ["Made-up \"track\", no. %d" % i for i in range(500)],
        "artist": ["Synthetic Ensemble %d" % (i % 37) for i in range(500)],
        "album": ["Études, vol. %d" % (i % 91) for i in range(500)],
        "url": "", "segmentStart": 30, "segmentEnd": 59, "original_url": "",
    }, index=np.arange(40000, 40500))
    meta = pd.concat([real, made_up])
    meta = meta.iloc[rng.permutation(len(meta))]
    meta["clip_id"] = meta["clip_id"].astype(float)  # written as 42150.0, as in the tutorial's CSVs
    meta.to_csv(os.path.join(out, "metadata.csv"))

    # ---- the tutorial's pipeline on these files ----
    with np.load(os.path.join(out, "features.npz")) as npz:
        features_rp = npz["rp"]
        features_ssd = npz["ssd"]
        clip_id = npz["clip_id"]
    feature_metadata = pd.DataFrame({"featurespace_id": np.arange(features_rp.shape[0]), "clip_id": clip_id})
    metadata = pd.read_csv(os.path.join(out, "metadata.csv"), index_col=0)
    metadata = metadata.reset_index()
    # the tutorial's merge (left_on together with left_index is refused by newer pandas; the join is the same)
    metadata = metadata.merge(feature_metadata, on="clip_id", how="inner")
    metadata = metadata.set_index("index")
    # float64: the exact values (the tutorial's features were float64 too)
    feature_data = np.concatenate([features_rp, features_ssd], axis=1).astype(np.float64)
    metadata.sort_values("featurespace_id", inplace=True)
    feature_data = feature_data[metadata.featurespace_id]
    metadata["featurespace_id"] = np.arange(metadata.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        feature_data -= feature_data.mean(axis=0)
        feature_data /= feature_data.std(axis=0)
    feature_data = np.nan_to_num(feature_data, 0)

    rows = []
    queries = [0, 17, 404, 1102, 1500, len(metadata) - 1]
    for q in queries:
        qv = feature_data[q]
        for name, dist in [
            ("euclidean", eucledian_distance(feature_data, qv)),
            ("scaled", scaled_eucledian_distance(feature_data, qv)),
            ("weighted", weighted_eucledian_distance(feature_data, qv, [0.5, 0.9])),
            ("manhattan", weighted_manhattan_distance(feature_data, qv, [0.5, 0.9])),
            ("cosine", weighted_cosine_distance(feature_data, qv, [0.5, 0.9])),
        ]:
            order = np.argsort(dist, kind="stable")
            order = np.concatenate([[q], order[order != q]])[:11]  # the query is rank 0
            for rank, i in enumerate(order):
                rows.append((name, int(metadata.clip_id.iloc[q]), rank, int(metadata.clip_id.iloc[i]), repr(float(dist[i]))))
    pd.DataFrame(rows, columns=["function", "query_clip_id", "rank", "clip_id", "distance"]).to_csv(
        os.path.join(out, "expected.csv"), index=False)
    with open(os.path.join(out, "counts.txt"), "w") as f:
        f.write("feature_rows %d\nmetadata_rows %d\njoined %d\n" % (len(ids), len(meta), len(metadata)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "data")
    make_formats(os.path.join(out, "formats"))
    make_worked(os.path.join(out, "worked"))
    make_tutorial(os.path.join(out, "tutorial"))


if __name__ == "__main__":
    main()
