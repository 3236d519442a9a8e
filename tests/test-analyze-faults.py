#!/usr/bin/python3
"""soundalike-cli analyze under faults and hostile inputs (issue 12).

usage: test-analyze-faults.py SOUNDALIKE_CLI SIGNALS_DIR

Re-runs itself in a private user and mount namespace (unshare -rm) to mount a small tmpfs
that fills up in the middle of a run; nothing outside the test changes and no root is needed.

Checks, each against a real run of soundalike-cli:
  inputs     a missing input is an error before anything is touched; an empty folder, a
             single new file and a second folder keep every earlier row; a file gone from an
             analysed folder is removed; --prune mirrors the inputs
  lock       a second run on one output refuses with a clear message while the first goes
             on and succeeds; a temporary of the running analysis is not deleted
  full disk  the disk fills at a checkpoint: exit 1 with "No space left on device" (not
             "Interrupted", not 130); the collection opens with what was saved; with room
             again the run completes without analysing the saved files again
  kills      20 SIGKILLs at random moments: the collection always opens and the tracks
             already analysed are never lost
  replaced   input files replaced during a run: the collection opens, and the next run
             records the new contents
  names      a Latin-1 file name: metadata.csv stays UTF-8 (pandas reads it), the path is a
             file:// URI that resolves back to the file, and a re-run analyses nothing
  symlinks   links inside a folder are not followed (a link to / is not walked) unless
             --follow-symlinks, and loops end; --audio-root never resolves out of its folder
  fds        ulimit -n 8 and 12: one message naming the cause, no GStreamer CRITICAL, no
             "plug-in"; ulimit -n 20 still analyses
  options    hex, exponents, signs, NaN, overflow in --jobs/--skip/--step/--checkpoint are
             refused with a message naming the option
  long audio a WAV holding more than the longest audio analysed is refused quickly
"""
import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

if os.environ.get("SOUNDALIKE_IN_NAMESPACE") != "1":
    os.environ["SOUNDALIKE_IN_NAMESPACE"] = "1"
    os.execvp("unshare", ["unshare", "-rm", sys.executable] + sys.argv)

import numpy as np
import pandas as pd

cli, signals = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="soundalike-faults-")
failures = []
n_checks = 0
sig_short = os.path.join(signals, "short_7s.wav")


def check(cond, what):
    global n_checks
    n_checks += 1
    what = " ".join(what.split())  # one TAP line
    print(("ok %d - " if cond else "not ok %d - ") % n_checks + what, flush=True)
    if not cond:
        failures.append(what)


def run(*args, **kw):
    return subprocess.run([cli, *args], capture_output=True, text=True, errors="replace", **kw)


def analyze(out, *inputs_and_options):
    return run("analyze", *inputs_and_options, "--output", out)


def summary(stderr):
    m = re.search(r"(\d+) files: (\d+) analysed, (\d+) unchanged, (\d+) failed, (\d+) removed", stderr)
    return tuple(int(x) for x in m.groups()) if m else None


def joined(out):
    """The clip ids of the rows that join (features and metadata), or None if it does not open."""
    npz, csv = os.path.join(out, "features.npz"), os.path.join(out, "metadata.csv")
    if not os.path.exists(npz):
        return set()
    r = run("info", "--features", npz, "--metadata", csv)
    if r.returncode != 0:
        return None
    with np.load(npz) as z:
        ids = set(int(i) for i in z["clip_id"])
    meta = pd.read_csv(csv, index_col=0)
    return ids & set(int(i) for i in meta.clip_id)


def paths(out):
    return set(pd.read_csv(os.path.join(out, "metadata.csv"), index_col=0).mp3_path)


def folder(name, n, src=sig_short):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    for k in range(n):
        shutil.copy(src, os.path.join(d, "%s-%02d.wav" % (name, k)))
    return d


def snapshot(out):
    return {f: open(os.path.join(out, f), "rb").read() for f in ("features.npz", "metadata.csv")}


# ---- inputs: what a run may remove ----
a = folder("a", 3)
b = folder("b", 2)
out = os.path.join(tmp, "c")
r = analyze(out, a)
check(r.returncode == 0 and len(joined(out)) == 3, "a first folder: 3 tracks")
before = snapshot(out)
r = analyze(out, os.path.join(tmp, "typo"))
check(r.returncode == 1 and "typo" in r.stderr and "No such file" in r.stderr,
      "a missing input fails naming it: %s" % r.stderr.strip())
check(snapshot(out) == before, "a missing input changes nothing")
# (an unreadable input cannot be made here: in the namespace the test is root)
r = analyze(out, os.path.join(a, "a-00.wav", "sub"))
check(r.returncode == 1 and "Not a directory" in r.stderr and snapshot(out) == before,
      "an input that cannot be reached fails and changes nothing: %s" % r.stderr.strip())
os.makedirs(os.path.join(tmp, "empty"))
r = analyze(out, os.path.join(tmp, "empty"))
check(r.returncode == 0 and snapshot(out)["features.npz"] == before["features.npz"]
      and len(joined(out)) == 3, "an empty folder keeps every row (%s)" % (summary(r.stderr),))
check("3 tracks from folders not analysed in this run were kept" in r.stderr, "and says they were kept")
one = os.path.join(tmp, "one.wav")
shutil.copy(sig_short, one)
r = analyze(out, one)
check(r.returncode == 0 and len(joined(out)) == 4, "one new file into the collection keeps the 3 earlier rows")
r = analyze(out, b)
check(r.returncode == 0 and len(joined(out)) == 6, "a second folder adds to the collection: %s" % (summary(r.stderr),))
os.unlink(os.path.join(a, "a-01.wav"))
r = analyze(out, a)
check(summary(r.stderr) == (2, 0, 2, 0, 1) and len(joined(out)) == 5,
      "a file gone from an analysed folder is removed, the other folders stay: %s" % (summary(r.stderr),))
check(os.path.join(a, "a-01.wav") not in paths(out) and one in paths(out), "the right row went")
r = analyze(out, a, "--prune")
check(r.returncode == 0 and len(joined(out)) == 2 and all(p.startswith(a) for p in paths(out)),
      "--prune mirrors the inputs: %s" % (summary(r.stderr),))
# a collection that cannot be read is not overwritten; one made elsewhere keeps its rows
broken = os.path.join(tmp, "broken")
os.makedirs(broken)
for f in ("features.npz", "metadata.csv"):
    shutil.copy(os.path.join(out, f), os.path.join(broken, f))
with open(os.path.join(broken, "metadata.csv"), "w") as f:
    f.write("clip_id,mp3_path\n\"never closed\n")
kept = snapshot(broken)
r = analyze(broken, b)
check(r.returncode == 1 and "cannot be read" in r.stderr and snapshot(broken) == kept,
      "an unreadable collection is refused, not overwritten: %s" % r.stderr.strip()[:200])
tut = os.path.join(tmp, "tutorial")
os.makedirs(tut)
tdata = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "tutorial")
for f in ("features.npz", "metadata.csv"):
    shutil.copy(os.path.join(tdata, f), os.path.join(tut, f))
n_tut = len(joined(tut))
r = analyze(tut, b)
check(r.returncode == 0 and len(joined(tut)) == n_tut + 2,
      "analysing into the tutorial's collection keeps its %d rows: %d" % (n_tut, len(joined(tut))))
kept = snapshot(out)
r = analyze(out, os.path.join(tmp, "empty"), "--prune")
check(r.returncode == 1 and "no track would be left" in r.stderr and snapshot(out) == kept,
      "--prune to nothing leaves the collection as it was: %s" % r.stderr.strip())
r = run("analyze", "--help")
check("--prune" in r.stdout and "removes a track only" in r.stdout, "--help says what a run removes")

# ---- two runs on one output ----
big = folder("big", 16)
out2 = os.path.join(tmp, "two")
p1 = subprocess.Popen([cli, "analyze", big, "--output", out2, "--jobs", "1", "--checkpoint", "0.05",
                       "--progress"], stderr=subprocess.PIPE, text=True)
for line in p1.stderr:  # wait until the first run is under way
    if re.match(r"\d+/\d+ files", line):
        break
fake = os.path.join(out2, "metadata.csv.tmp-RUNNING")
open(fake, "w").close()
r = analyze(out2, big)
check(r.returncode == 1 and "another analysis" in r.stderr and str(p1.pid) in r.stderr,
      "a second run refuses, naming the first: %s" % r.stderr.strip())
check(os.path.exists(fake), "the second run deletes no temporary of the first")
rest = p1.communicate(timeout=300)[1]
check(p1.returncode == 0 and "Interrupted" not in rest, "the first run finishes: exit %d" % p1.returncode)
check(len(joined(out2)) == 16, "with all 16 tracks")
with open(os.path.join(out2, ".analyze.lock")) as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)  # another holder of the lock (a window's analysis)
    r = analyze(out2, big)
    check(r.returncode == 1 and "another analysis" in r.stderr, "a held lock is respected")
r = analyze(out2, big)
check(r.returncode == 0 and not os.path.exists(fake), "once free, a run removes the stale temporary")

# ---- the disk fills up in the middle of a run ----
disk = os.path.join(tmp, "disk")
os.makedirs(disk)
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", disk], check=True)
try:
    many = folder("many", 40)
    out3 = os.path.join(disk, "c")
    r = analyze(out3, many, "--checkpoint", "0.01", "--jobs", "1")
    check(r.returncode == 1, "a full disk at a checkpoint: exit %d (not 0, not 130)" % r.returncode)
    check("No space left on device" in r.stderr and "Interrupted" not in r.stderr,
          "the message is the real one: %s" % r.stderr.strip()[-200:])
    saved = joined(out3)
    check(saved is not None and len(saved) > 0, "the collection opens with the %s saved tracks"
          % (len(saved) if saved else saved))
    check(not [f for f in os.listdir(out3) if ".tmp-" in f], "no temporary file left on the full disk")
    subprocess.run(["mount", "-o", "remount,size=4m", disk], check=True)
    r = analyze(out3, many)
    s = summary(r.stderr)
    check(r.returncode == 0 and s is not None and s[1] == 40 - len(saved or ()) and len(joined(out3)) == 40,
          "with room again the run completes, analysing only the rest: %s" % (s,))
finally:
    subprocess.run(["umount", disk])

# ---- SIGKILL at random moments: nothing already analysed is lost ----
kills = folder("kills", 40)
out4 = os.path.join(tmp, "kills-out")
rng = random.Random(12)
have = set()
lost = []
counts = []
window = 0.3
for k in range(20):
    p = subprocess.Popen([cli, "analyze", kills, "--output", out4, "--checkpoint", "0.02", "--jobs", "1"],
                         stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.0, window))
    p.kill()
    p.wait()
    now = joined(out4)
    if now is None:
        check(False, "after kill %d the collection does not open" % k)
        now = set()
    if not have <= now:
        lost.append((k, len(have - now)))
    if not now:
        window = min(window * 1.5, 4.0)  # slow builds (sanitizers) have written nothing yet
    have = now
    counts.append(len(now))
check(not lost, "after each of 20 kills the collection opens and keeps every analysed track %s %s"
      % (lost, counts))
r = analyze(out4, kills)
s = summary(r.stderr)
check(s is not None and s[1] == 40 - len(have) and len(joined(out4)) == 40,
      "a final run analyses only the %d not saved: %s" % (40 - len(have), s))

# ---- inputs replaced during a run ----
rep = folder("rep", 10)
noise = os.path.join(signals, "white_noise.wav")
shutil.copy(noise, os.path.join(rep, "zz-noise.wav"))
out5 = os.path.join(tmp, "rep-out")
p = subprocess.Popen([cli, "analyze", rep, "--output", out5, "--jobs", "1", "--progress"],
                     stderr=subprocess.PIPE, text=True)
for line in p.stderr:
    if re.match(r"[1-9]\d*/\d+ files", line):
        break
victims = [os.path.join(rep, "rep-%02d.wav" % k) for k in (0, 4, 8)]
for v in victims:  # replaced by rename, as an editor or a sync tool does
    shutil.copy(noise, v + ".new")
    os.replace(v + ".new", v)
err = p.communicate(timeout=300)[1]
check(p.returncode == 0 and joined(out5) is not None, "a run whose inputs are replaced finishes and opens")
r = analyze(out5, rep)
meta = pd.read_csv(os.path.join(out5, "metadata.csv"), index_col=0)
with np.load(os.path.join(out5, "features.npz")) as z:
    rows = dict(zip((int(i) for i in z["clip_id"]), z["rp"]))
ref = rows[int(meta.clip_id[meta.mp3_path.str.endswith("zz-noise.wav")].iloc[0])]
same = [np.array_equal(rows[int(meta.clip_id[meta.mp3_path == v].iloc[0])], ref) for v in victims]
check(all(same), "the next run records the new contents of the replaced files %s" % same)
r = analyze(out5, rep)
check(summary(r.stderr)[1] == 0, "and then nothing is analysed again")

# ---- a file name that is not UTF-8 ----
latin = os.path.join(tmp, "latin")
os.makedirs(latin)
raw = os.path.join(os.fsencode(latin), b"caf\xe9.wav")
shutil.copy(sig_short, raw)
out6 = os.path.join(tmp, "latin-out")
r = analyze(out6, latin)
data = open(os.path.join(out6, "metadata.csv"), "rb").read()
try:
    data.decode("utf-8")
    utf8 = True
except UnicodeDecodeError:
    utf8 = False
check(r.returncode == 0 and utf8, "metadata.csv is valid UTF-8")
meta = pd.read_csv(os.path.join(out6, "metadata.csv"), index_col=0)
check(meta.mp3_path.iloc[0].startswith("file://") and meta.mp3_path.iloc[0].endswith("caf%E9.wav"),
      "the path is a file:// URI: %s" % meta.mp3_path.iloc[0])
check(joined(out6) is not None, "info opens it")
r = analyze(out6, latin)
check(summary(r.stderr) == (1, 0, 1, 0, 0), "a re-run finds it again and analyses nothing: %s" % (summary(r.stderr),))
q = subprocess.run([cli, "query", "--features", os.path.join(out6, "features.npz"), "--metadata",
                    os.path.join(out6, "metadata.csv"), "--clip-id", str(meta.clip_id.iloc[0]), "--top", "0"],
                   capture_output=True)
check(raw in q.stdout, "the URI resolves back to the file (for playback): %r" % q.stdout[-80:])

# ---- symbolic links ----
sym = folder("sym", 1)
outside = folder("outside", 2)
os.symlink("/", os.path.join(sym, "root"))
os.symlink(outside, os.path.join(sym, "ext"))
os.symlink(sym, os.path.join(sym, "loop"))
out7 = os.path.join(tmp, "sym-out")
r = run("analyze", sym, "--output", out7, timeout=120)
check(r.returncode == 0 and summary(r.stderr)[0] == 1, "links are not followed: %s" % (summary(r.stderr),))
check("3 symbolic links were not followed" in r.stderr, "and it says so")
os.unlink(os.path.join(sym, "root"))
r = run("analyze", sym, "--output", out7, "--follow-symlinks", timeout=120)
check(r.returncode == 0 and summary(r.stderr)[0] == 3, "--follow-symlinks follows them, once: %s" % (summary(r.stderr),))
# --audio-root resolves inside its folder only
deep = os.path.join(tmp, "r1", "r2", "r3", "r4")
os.makedirs(deep)
shutil.copy(sig_short, os.path.join(tmp, "escape.wav"))
meta = pd.read_csv(os.path.join(out7, "metadata.csv"), index_col=0)
meta.loc[meta.index[0], "mp3_path"] = "../../../../escape.wav"
meta.to_csv(os.path.join(tmp, "escape.csv"))
q = run("query", "--features", os.path.join(out7, "features.npz"), "--metadata",
        os.path.join(tmp, "escape.csv"), "--clip-id", str(meta.clip_id.iloc[0]), "--top", "0",
        "--audio-root", deep)
check(q.returncode == 0 and "escape.wav" in q.stdout and deep not in q.stdout,
      "--audio-root does not resolve ../../../../ out of its folder: %s" % q.stdout.strip()[-100:])

# ---- file descriptors ----
fd_out = os.path.join(tmp, "fd-out")
for limit in (8, 12):
    r = subprocess.run(["sh", "-c", 'ulimit -n %d && exec "$0" analyze "$1" --output "$2"' % limit,
                        cli, b, fd_out], capture_output=True, text=True, errors="replace", timeout=120)
    check(r.returncode == 1 and "file descriptors" in r.stderr and "ulimit -n" in r.stderr
          and "CRITICAL" not in r.stderr and "plug-in" not in r.stderr and len(r.stderr) < 600,
          "ulimit -n %d: one message with the real cause: %s" % (limit, r.stderr.strip()[:300]))
r = subprocess.run(["sh", "-c", 'ulimit -n 20 && exec "$0" analyze "$1" --output "$2"', cli, b, fd_out],
                   capture_output=True, text=True, errors="replace", timeout=120)
check(r.returncode == 0 and "CRITICAL" not in r.stderr, "ulimit -n 20 analyses (fewer at once): %s"
      % r.stderr.strip()[:200])

# ---- numeric options ----
bad = [("--checkpoint", "1e12"), ("--checkpoint", "0x10"), ("--checkpoint", "nan"), ("--checkpoint", "inf"),
       ("--checkpoint", "-1"), ("--checkpoint", "0"), ("--checkpoint", "1e400"), ("--jobs", "0x10"),
       ("--jobs", "0"), ("--jobs", "-2"), ("--jobs", "99999999999999999999"), ("--jobs", " 2"),
       ("--skip", "1e3"), ("--step", "0"), ("--step", "+1")]
for opt, val in bad:
    r = analyze(os.path.join(tmp, "opt-out"), b, opt, val)
    check(r.returncode == 2 and opt in r.stderr, "analyze %s %s is refused naming the option: %s"
          % (opt, val, r.stderr.strip()))
check(not os.path.exists(os.path.join(tmp, "opt-out")), "nothing is written for a bad option")
for opt, val in [("--skip", "-1"), ("--step", "0x2"), ("--skip", "4294967296")]:
    r = run("extract", sig_short, opt, val)
    check(r.returncode == 2 and opt in r.stderr, "extract %s %s is refused: %s" % (opt, val, r.stderr.strip()))
r = analyze(os.path.join(tmp, "opt-ok"), b, "--checkpoint", "0.5", "--jobs", "2", "--skip", "0", "--step", "1")
check(r.returncode == 0, "good values are accepted")

# ---- longer than the longest audio analysed ----
hours = os.path.join(tmp, "five-hours.wav")
with open(hours, "wb") as f:
    n = 5 * 3600 * 8000 * 2
    f.write(b"RIFF" + (n + 36).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
            + bytes([1, 0, 1, 0]) + (8000).to_bytes(4, "little") + (16000).to_bytes(4, "little")
            + bytes([2, 0, 16, 0]) + b"data" + n.to_bytes(4, "little"))
    f.truncate(44 + n)  # sparse: zeros
r = run("extract", hours, timeout=60)
check(r.returncode == 1 and "longer than the 240 minutes" in r.stderr and "five-hours.wav" in r.stderr,
      "5 hours of audio is refused before decoding: %s" % r.stderr.strip())

print("1..%d" % n_checks)
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
