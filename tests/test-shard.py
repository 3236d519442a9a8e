#!/usr/bin/python3
"""soundalike-cli analyze --shard K/N and merge, end to end, on generated audio.

usage: test-shard.py SOUNDALIKE_CLI SIGNALS_DIR

Checks: four shards run under GNU parallel and merged equal one plain analyze of the
same folder (the same rows, clip ids, paths and metadata; bit-identical features); each
file is in the shard the documented hash names (1 + first 8 bytes of SHA-256 of the path
in the folder, big-endian, mod N); invalid --shard values are refused before anything is
written; overlapping shards and an existing output merge to the same result; a missing
or non-collection input is refused, naming the folder, and nothing is written; a shard's
re-run removes only its own files' rows.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import numpy as np
import pandas as pd

cli, signals = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
tmp = tempfile.mkdtemp(prefix="soundalike-shard-")
failures = []
n_checks = 0


def check(cond, what):
    global n_checks
    n_checks += 1
    what = what.replace("\n", " | ")
    print(("ok %d - " if cond else "not ok %d - ") % n_checks + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([cli, *args], capture_output=True, text=True)


def load(out):
    with np.load(os.path.join(out, "features.npz")) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = pd.read_csv(os.path.join(out, "metadata.csv"), index_col=0, keep_default_na=False,
                       dtype=str)
    errors = pd.read_csv(os.path.join(out, "errors.csv"), keep_default_na=False, dtype=str)
    return arrays, meta, errors


def same(a, b):
    """What differs between two collections, or None."""
    fa, ma, ea = load(a)
    fb, mb, eb = load(b)
    if sorted(fa) != sorted(fb):
        return "members %s vs %s" % (sorted(fa), sorted(fb))
    for k in fa:
        if fa[k].dtype != fb[k].dtype or not np.array_equal(fa[k], fb[k]):
            return "array %s differs" % k
    if not ma.equals(mb):
        return "metadata differs:\n%s\n%s" % (ma, mb)
    if sorted(map(tuple, ea.values.tolist())) != sorted(map(tuple, eb.values.tolist())):
        return "failures differ: %s vs %s" % (ea.values.tolist(), eb.values.tolist())
    return None


def shard_of(rel, n):
    """The documented split: on the bytes of the path in the folder (str: as os.fsencode)."""
    raw = rel if isinstance(rel, bytes) else os.fsencode(rel)
    return 1 + int.from_bytes(hashlib.sha256(raw).digest()[:8], "big") % n


def relative(stored):
    """A stored path (a file:// URI for a name that is not UTF-8) relative to the folder."""
    if stored.startswith("file://"):
        path = urllib.parse.unquote_to_bytes(stored[len("file://"):])
    else:
        path = os.fsencode(stored)
    return os.path.relpath(path, os.fsencode(music))


# a folder: 16 good files in nested folders, names with spaces, quotes and non-ASCII, two bad ones
music = os.path.join(tmp, "music")
good = ["chord_tremolo_4hz", "clicks_120bpm", "pink_am_2hz", "sine440_m6dBFS", "stereo_diff",
        "white_noise", "short_7s", "log_sweep_f32"]
files = []
for album, folder in enumerate(["Artist A/First", "Artist B/Säge, \"zwei\"", ""]):
    d = os.path.join(music, folder)
    os.makedirs(d, exist_ok=True)
    for k, name in enumerate(good[: 6 if album < 2 else 4]):
        rel = os.path.join(folder, "%02d %s.wav" % (k + 1, name))
        shutil.copy(os.path.join(signals, name + ".wav"), os.path.join(music, rel))
        files.append(rel)
# a name that is not UTF-8 (Latin-1 "café"): stored as a file:// URI, split on its bytes
shutil.copy(os.path.join(signals, "stereo_diff.wav"), os.path.join(os.fsencode(music), b"caf\xe9.wav"))
files.append(b"caf\xe9.wav")
shutil.copy(os.path.join(signals, "too_short_5s.wav"), os.path.join(music, "too_short.wav"))
with open(os.path.join(music, "Artist A", "garbage.mp3"), "wb") as f:
    f.write(bytes(range(256)) * 20)
bad = ["too_short.wav", "Artist A/garbage.mp3"]

# 1. one plain analyze
plain = os.path.join(tmp, "plain")
r = run("analyze", music, "--output", plain, "--quiet")
check(r.returncode == 0, "plain analyze exits 0 " + r.stderr)
fa, ma, ea = load(plain)
check(len(ma) == len(files) and fa["rp"].shape == (len(files), 1440), "plain: %d rows" % len(ma))
check(len(ea) == len(bad), "plain: the bad files in errors.csv")

# 2. four shards under GNU parallel, then merge
r = subprocess.run(["parallel", "--will-cite", "--halt", "now,fail=1", "-j", "4",
                    cli, "analyze", music, "--output", os.path.join(tmp, "shard{}"), "--quiet",
                    "--jobs", "1", "--shard", "{}/4", ":::", "1", "2", "3", "4"],
                   capture_output=True, text=True)
check(r.returncode == 0, "four shards under GNU parallel exit 0 " + r.stderr)
shards = [os.path.join(tmp, "shard%d" % k) for k in range(1, 5)]
seen = []
for k, s in enumerate(shards, 1):
    _, m, e = load(s)
    rels = [relative(p) for p in m.mp3_path]
    seen += rels
    check(all(shard_of(rel, 4) == k for rel in rels),
          "shard %d holds only files whose SHA-256 says %d: %s" % (k, k, rels))
    check(all(shard_of(relative(p), 4) == k for p in e.path),
          "shard %d lists only its own failures" % k)
check(sorted(seen) == sorted(os.fsencode(f) for f in files),
      "the shards together hold every file once (the Latin-1 name too)")
check(any(p.startswith("file://") for p in ma.mp3_path), "the Latin-1 name is stored as a URI")
check(sum(1 for s in shards if len(load(s)[1]) > 0) >= 3, "the split spreads the files")

merged = os.path.join(tmp, "merged")
r = run("merge", merged, *shards)
check(r.returncode == 0, "merge exits 0 " + r.stderr)
diff = same(plain, merged)
check(diff is None, "merged shards equal the plain analyze (rows, ids, metadata, bit-identical "
      "features, failures): %s" % diff)
fb, mb, _ = load(merged)
check(np.array_equal(fa["rp"], fb["rp"]) and np.array_equal(fa["ssd"], fb["ssd"])
      and np.array_equal(fa["clip_id"], fb["clip_id"]), "np.array_equal on rp, ssd and clip_id")
r = run("info", "--features", os.path.join(merged, "features.npz"),
        "--metadata", os.path.join(merged, "metadata.csv"))
check(r.returncode == 0 and "tracks joined\t%d" % len(files) in r.stdout, "info opens the merge")

# the same split from another working folder and a relative DIR: it depends on the path in DIR only
os.makedirs(os.path.join(tmp, "elsewhere"))
r = subprocess.run([cli, "analyze", os.path.relpath(music, os.path.join(tmp, "elsewhere")),
                    "--output", "again3", "--quiet", "--shard", "3/4"],
                   cwd=os.path.join(tmp, "elsewhere"), capture_output=True, text=True,
                   env=dict(os.environ, LC_ALL="C", TZ="Pacific/Kiritimati"))
check(r.returncode == 0 and same(shards[2], os.path.join(tmp, "elsewhere", "again3")) is None,
      "a relative DIR, another locale and time zone: the same shard 3 " + r.stderr)

# 3. invalid --shard values: usage errors, nothing written
for value in ["0/4", "5/4", "1/0", "0/0", "", "4", "a/4", "1/b", "1/4/2", "+1/4", "-1/4", " 1/4",
              "1/4 ", "1.0/4", "0x1/4", "1e0/4", "4294967297/4294967298", "1/2000000", "/4", "1/"]:
    out = os.path.join(tmp, "invalid")
    r = run("analyze", music, "--output", out, "--shard", value)
    check(r.returncode == 2 and "--shard" in r.stderr and "“%s”" % value in r.stderr
          and not os.path.exists(out), "--shard %r is refused: %s" % (value, r.stderr.strip()))
r = run("analyze", music, "--output", os.path.join(tmp, "invalid"), "--shard", "0/4")
check("from 1" in r.stderr, "0/4 says shards are numbered from 1")
r = run("analyze", music, "--output", os.path.join(tmp, "one"), "--shard", "1/1", "--quiet")
check(r.returncode == 0 and same(plain, os.path.join(tmp, "one")) is None, "1/1 is the plain analyze")

# 4. overlapping shards, and merging into an existing output
over = os.path.join(tmp, "overlap")
r = run("merge", over, shards[0], shards[1], shards[0], plain, shards[3], shards[2], shards[1])
check(r.returncode == 0 and "duplicates" in r.stderr, "merge of overlapping inputs exits 0 " + r.stderr)
check(same(plain, over) is None, "overlapping shards: one row per file, equal to plain: %s"
      % same(plain, over))
grow = os.path.join(tmp, "grow")
r = run("merge", grow, shards[0], shards[1])
check(r.returncode == 0 and len(load(grow)[1]) == len(load(shards[0])[1]) + len(load(shards[1])[1]),
      "merge of two shards")
r = run("merge", grow, shards[2], shards[3])
check(r.returncode == 0 and same(plain, grow) is None, "merging more shards into it adds them: %s"
      % same(plain, grow))
r = run("merge", grow, shards[2])
check(r.returncode == 0 and same(plain, grow) is None, "merging a shard again changes nothing")
r = run("merge", grow, grow, shards[0])
check(r.returncode == 0 and same(plain, grow) is None, "the output given as an input too: %s"
      % r.stderr.strip())
leftovers = [n for n in os.listdir(grow) if ".tmp-" in n]
check(".analyze.lock" in os.listdir(grow), "merge holds the output with analyze's lock file")
check(leftovers == [], "no temporary files left: %s" % leftovers)

# 5. inputs that are not collections: refused, naming the folder, nothing written
def snapshot(d):
    return {n: open(os.path.join(d, n), "rb").read() for n in os.listdir(d) if n != ".analyze.lock"}


before = snapshot(grow)
missing = os.path.join(tmp, "shard5")
empty = os.path.join(tmp, "empty")
os.makedirs(empty)
notdir = os.path.join(music, "too_short.wav")
broken = os.path.join(tmp, "broken")
shutil.copytree(shards[0], broken)
with open(os.path.join(broken, "features.npz"), "r+b") as f:
    f.truncate(300)
half = os.path.join(tmp, "half")
os.makedirs(half)
shutil.copy(os.path.join(shards[0], "metadata.csv"), half)
for bad_input, what in [(missing, "no such folder"), (empty, "not a collection"),
                        (notdir, "not a folder"), (broken, "features.npz"), (half, "not a collection")]:
    r = run("merge", grow, shards[0], bad_input, shards[1])
    check(r.returncode == 1 and bad_input in r.stderr and what in r.stderr,
          "merge with %s: refused naming it: %s" % (os.path.basename(bad_input), r.stderr.strip()))
    check(snapshot(grow) == before, "... and the output is untouched")
    r = run("merge", os.path.join(tmp, "never"), bad_input)
    check(r.returncode == 1 and not os.path.exists(os.path.join(tmp, "never")),
          "... and a new output is not created")
r = run("merge", os.path.join(tmp, "x"))
check(r.returncode == 2, "merge without inputs is a usage error")
r = run("merge", broken, shards[0])
check(r.returncode == 1 and broken in r.stderr, "an output that is a damaged collection is refused")

# the lock analyze takes on its output (OUTDIR/.analyze.lock): a shard still being written is
# not merged, and an output being written is not merged into
for locked, what in [(shards[0], "still writing"), (grow, "is writing this collection")]:
    with open(os.path.join(locked, ".analyze.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        r = run("merge", grow, shards[0], shards[1])
    check(r.returncode == 1 and locked in r.stderr and what in r.stderr
          and snapshot(grow) == before,
          "merge refuses while %s is locked: %s" % (os.path.basename(locked), r.stderr.strip()))
r = run("merge", grow, shards[0], shards[1])
check(r.returncode == 0, "and merges once the lock is released")

# 6. with --shard, a re-run removes only its own files' rows
victim = files[0]
k = shard_of(victim, 4)
mirror = os.path.join(tmp, "mirror")
shutil.copytree(plain, mirror)
os.unlink(os.path.join(music, victim))
for j in [x for x in range(1, 5) if x != k]:
    r = run("analyze", music, "--output", mirror, "--shard", "%d/4" % j, "--quiet")
    check(r.returncode == 0 and len(load(mirror)[1]) == len(files),
          "shard %d keeps the row of a file of shard %d that is gone" % (j, k))
r = run("analyze", music, "--output", mirror, "--shard", "%d/4" % k)
m = load(mirror)[1]
n_other = sum(1 for f in files if shard_of(f, 4) != k)
check("%d tracks of the other shards were kept" % n_other in r.stderr and "--prune" not in r.stderr,
      "the summary says %d rows of the other shards were kept: %s" % (n_other, r.stderr.strip()))
check(r.returncode == 0 and len(m) == len(files) - 1
      and os.path.join(music, victim) not in set(m.mp3_path),
      "shard %d removes the row of its file that is gone: %s" % (k, r.stderr.strip()))

j = k % 4 + 1
r = run("analyze", music, "--output", mirror, "--shard", "%d/4" % j, "--prune", "--quiet")
check(r.returncode == 0 and len(load(mirror)[1]) == len(files) - 1,
      "--prune with --shard %d/4 keeps the other shards' rows" % j)

print("1..%d" % n_checks)
if failures:
    print("# failed: %s" % failures, file=sys.stderr)
    sys.exit(1)
shutil.rmtree(tmp)
