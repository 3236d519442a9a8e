#!/usr/bin/python3
"""soundalike-cli analyze, end to end, on generated audio.

usage: test-analyze.py SOUNDALIKE_CLI SIGNALS_DIR

Checks: the output loads in numpy/pandas as the tutorial's notebook loads it; bad files
are reported in errors.csv and skipped; clip ids are stable; re-runs only analyse new or
changed files and drop removed ones; progress is quiet when stderr is not a terminal;
SIGINT keeps what was done; SIGKILL at 20 random moments never leaves a collection that
does not open, and a final run completes it without re-analysing what was recorded.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

cli, signals = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="soundalike-analyze-")
failures = []
n_checks = 0


def check(cond, what):
    global n_checks
    n_checks += 1
    print(("ok %d - " if cond else "not ok %d - ") % n_checks + what)
    if not cond:
        failures.append(what)


def analyze(music, out, *extra, expect=0):
    r = subprocess.run([cli, "analyze", music, "--output", out, *extra], capture_output=True, text=True)
    if r.returncode != expect:
        print(r.stderr)
    return r


def summary(stderr):
    m = re.search(r"(\d+) files: (\d+) analysed, (\d+) unchanged, (\d+) failed, (\d+) removed", stderr)
    return tuple(int(x) for x in m.groups()) if m else None


def opens(out):
    r = subprocess.run([cli, "info", "--features", os.path.join(out, "features.npz"),
                        "--metadata", os.path.join(out, "metadata.csv")], capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


# a music folder: 24 good files in sub-folders, and bad ones
music = os.path.join(tmp, "music")
good = ["chord_tremolo_4hz", "clicks_120bpm", "log_sweep_f32", "pink_am_2hz", "short_7s",
        "silence_10s", "sine440_m6dBFS", "stereo_diff", "white_noise"]
n_good = 0
for album in range(5):
    d = os.path.join(music, "Artist %d" % album, "Album, \"%d\"" % album)
    os.makedirs(d)
    for k, name in enumerate(good[: 8]):
        shutil.copy(os.path.join(signals, name + ".wav"), os.path.join(d, "%02d %s.wav" % (k + 1, name)))
        n_good += 1
with open(os.path.join(music, "garbage.mp3"), "wb") as f:
    f.write(bytes(random.Random(1).randrange(256) for _ in range(5000)))
open(os.path.join(music, "empty.ogg"), "w").close()
shutil.copy(os.path.join(signals, "too_short_5s.wav"), os.path.join(music, "too_short.wav"))
os.makedirs(os.path.join(music, "folder.flac"))
os.symlink(music, os.path.join(music, "Artist 0", "loop"))
with open(os.path.join(music, "notes.txt"), "w") as f:
    f.write("not audio, not even looked at\n")
n_bad = 3

# 1. a first run
out = os.path.join(tmp, "out")
r = analyze(music, out)
check(r.returncode == 0, "analyze exits 0")
check(summary(r.stderr) == (n_good + n_bad, n_good, 0, n_bad, 0), "summary: %s" % (summary(r.stderr),))
check("files/s" not in r.stderr, "no progress lines when stderr is not a terminal")
with np.load(os.path.join(out, "features.npz")) as npz:
    rp, ssd, ids = npz["rp"], npz["ssd"], npz["clip_id"]
meta = pd.read_csv(os.path.join(out, "metadata.csv"), index_col=0)
check(rp.shape == (n_good, 1440) and rp.dtype == np.float32, "rp is float32 N x 1440")
check(ssd.shape == (n_good, 168) and ssd.dtype == np.float32, "ssd is float32 N x 168")
check(ids.dtype == np.int64 and len(set(ids)) == n_good, "clip_id int64, unique")
check(list(meta.columns[:10]) == ["clip_id", "mp3_path", "track_number", "title", "artist", "album", "url",
                                  "segmentStart", "segmentEnd", "original_url"], "tutorial's metadata columns")
# the tutorial's join works on it unchanged
fm = pd.DataFrame({"featurespace_id": np.arange(len(ids)), "clip_id": ids})
joined = meta.reset_index().merge(fm, on="clip_id", how="inner")
check(len(joined) == n_good, "the tutorial's merge joins every row")
errors = pd.read_csv(os.path.join(out, "errors.csv"))
check(sorted(os.path.basename(p) for p in errors.path) == ["empty.ogg", "garbage.mp3", "too_short.wav"],
      "errors.csv lists the bad files: %s" % list(errors.path))
check(all(str(p) in str(e) for p, e in zip(errors.path, errors.error)), "each error names its file")
check(any("too short" in str(e) for e in errors.error), "the too-short reason")
# values equal `extract` (rounded to float32)
row = meta.index[meta.mp3_path.str.endswith("03 log_sweep_f32.wav")][0]
path = meta.loc[row, "mp3_path"]
ex = subprocess.run([cli, "extract", "--rows", path], capture_output=True, text=True, check=True).stdout
vals = {l.split(",")[0]: np.array([float(x) for x in l.split(",")[1:]]) for l in ex.splitlines()}
i = list(ids).index(meta.loc[row, "clip_id"])
check(np.array_equal(rp[i], vals["rp"].astype(np.float32)), "rp equals extract's")
check(np.array_equal(ssd[i], vals["ssd"].astype(np.float32)), "ssd equals extract's")
ok, text = opens(out)
check(ok and "tracks joined\t%d" % n_good in text, "soundalike-cli info opens it")

# 2. stable clip ids
out2 = os.path.join(tmp, "out2")
analyze(music, out2, "--jobs", "1")
with np.load(os.path.join(out2, "features.npz")) as npz:
    check(np.array_equal(npz["clip_id"], ids), "clip ids are the same in a second, separate run")

# 3. incremental
r = analyze(music, out)
check(summary(r.stderr) == (n_good + n_bad, 0, n_good, n_bad, 0), "re-run: nothing analysed again")
victim = os.path.join(music, "Artist 1", "Album, \"1\"", "01 chord_tremolo_4hz.wav")
os.utime(victim, (time.time() + 5, time.time() + 5))
gone = os.path.join(music, "Artist 2", "Album, \"2\"", "02 clicks_120bpm.wav")
os.unlink(gone)
shutil.copy(os.path.join(signals, "white_noise.wav"), os.path.join(music, "new.wav"))
r = analyze(music, out)
check(summary(r.stderr) == (n_good + n_bad, 2, n_good - 2, n_bad, 1),
      "changed + new analysed, removed dropped: %s" % (summary(r.stderr),))
meta = pd.read_csv(os.path.join(out, "metadata.csv"), index_col=0)
check(gone not in set(meta.mp3_path) and len(meta) == n_good, "the removed file dropped out")

# 4. SIGINT keeps what was done
out3 = os.path.join(tmp, "out3")
p = subprocess.Popen([cli, "analyze", music, "--output", out3, "--jobs", "1", "--checkpoint", "0.05",
                      "--progress"], stderr=subprocess.PIPE, text=True)
err = ""
for line in p.stderr:  # interrupt once a few files are done, however slow the build
    err += line
    m = re.match(r"(\d+)/\d+ files", line)
    if m and int(m.group(1)) >= 3:
        break
p.send_signal(signal.SIGINT)
_, rest = p.communicate(timeout=120)
err += rest
check(p.returncode in (0, 130), "SIGINT: exit %d" % p.returncode)
if p.returncode == 130:
    check("Interrupted" in err, "SIGINT: says how to continue")
    done = len(pd.read_csv(os.path.join(out3, "metadata.csv")))
    ok, _ = opens(out3)
    check(ok and done > 0, "SIGINT: the %d files done are saved and open" % done)
    r = analyze(music, out3)
    s = summary(r.stderr)
    check(s is not None and s[1] == n_good - done and s[2] == done, "SIGINT: the re-run does only the rest %s" % (s,))

# 5. SIGKILL at random moments
out4 = os.path.join(tmp, "out4")
rng = random.Random(2026)
opened = 0
window = 0.5  # seconds; widened while slow builds (sanitizers) have not written anything yet
for k in range(20):
    p = subprocess.Popen([cli, "analyze", music, "--output", out4, "--checkpoint", "0.02", "--jobs", "1"],
                         stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.0, window))
    p.kill()
    p.wait()
    if os.path.exists(os.path.join(out4, "features.npz")):
        ok, text = opens(out4)
        if not ok and "has no rows" not in text:
            check(False, "after kill %d the collection does not open: %s" % (k, text))
        opened += ok
        # numpy and pandas read what is there, too
        with np.load(os.path.join(out4, "features.npz")) as npz:
            npz["rp"], npz["clip_id"]
        pd.read_csv(os.path.join(out4, "metadata.csv"), index_col=0)
    elif os.path.exists(os.path.join(out4, "metadata.csv")):
        pd.read_csv(os.path.join(out4, "metadata.csv"), index_col=0)  # metadata is written first
    else:
        window = min(window * 1.5, 4.0)
check(opened > 0, "after 20 kills: the collection always opened (%d times it existed)" % opened)
complete = set()
if os.path.exists(os.path.join(out4, "features.npz")):
    with np.load(os.path.join(out4, "features.npz")) as npz:
        in_features = set(npz["clip_id"])
    meta4 = pd.read_csv(os.path.join(out4, "metadata.csv"))
    complete = set(meta4.mp3_path[meta4.clip_id.isin(in_features)])
r = analyze(music, out4)
s = summary(r.stderr)
check(s is not None and s[1] == n_good - len(complete),
      "after the kills, the final run analyses only the %d files not recorded: %s" % (n_good - len(complete), s))
leftovers = [f for f in os.listdir(out4) if ".tmp-" in f]
check(not leftovers, "no temporary files left after the final run")

print("1..%d" % n_checks)
shutil.rmtree(tmp)
sys.exit(1 if failures else 0)
