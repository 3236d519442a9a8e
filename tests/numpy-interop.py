#!/usr/bin/python3
"""Soundalike and numpy read each other's files.

usage: numpy-interop.py WRITE_NPZ SOUNDALIKE_CLI

1. Soundalike writes an .npz; np.load reads identical values, and every array's
   data starts at a multiple of 64 bytes in the file.
2. numpy/pandas write a collection in layouts the fixtures do not cover (fresh
   random data, float64 Fortran order, savez_compressed, extra columns);
   `soundalike-cli info` reports it and `soundalike-cli query` ranks it exactly as
   the tutorial's weighted_eucledian_distance does.
"""
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

write_npz, cli = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="soundalike-interop-")
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


# 1. Soundalike -> numpy
path = os.path.join(tmp, "written.npz")
subprocess.run([write_npz, path, "37"], check=True)
with np.load(path) as npz:
    check(sorted(npz.files) == ["clip_id", "rp", "ssd"], "members rp, ssd, clip_id")
    rp, ssd, ids = npz["rp"], npz["ssd"], npz["clip_id"]
i = np.arange(37)[:, None]
check(rp.dtype == np.float32 and rp.shape == (37, 1440), "rp is float32 37 x 1440")
check(ssd.dtype == np.float32 and ssd.shape == (37, 168), "ssd is float32 37 x 168")
check(ids.dtype == np.int64 and ids.shape == (37,), "clip_id is int64 (37,)")
check(np.array_equal(rp, (i + np.arange(1440)[None, :] / 1024).astype(np.float32)), "rp values identical")
check(np.array_equal(ssd, (-i - np.arange(168)[None, :] / 8).astype(np.float32)), "ssd values identical")
check(np.array_equal(ids, 1000003 * np.arange(37) - 5), "clip_id values identical")
with open(path, "rb") as f:
    raw = f.read()
with zipfile.ZipFile(path) as zf:
    for info in zf.infolist():
        check(info.compress_type == zipfile.ZIP_STORED, "%s is stored" % info.filename)
        o = info.header_offset
        name_len, extra_len = struct.unpack("<HH", raw[o + 26:o + 30])
        start = o + 30 + name_len + extra_len
        header_len = struct.unpack("<H", raw[start + 8:start + 10])[0]
        check((start + 10 + header_len) % 64 == 0, "%s data is 64-byte aligned" % info.filename)

# 2. numpy -> Soundalike
import pandas as pd  # noqa: E402

rng = np.random.default_rng(12345)
n = 700
rp = rng.gamma(2.0, 0.05, (n, 1440))
ssd = rng.gamma(2.0, 3.0, (n, 168))
ids = rng.permutation(50000)[:n].astype(np.int64)
features = os.path.join(tmp, "features.npz")
np.savez_compressed(features, ssd=np.asfortranarray(ssd), rp=np.asfortranarray(rp), clip_id=ids)
meta = pd.DataFrame({
    "clip_id": ids[::-1][: n - 50].astype(float),
    "mp3_path": ["D:/mp3_full/%d.mp3" % k for k in range(n - 50)],
    "title": ["Title %d, \"quoted\"" % k for k in range(n - 50)],
    "artist": ["Artist %d" % (k % 31) for k in range(n - 50)],
    "album": ["Album %d" % (k % 77) for k in range(n - 50)],
    "genre": "test",
})
metadata = os.path.join(tmp, "metadata.csv")
meta.to_csv(metadata)

out = subprocess.run([cli, "info", "--features", features, "--metadata", metadata],
                     check=True, capture_output=True, text=True).stdout
info = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
check(info.get("tracks joined") == str(n - 50), "info: %d joined" % (n - 50))
check(info.get("feature rows without metadata") == "50", "info: 50 feature rows without metadata")

# the tutorial's pipeline (feature-file order after the join; set order as in the file: ssd, rp)
keep = np.isin(ids, meta.clip_id.astype(np.int64))
data = np.concatenate([ssd, rp], axis=1)[keep]
kept_ids = ids[keep]
data = (data - data.mean(axis=0)) / data.std(axis=0)
data = np.nan_to_num(data, 0)
lengths, weights = [168, 1440], [0.9, 0.5]
q = 123
d2 = (data - data[q]) ** 2
start = 0
for length, w in zip(lengths, weights):
    d2[:, start:start + length] *= w / length
    start += length
dist = np.sqrt(d2.sum(axis=1))
order = np.argsort(dist, kind="stable")
order = np.concatenate([[q], order[order != q]])[:11]

out = subprocess.run([cli, "query", "--features", features, "--metadata", metadata,
                      "--clip-id", str(kept_ids[q]), "--top", "10"],
                     check=True, capture_output=True, text=True).stdout.splitlines()
check(out[0] == "rank\tclip_id\tdistance\tartist\ttitle\talbum\tpath", "query: TSV header")
got_ids = [int(line.split("\t")[1]) for line in out[1:]]
got_d = np.array([float(line.split("\t")[2]) for line in out[1:]])
check(got_ids == [int(x) for x in kept_ids[order]], "query: the tutorial's ranking")
rel = np.abs(got_d[1:] - dist[order][1:]) / dist[order][1:]
check(rel.max() < 1e-5, "query: distances within 1e-5 relative (worst %.2g)" % rel.max())

if failures:
    sys.exit("%d check(s) failed" % len(failures))
