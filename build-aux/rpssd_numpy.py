#!/usr/bin/python3
"""A vectorised numpy implementation of RP and SSD (docs: shared rp-ssd.md), for timing.

usage: rpssd_numpy.py WAV [--runs R] [--check expected.csv NAME]

rp_extract itself is not installable on this machine (it is not packaged by Debian and
PyPI is not reachable), so the extraction benchmark times this stand-in instead: the same
numpy style as rp_extract (whole-segment array operations, numpy's FFT, scipy-style
moments), written from the specification.  --check compares its output with the
reference values, to show it computes the same thing.
"""
import statistics
import sys
import time
import wave

import numpy as np

L, N, HOP, SR = 262144, 1024, 512, 44100
EDGES = np.array([0, 100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320,
                  2700, 3150, 3700, 4400, 5300, 6400, 7700, 9500, 12000, 15500])
HZ = np.array([31.62, 50, 70.7, 100, 141.4, 200, 316.2, 500, 707.1, 1000, 1414, 1682, 2000, 2515,
               3162, 3976, 5000, 7071, 10000, 11890, 14140, 15500])
DB = np.array([
    [55, 40, 32, 24, 19, 14, 10, 6, 4, 3, 2, 2, 0, -2, -5, -4, 0, 5, 10, 14, 25, 35],
    [66, 52, 43, 37, 32, 27, 23, 21, 20, 20, 20, 20, 19, 16, 13, 13, 18, 22, 25, 30, 40, 50],
    [76, 64, 57, 51, 47, 43, 41, 41, 40, 40, 40, 39.5, 38, 35, 33, 33, 35, 41, 46, 50, 60, 70],
    [89, 79, 74, 70, 66, 63, 61, 60, 60, 60, 60, 59, 56, 53, 52, 53, 56, 61, 65, 70, 80, 90],
    [103, 96, 92, 88, 85, 83, 81, 80, 80, 80, 80, 79, 76, 72, 70, 70, 75, 79, 83, 87, 95, 105],
    [118, 110, 107, 105, 103, 102, 101, 100, 100, 100, 100, 99, 97, 94, 90, 90, 95, 100, 103, 105, 108, 115]])
PHON = np.array([3, 20, 40, 60, 80, 100], dtype=float)

WINDOW = np.hanning(N)
U = np.sum(WINDOW ** 2)
FREQ = np.arange(513) * 22050 / 512
BAND = np.zeros((24, 513))
for b in range(24):
    BAND[b, (FREQ >= EDGES[b]) & (FREQ < EDGES[b + 1])] = 1
D = np.arange(24)[:, None] - np.arange(24)[None, :] + 0.474
SPREAD = 10 ** ((15.81 + 7.5 * D - 17.5 * np.sqrt(1 + D ** 2)) / 10)
CONTOUR = np.array([[np.interp(e, HZ, DB[c]) for e in EDGES[1:]] for c in range(6)])
FQ = np.arange(1, 61) * SR / L
FLUCT = 1 / (FQ / 4 + 4 / FQ)


def read_wav(path):
    with wave.open(path) as w:
        raw = w.readframes(w.getnframes())
        ch = w.getnchannels()
    x = (np.frombuffer(raw, "<i2").astype(np.float32) / np.float32(32768)).reshape(-1, ch)
    x = (x.sum(axis=1, dtype=np.float32) / np.float32(ch)).astype(np.float32)
    return x


def features(x):
    peak = np.max(np.abs(x))
    if peak > 0:
        x = x / peak
    segs = len(x) // L
    rps, ssds = [], []
    for k in range(segs):
        seg = (x[k * L:(k + 1) * L] * np.float32(2867.2)).astype(np.float64)
        frames = np.lib.stride_tricks.sliding_window_view(seg, N)[::HOP] * WINDOW
        p = np.abs(np.fft.rfft(frames, axis=1)) ** 2 / U / (2 * np.pi)
        p[:, 1:] *= 2
        bark = BAND @ p.T                                   # 24 x 511
        db = 10 * np.log10(np.maximum(SPREAD @ bark, 1))
        above = db[None, :, :] > CONTOUR[:5, :, None]       # 5 x 24 x 511
        m = above.sum(axis=0)
        lo = np.clip(m - 1, 0, 4)
        c_lo = np.take_along_axis(CONTOUR[:, :, None].repeat(db.shape[1], 2), lo[None], 0)[0]
        c_hi = np.take_along_axis(CONTOUR[:, :, None].repeat(db.shape[1], 2), lo[None] + 1, 0)[0]
        phon = np.where(m == 0, 3.0, PHON[lo] + (db - c_lo) / (c_hi - c_lo) * (PHON[lo + 1] - PHON[lo]))
        sone = np.where(phon >= 40, 2 ** ((phon - 40) / 10), (phon / 40) ** 2.642)
        mu = sone.mean(axis=1, keepdims=True)
        d = sone - mu
        m2 = (d ** 2).mean(axis=1)
        m3 = (d ** 2 * d).mean(axis=1)
        m4 = ((d ** 2) ** 2).mean(axis=1)
        zero = m2 <= (1e-15 * mu[:, 0]) ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            skew = np.where(zero, 0, m3 / m2 ** 1.5)
            kurt = np.where(zero, 0, m4 / m2 ** 2)
        ssd = np.stack([mu[:, 0], m2, skew, kurt, np.median(sone, axis=1), sone.min(axis=1), sone.max(axis=1)])
        rp = np.abs(np.fft.fft(sone, 512, axis=1))[:, 1:61] / 256 * FLUCT
        rps.append(rp.T.ravel())
        ssds.append(ssd.ravel())
    return np.median(rps, axis=0), np.mean(ssds, axis=0)


def main():
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 7
    x = read_wav(args[0])
    if "--check" in args:
        i = args.index("--check")
        for line in open(args[i + 1]).read().splitlines()[1:]:
            cells = line.split(",")
            if cells[0] == args[i + 2]:
                ref = np.array([float(c) for c in cells[1:]])
        rp, ssd = features(x)
        got = np.concatenate([rp, ssd])
        nz = ref != 0
        print("worst relative error vs reference: %.3g" % np.max(np.abs(got[nz] - ref[nz]) / np.abs(ref[nz])))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        features(x)
        times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)
    print("extract\t%.4f\t%d" % (ms, runs))
    print("realtime_extract\t%.0f\t%d" % (len(x) / SR * 1000 / ms, runs))


if __name__ == "__main__":
    main()
