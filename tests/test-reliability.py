#!/usr/bin/python3
"""Hostile but legitimate feature files, metadata and options (issue 12), through the CLI.

usage: test-reliability.py SOUNDALIKE_CLI

Every ranking is compared with numpy's float64 z-score (the tutorial's weighted
Euclidean distance); every refusal must be one line that names the file or option.
TAP output.
"""
import gzip
import io
import os
import resource
import stat
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

cli = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="soundalike-reliability-")
n_tests = 0
failures = 0


def check(cond, what):
    global n_tests, failures
    n_tests += 1
    print(("ok %d - " if cond else "not ok %d - ") % n_tests + what)
    if not cond:
        failures += 1


def run(*args, timeout=60):
    p = subprocess.run([cli] + [a if isinstance(a, bytes) else str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout, errors="replace")
    return p.returncode, p.stdout, p.stderr


def path(name):
    return os.path.join(tmp, name)


def reference(sets, weights, q, top):
    """The tutorial's ranking: z-score every column over the collection in float64."""
    data = np.concatenate([np.asarray(s, dtype=np.float64) for s in sets], axis=1)
    with np.errstate(all="ignore"):
        z = np.nan_to_num((data - data.mean(axis=0)) / data.std(axis=0), nan=0.0, posinf=0.0,
                          neginf=0.0)
    d2 = (z - z[q]) ** 2
    start = 0
    for s, w in zip(sets, weights):
        d2[:, start:start + s.shape[1]] *= w / s.shape[1]
        start += s.shape[1]
    dist = np.sqrt(d2.sum(axis=1))
    order = np.argsort(dist, kind="stable")
    order = order[order != q][:top]
    return order, dist


def query(features, clip_id, *extra, top=10):
    rc, out, err = run("query", "--features", features, "--clip-id", clip_id, "--top", top, *extra)
    if rc != 0:
        return rc, None, None, err
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    return rc, [int(r[1]) for r in rows], np.array([float(r[2]) for r in rows]), err


def same_ranking(name, sets, ids, q=3, weights=(0.5, 0.9), extra=(), check_dist=True, **arrays):
    f = path(name + ".npz")
    np.savez(f, clip_id=ids, **arrays)
    order, dist = reference(sets, weights, q, 10)
    rc, got, got_d, err = query(f, ids[q], *extra)
    check(rc == 0, "%s: query runs (%s)" % (name, err.strip()))
    if rc != 0:
        return
    check(got[1:] == [int(x) for x in ids[order]], "%s: numpy's ranking" % name)
    check(np.all(np.isfinite(got_d)) and np.all(got_d[1:] > 0), "%s: finite, non-zero distances" % name)
    if check_dist:
        rel = np.abs(got_d[1:] - dist[order]) / dist[order]
        check(rel.max() < 1e-4, "%s: numpy's distances (worst %.2g)" % (name, rel.max()))


rng = np.random.default_rng(2026)
n = 60
ids = np.arange(100, 100 + n, dtype=np.int64)
rp = rng.random((n, 1440)).astype(np.float32)
ssd = rng.random((n, 168)).astype(np.float32)

# ---- 1. numerics ----
same_ranking("tiny-set", [rp * np.float32(1e-30), ssd], ids, rp=rp * np.float32(1e-30), ssd=ssd)
den = (rp * np.float32(1e-39)).astype(np.float32)  # float32 denormals
same_ranking("denormal-set", [den, ssd], ids, rp=den, ssd=ssd)
big = ((rp.astype(np.float64) - 0.5) * 6e38).astype(np.float32)  # near +-3e38
same_ranking("huge-set", [big, ssd], ids, rp=big, ssd=ssd)
mixed = ssd.copy()
mixed[:, 0] *= np.float32(1e-30)
mixed[:, 1] = (mixed[:, 1] * np.float32(1e-40)).astype(np.float32)
mixed[:, 2] = ((mixed[:, 2].astype(np.float64) - 0.5) * 6e38).astype(np.float32)
mixed[:, 3] = 1e-30  # constant: contributes nothing
same_ranking("mixed-columns", [rp, mixed], ids, rp=rp, ssd=mixed)
f64 = rp.astype(np.float64) * 1e-200
same_ranking("f64-beyond-float", [f64, ssd], ids, rp=f64, ssd=ssd)
offset = (rp.astype(np.float64) * 1e-3 + 1e7)
same_ranking("f64-large-offset", [offset, ssd], ids, rp=offset, ssd=ssd)
# without standardization the raw differences count: a tiny set adds ~nothing
rc, got, got_d, err = query(path("tiny-set.npz"), ids[3], "--no-standardize")
order, _ = reference([np.zeros_like(rp), ssd], (0.5, 0.9), 3, 10)
check(rc == 0 and np.all(np.isfinite(got_d)), "--no-standardize on a tiny set: finite (%s)" % err.strip())

# ---- weights that would overflow, hex, duplicate keys ----
good = path("good.npz")
np.savez(good, rp=rp, ssd=ssd, clip_id=ids)
for w, expect in [("ssd=1e308", "a weight goes from 0 to 1000000"), ("rp=0x10", "not a decimal"),
                  ("rp=inf", "not a decimal"), ("rp=nan", "not a decimal"),
                  ("rp=1,rp=0", "given twice"), ("rp=-1", "negative")]:
    rc, out, err = run("query", "--features", good, "--clip-id", 100, "--weights", w)
    check(rc != 0 and expect in err and "--weights" in err, "--weights %s refused: %s" % (w, err.strip()))
rc, got, got_d, err = query(good, 100, "--weights", "rp=1e6,ssd=1e6")
check(rc == 0 and np.all(np.isfinite(got_d)), "the largest weights give finite distances")
for cid in ["0x64", "1e2x", "inf"]:
    rc, out, err = run("query", "--features", good, "--clip-id", cid)
    check(rc != 0 and "--clip-id" in err, "--clip-id %s refused: %s" % (cid, err.strip()))
rc, out, err = run("query", "--features", good, "--title", b"caf\xe9")
check(rc != 0 and "--title" in err and "UTF-8" in err, "invalid UTF-8 names the option: %s" % err.strip())

# compressed members of 5,000 rows are inflated whole and stored by two threads, each half
# with ranges of its own: the same numerics, and the first bad value in row order is named
nb = 5000
ids_b = np.arange(7, 7 + nb, dtype=np.int64)
rp_b = rng.standard_normal((nb, 1440))
rp_b[:, 0] *= 1e-200  # beyond float: centred and scaled
rp_b[:, 1] = rp_b[:, 1] * 1e-3 + 1e7  # a large offset
rp_b[:, 2] = -0.0  # constant (negative zeros)
rp_b[nb // 2:, 2] = 0.0
rp_b[nb - 1, 3] = 1e6  # the range of a column ends in the later half
ssd_b = rng.standard_normal((nb, 168)).astype(np.float32)
f = path("halves.npz")
np.savez_compressed(f, clip_id=ids_b, rp=rp_b, ssd=ssd_b)
order, dist = reference([rp_b, ssd_b], (0.5, 0.9), 11, 10)
rc, got, got_d, err = query(f, ids_b[11])
check(rc == 0 and got[1:] == [int(x) for x in ids_b[order]], "compressed 5,000 rows in halves: numpy's ranking")
check(rc == 0 and np.abs(got_d[1:] - dist[order]).max() / dist[order].max() < 1e-4,
      "compressed 5,000 rows in halves: numpy's distances")
# the 54 MB rp member is inflated in parts (one per core) when they can be found: a damaged
# byte in its later part is still found, and reported as one inflate from the start does
with zipfile.ZipFile(f) as z:
    info = z.getinfo("rp.npy")
    name_len, extra_len = struct.unpack("<HH", open(f, "rb").read()[info.header_offset + 26:info.header_offset + 30])
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size * 3 // 4
damaged = bytearray(open(f, "rb").read())
damaged[at] ^= 0x10
fd = path("halves-damaged.npz")
open(fd, "wb").write(bytes(damaged))
rc, out, err = run("info", "--features", fd)
check(rc == 1 and fd in err and "rp" in err and ("corrupt" in err or "CRC" in err),
      "a damaged byte late in a member inflated in parts is reported: %s" % err.strip()[:200])
# the same member with a wrong CRC-32 in both of its headers (the data intact): the CRC, checked
# in parts and on two threads, refuses it
crc_bad = bytearray(open(f, "rb").read())
with zipfile.ZipFile(f) as z:
    info = z.getinfo("rp.npy")
crc_at = [info.header_offset + 14]
central = crc_bad.rfind(b"PK\x01\x02", 0, len(crc_bad))
while central >= 0:
    name_len = struct.unpack("<H", crc_bad[central + 28:central + 30])[0]
    if crc_bad[central + 46:central + 46 + name_len] == b"rp.npy":
        crc_at.append(central + 16)
    central = crc_bad.rfind(b"PK\x01\x02", 0, central)
check(len(crc_at) == 2, "the rp member's two CRC fields are found")
for a in crc_at:
    crc_bad[a] ^= 0x01
fc = path("halves-crc.npz")
open(fc, "wb").write(bytes(crc_bad))
rc, out, err = run("info", "--features", fc)
check(rc == 1 and fc in err and "rp" in err and "CRC-32 mismatch" in err,
      "a wrong CRC-32 of a large member is reported: %s" % err.strip()[:200])
for name, bad_rows in (("nan-both-halves", (100, 4000)), ("nan-later-half", (4000, 4500))):
    rp_n = rp_b.copy()
    for r in bad_rows:
        rp_n[r, 5] = np.nan
    f = path(name + ".npz")
    np.savez_compressed(f, clip_id=ids_b, rp=rp_n, ssd=ssd_b)
    rc, out, err = run("info", "--features", f)
    check(rc == 1 and "row %d (clip_id %d), column 5 is NaN" % (bad_rows[0], ids_b[bad_rows[0]]) in err,
          "%s: the first bad row is named: %s" % (name, err.strip()))

# ---- 2. npz members as numpy reads them ----
def npy(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()


def write_zip(name, members):
    f = path(name)
    with zipfile.ZipFile(f, "w") as z:
        for mname, data in members:
            z.writestr(mname, data)
    return f


import warnings  # noqa: E402
warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
other = rng.random((n, 1440)).astype(np.float32)
f = write_zip("duplicate-member.npz", [("rp.npy", npy(other)), ("ssd.npy", npy(ssd)),
                                        ("clip_id.npy", npy(ids)), ("rp.npy", npy(rp))])
with np.load(f) as z:
    check(np.array_equal(z["rp"], rp), "numpy reads the last copy of a duplicated member")
order, dist = reference([rp, ssd], (0.5, 0.9), 3, 10)
rc, got, _, err = query(f, ids[3])
check(rc == 0 and got[1:] == [int(x) for x in ids[order]], "a duplicated member: the last copy, as numpy")
rc, out, err = run("info", "--features", f)
check("the last copy is used" in out, "info says which copy of a duplicated member is used")

f = write_zip("readme-member.npz", [("rp.npy", npy(rp)), ("ssd.npy", npy(ssd)),
                                     ("clip_id.npy", npy(ids)), ("README.txt", b"hello\n"),
                                     ("sub/", b"")])
rc, out, err = run("info", "--features", f)
check(rc == 0 and "README.txt" in out and "sub/" in out and "ignored" in out,
      "non-.npy members are ignored and listed by info (%s)" % err.strip())

tags = rng.random((n, 5)).astype(np.float32)
f = path("extra-set.npz")
np.savez(f, rp=rp, ssd=ssd, clip_id=ids, tags=tags)
rc, out, err = run("info", "--features", f)
check(rc == 0 and "feature set\ttags\t5" in out and "default weight\ttags\t0" in out,
      "an extra set is shown by info with weight 0")
order, _ = reference([rp, ssd], (0.5, 0.9), 3, 10)
rc, got, _, err = query(f, ids[3])
check(rc == 0 and got[1:] == [int(x) for x in ids[order]], "an extra set does not change the ranking by default")
order, _ = reference([rp, ssd, tags], (0.5, 0.9, 1.0), 3, 10)
rc, got, _, err = query(f, ids[3], "--weights", "tags=1")
check(rc == 0 and got[1:] == [int(x) for x in ids[order]], "--weights tags=1 turns the extra set on")

# the next class: archives that are large in members, odd names, a FIFO behind a symlink
f = path("many-members.npz")
with zipfile.ZipFile(f, "w") as z:
    z.writestr("rp.npy", npy(rp))
    z.writestr("ssd.npy", npy(ssd))
    z.writestr("clip_id.npy", npy(ids))
    for k in range(5000):
        z.writestr("x%d" % k, b"")
rc, out, err = run("info", "--features", f)
check(rc == 1 and "5003 members" in err and f in err, "5,003 members are refused: %s" % err.strip())
f = path("latin1-member-name.npz")
with zipfile.ZipFile(f, "w") as z:
    z.writestr("rp.npy", npy(rp))
    z.writestr("ssd.npy", npy(ssd))
    z.writestr("clip_id.npy", npy(ids))
    info = zipfile.ZipInfo("caf\xe9.npy")
    z.writestr(info, npy(tags))
raw = bytearray(open(f, "rb").read())
for sig in (b"PK\x03\x04", b"PK\x01\x02"):
    i = raw.find(sig + b"", 0)
    while i >= 0:
        j = raw.find("caf\xe9".encode("utf-8"), i, i + 200)
        if j > 0:
            raw[j:j + 5] = b"caf\xe9" + b"_"  # same length, not UTF-8
        i = raw.find(sig, i + 4)
open(f, "wb").write(bytes(raw))
rc, out, err = run("info", "--features", f)
check(rc == 0 and "feature set\trp\t1440" in out, "a member name that is not UTF-8 does not stop the file: %s" % err.strip())

# ---- 4. not regular files, and unclear inputs ----
fifo = path("features.fifo")
os.mkfifo(fifo)
link = path("link-to-fifo.npz")
os.symlink(fifo, link)
rc, out, err = run("info", "--features", link, timeout=20)
check(rc == 1 and "pipe" in err, "a symlink to a FIFO is refused: %s" % err.strip())
for opt in ["--features", "--metadata"]:
    args = ["info", "--features", good] if opt == "--metadata" else ["info"]
    for special, word in [(fifo, "pipe"), ("/dev/zero", "device"), ("/proc/self/status", "special file"),
                          (tmp, "folder")]:
        try:
            rc, out, err = run(*(args + [opt, special]), timeout=20)
        except subprocess.TimeoutExpired:
            rc, err = None, "hangs"
        check(rc == 1 and special in err and word in err, "%s %s refused: %s" % (opt, special, err.strip()))

csvp = path("header-only.csv")
with open(csvp, "w") as fh:
    fh.write(",clip_id,title\n")
rc, out, err = run("info", "--features", good, "--metadata", csvp)
check(rc == 1 and csvp in err and "no rows" in err, "a header-only CSV: %s" % err.strip())
gz = path("metadata.csv.gz")
with gzip.open(gz, "wt") as fh:
    fh.write(",clip_id,title\n0,100,a\n")
rc, out, err = run("info", "--features", good, "--metadata", gz)
check(rc == 1 and gz in err and "gunzip" in err, "a gzip-compressed CSV: %s" % err.strip())

# a partial match: 100 of 240 tracks
ids240 = np.arange(1, 241, dtype=np.int64)
f240 = path("f240.npz")
np.savez(f240, rp=rng.random((240, 1440)).astype(np.float32), ssd=rng.random((240, 168)).astype(np.float32),
         clip_id=ids240)
m100 = path("m100.csv")
with open(m100, "w") as fh:
    fh.write(",clip_id,title\n" + "".join("%d,%d,t%d\n" % (k, k + 1, k) for k in range(100)))
rc, out, err = run("info", "--features", f240, "--metadata", m100)
check(rc == 0 and "140 of 240 tracks left out" in out, "info: a partial join says how many were left out")

# a 1-row collection: the default --top is clamped, and said so
f1 = path("one.npz")
np.savez(f1, rp=rp[:1], ssd=ssd[:1], clip_id=ids[:1])
rc, out, err = run("query", "--features", f1, "--clip-id", ids[0])
check(rc == 0 and len(out.splitlines()) == 2 and "0 other tracks" in err,
      "a 1-row collection: the query alone, and a note (%s)" % err.strip())

# ---- 5. costly small files: peak memory stays small ----
def peak_rss_mb(*args):
    """The command's peak RSS, measured from a small fresh process (a forked child
    inherits its parent's high-water mark)."""
    helper = ("import os, subprocess, sys\n"
              "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
              "_, status, usage = os.wait4(p.pid, 0)\n"
              "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")
    p = subprocess.run([sys.executable, "-c", helper, cli] + [str(a) for a in args],
                       capture_output=True, text=True)
    rc, kb = p.stdout.split()
    return int(rc), int(kb) / 1024, p.stderr


# a 2 GB sparse clip_id (stored) whose rp says 4 rows: refused before the ids are read
sparse = path("sparse-clip-id.npz")
rows = 250_000_000
hdr = npy(np.zeros(0, dtype=np.int64))
h = hdr[:hdr.index(b"{")] + b"{'descr': '<i8', 'fortran_order': False, 'shape': (%d,), }" % rows
h = h + b" " * ((64 - (len(h) + 1) % 64) % 64) + b"\n"
h = h[:8] + struct.pack("<H", len(h) - 10) + h[10:]
with zipfile.ZipFile(sparse, "w", allowZip64=True) as z:
    z.writestr("rp.npy", npy(rp[:4]))
    z.writestr("ssd.npy", npy(ssd[:4]))
    with z.open("clip_id.npy", "w", force_zip64=True) as m:
        m.write(h)
        block = b"\0" * (1 << 24)
        for _ in range(rows * 8 // len(block)):
            m.write(block)
        m.write(b"\0" * (rows * 8 % len(block)))
rc, mb, err = peak_rss_mb("info", "--features", sparse)
check(rc == 1 and "rows" in err, "a 2 GB clip_id with 4-row sets is refused: %s" % err.strip())
check(mb < 200, "... using %.0f MB at most" % mb)
print("# peak RSS: sparse clip_id %.0f MB" % mb)
os.unlink(sparse)

# a deflate bomb: a 1.5 MB clip_id that inflates to 1.5 GB (190 M ids) next to 4-row sets
bomb = path("bomb.npz")
bn = 190_000_000
with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("rp.npy", npy(rp[:4]))
    z.writestr("ssd.npy", npy(ssd[:4]))
    with z.open("clip_id.npy", "w", force_zip64=True) as m:
        hb = npy(np.zeros(0, np.int64)).replace(b"(0,)", b"(%d,)" % bn)
        hb = hb[:-1 - len(b"%d" % bn) + 1] + b"\n"
        m.write(hb)
        zero = b"\0" * (1 << 24)
        for _ in range(bn * 8 // len(zero)):
            m.write(zero)
        m.write(b"\0" * (bn * 8 % len(zero)))
size_mb = os.path.getsize(bomb) / 1e6
rc, mb, err = peak_rss_mb("info", "--features", bomb)
check(rc == 1 and "rows" in err, "a %.1f MB deflate bomb in clip_id is refused: %s" % (size_mb, err.strip()[:200]))
check(mb < 200, "... using %.0f MB at most" % mb)
print("# peak RSS: bomb %.0f MB" % mb)
os.unlink(bomb)

print("1..%d" % n_tests)
sys.exit(1 if failures else 0)
