#!/bin/sh
# make-quality-collection.sh: a real-music test collection for docs/quality.md
#
# Copyright 2026 The Soundalike authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Cuts CLIP_SECONDS-second clips (default 15) from the soundtracks that Debian's game
# data packages ship: exactly CLIPS_PER_SOURCE clips (default 30) from each of 8 sources,
# spread over a source's tracks as evenly as they allow (several non-overlapping clips
# from one track when a source has fewer tracks than clips), labels each clip by its
# package (`source`) and by the track it was cut from (`recording`), analyses the clips
# with soundalike-cli and runs `soundalike-cli evaluate` for the settings docs/quality.md
# reports.  Nothing is synthesised.  15 s, not 30 s: neverball ships 569 s of music,
# which holds only 15 non-overlapping 30-second clips (frozen-bubble 699 s: 22);
# CLIP_SECONDS=30 FEWER_OK=1 builds that 217-clip variant.  PREVIOUS_CLI=PATH also judges
# the suggestion of another build of soundalike-cli (an earlier rule) the same way.
#
# Not part of CI (CI must not download game data).  Install the packages first:
#   apt-get install -y neverball-data ufoai-music freedroidrpg-data supertux-data \
#     megaglest-data hedgewars-data openclonk-data frozen-bubble-data
# Needs sox and unzip; python3-numpy, -scipy and -pandas (as the tests do) for the
# numpy figures at the end.
# Usage: build-aux/make-quality-collection.sh BUILD_DIR OUT_DIR
set -eu

build=${1:?usage: make-quality-collection.sh BUILD_DIR OUT_DIR}
out=${2:?usage: make-quality-collection.sh BUILD_DIR OUT_DIR}
cli="$build/src/cli/soundalike-cli"
clip_seconds=${CLIP_SECONDS:-15}
per_source=${CLIPS_PER_SOURCE:-30}
fewer_ok=${FEWER_OK:-0}   # 1: a source with room for fewer clips gives what it has

rm -rf "$out/clips" "$out/tmp" "$out/collection"
mkdir -p "$out/clips" "$out/tmp"

# the music files of a source, one a line
list_source() {
  case "$1" in
    ufoai)
      # the music is inside a zip (pk3)
      if [ -f /usr/share/games/ufoai/base/0music.pk3 ]; then
        mkdir -p "$out/tmp/ufoai"
        unzip -o -q -d "$out/tmp/ufoai" /usr/share/games/ufoai/base/0music.pk3 'music/*.ogg'
        find "$out/tmp/ufoai" -name '*.ogg'
      fi ;;
    freedroidrpg) find /usr/share/freedroidrpg/data/sound/music /usr/share/games/freedroidrpg/sound/music -name '*.ogg' 2>/dev/null ;;
    supertux) find /usr/share/games/supertux2/music -name '*.ogg' 2>/dev/null ;;
    megaglest) find /usr/share/games/megaglest -path '*music*' -name '*.ogg' 2>/dev/null ;;
    hedgewars) find /usr/share/games/hedgewars/Data/Music -name '*.ogg' 2>/dev/null ;;
    openclonk) find /usr/share/games/openclonk/Music.ocg -name '*.ogg' 2>/dev/null ;;
    frozenbubble) find /usr/share/games/frozen-bubble/snd -name '*zik*.ogg' 2>/dev/null ;;
    neverball) find /usr/share/games/neverball/bgm -name '*.ogg' 2>/dev/null ;;
  esac
}

# The plan: "file<TAB>start<TAB>clip name" lines for one source, from "seconds<TAB>file"
# lines.  A track holds floor(len / clip) clips; clips go one per track per round
# (tracks taken evenly spaced when there are more tracks than clips), and the clips of
# one track sit in the middles of equal parts of it, so they never overlap.
plan_source() {
  /usr/bin/python3 -c '
import os, sys
clip, want = int(sys.argv[1]), int(sys.argv[2])
tracks = []
for line in sys.stdin:
    secs, path = line.rstrip("\n").split("\t", 1)
    cap = int(float(secs) // clip)
    if cap > 0:
        tracks.append((path, float(secs), cap))
n = len(tracks)
count = [0] * n
first = sorted({int((j + 0.5) * n / want) for j in range(want)}) if n > want else []
order = first + [i for i in range(n) if i not in first]
left = want
while left > 0 and any(count[i] < tracks[i][2] for i in range(n)):
    for i in order:
        if left and count[i] < tracks[i][2]:
            count[i] += 1
            left -= 1
if left and sys.argv[3] != "1":
    sys.exit("only %d clips of %d s fit (FEWER_OK=1 takes them)" % (want - left, clip))
for (path, secs, cap), k in zip(tracks, count):
    base = "".join(ch if ch.isalnum() or ch in "_-" else "_"
                   for ch in os.path.splitext(os.path.basename(path))[0])
    part = secs / k if k else 0
    for j in range(k):
        print("%s\t%.3f\t%s-%d" % (path, j * part + (part - clip) / 2, base, j))
' "$clip_seconds" "$per_source" "$fewer_ok"
}

sources="ufoai freedroidrpg supertux megaglest hedgewars openclonk frozenbubble neverball"
for src in $sources; do
  dir="$out/clips/$src"
  mkdir -p "$dir"
  list_source "$src" | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s\t%s\n' "$(soxi -D "$f")" "$f"
  done > "$out/tmp/$src.lengths"
  if [ ! -s "$out/tmp/$src.lengths" ]; then
    echo "make-quality-collection: no music found for $src (is its package installed?)" >&2
    exit 1
  fi
  plan_source < "$out/tmp/$src.lengths" > "$out/tmp/$src.plan"
  while IFS="$(printf '\t')" read -r f start name; do
    sox -R -V1 "$f" -c 1 "$dir/$name.flac" trim "$start" "$clip_seconds"
  done < "$out/tmp/$src.plan"
  echo "$src: $(ls "$dir" | wc -l) clips from $(cut -f3 "$out/tmp/$src.plan" | sed 's/-[0-9]*$//' | sort -u | wc -l) of $(wc -l < "$out/tmp/$src.lengths") files" >&2
done
rm -rf "$out/tmp"

"$cli" analyze -q -o "$out/collection" "$out/clips"

# the label: the source folder of each clip
/usr/bin/python3 - "$out/collection/metadata.csv" <<'PY'
import csv, os, sys
path = sys.argv[1]
with open(path, newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
head = rows[0]
col = head.index('mp3_path')
if 'source' not in head:
    # the package, and the recording (clips of one track share it)
    head += ['source', 'recording']
    for r in rows[1:]:
        src = os.path.basename(os.path.dirname(r[col]))
        rec = os.path.splitext(os.path.basename(r[col]))[0].rsplit('-', 1)[0]
        r += [src, src + '/' + rec]
with open(path + '.tmp', 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(rows)
os.replace(path + '.tmp', path)
PY

echo "collection: $out/collection" >&2

# ---- the figures of docs/quality.md ----
F="$out/collection/features.npz"
M="$out/collection/metadata.csv"
# marks made from the labels the way a user makes them: for every other clip (the
# "even" half), the top 10 that `query` shows under the default weights, good when
# from the same source, bad otherwise; the other half ("odd") the same, held out
/usr/bin/python3 - "$cli" "$F" "$M" "$out" <<'PY'
import csv, subprocess, sys
cli, F, M, out = sys.argv[1:]
rows = list(csv.DictReader(open(M, newline='', encoding='utf-8')))
src = {r['clip_id']: r['source'] for r in rows}
for name, half in (('even', rows[::2]), ('odd', rows[1::2])):
    with open('%s/marks-%s.csv' % (out, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['query_clip_id', 'result_clip_id', 'mark'])
        for r in half:
            q = r['clip_id']
            res = subprocess.run([cli, 'query', '--features', F, '--metadata', M, '--clip-id', q,
                                  '--top', '10'], capture_output=True, text=True, check=True)
            for line in res.stdout.splitlines()[2:]:  # the header, then the query itself
                c = line.split('\t')[1]
                w.writerow([q, c, 'good' if src[c] == src[q] else 'bad'])
PY
suggested=$("$cli" suggest-weights --features "$F" --metadata "$M" --marks "$out/marks-even.csv" |
  awk -F'\t' '$1=="rp"{rp=$2} $1=="ssd"{ssd=$2} END{printf "rp=%s,ssd=%s", rp, ssd}')
echo "suggested weights: $suggested" >&2

row() {
  name=$1; shift
  "$cli" evaluate --features "$F" --metadata "$M" --label-column source "$@" |
    awk -F'\t' -v name="$name" '{v[$1]=$2} END{printf "| %s | %.3f | %.3f | %.2f | %.1f %% | %d |\n",
      name, v["precision_at_k"], v["map"], v["k_occurrence_skewness"], 100*v["antihub_rate"],
      v["max_k_occurrence"]}'
}
for excl in "--exclude-same-track=recording" ""; do
  echo
  echo "${excl:-all neighbours}:"
  echo "| setting | P@10 | mAP | skewness | antihubs | max N10 |"
  echo "|---|---|---|---|---|---|"
  row "RP only" --weights rp=1,ssd=0 $excl
  row "SSD only" --weights rp=0,ssd=1 $excl
  row "tutorial 0.5/0.9" $excl
  row "tutorial 0.5/0.9 + MP" --mutual-proximity $excl
  row "L1 (manhattan) 0.5/0.9" --metric manhattan $excl
  row "L1 0.5/0.9 + MP" --metric manhattan --mutual-proximity $excl
  row "suggested ($suggested)" --weights "$suggested" $excl
  row "suggested + MP" --weights "$suggested" --mutual-proximity $excl
done

# ---- numpy (python3-numpy, python3-scipy, python3-pandas): the cross-check, the MP
# variants and the suggestion's held-out figures ----
/usr/bin/python3 - "$cli" "$F" "$M" "$out" "${PREVIOUS_CLI:-}" <<'PY'
import subprocess, sys
import numpy as np, pandas as pd
from scipy.special import log_ndtr
from scipy.stats import skew
cli, F, M, out, prev = sys.argv[1:]
z, m = np.load(F), pd.read_csv(M)
assert (m.clip_id.values == z['clip_id']).all()
src, rec, ids = m.source.values, m.recording.values, m.clip_id.values
N = len(src)
X = np.hstack([z['rp'], z['ssd']]).astype(np.float64)
mu, sd = X.mean(0), X.std(0)
Z = np.where(sd > 0, (X - mu) / np.where(sd > 0, sd, 1), 0.0)
SETS = [(0, z['rp'].shape[1]), (z['rp'].shape[1], X.shape[1])]
same = src[:, None] == src[None]


def partials(metric):
    """per set, N x N: the set's sum over its dimensions divided by its length"""
    out = []
    for a, b in SETS:
        Zs = Z[:, a:b]
        if metric == 'euclidean':
            sq = (Zs ** 2).sum(1)
            A = np.maximum(sq[:, None] + sq[None] - 2 * Zs @ Zs.T, 0)
            np.fill_diagonal(A, 0)
        else:
            A = np.abs(Zs[:, None, :] - Zs[None]).sum(2)
        out.append(A / (b - a))
    return out


P = {'euclidean': partials('euclidean'), 'manhattan': partials('manhattan')}


def quality(K, excl, k=10):
    """P@k, mAP, skewness, antihub rate, max N_k of ranking keys K (row = query)"""
    kocc, prec, aps = np.zeros(N, int), [], []
    for q in range(N):
        cand = np.ones(N, bool)
        cand[q] = False
        if excl:
            cand &= rec != rec[q]
        idx = np.nonzero(cand)[0]
        o = idx[np.argsort(K[q, idx], kind='stable')]
        kocc[o[:k]] += 1
        rel = same[q, o]
        prec.append(rel[:k].mean())
        r = np.nonzero(rel)[0] + 1
        aps.append((np.arange(1, len(r) + 1) / r).mean())
    return np.mean(prec), np.mean(aps), skew(kocc, bias=True), np.mean(kocc == 0), kocc.max()


def gaussian_mp(D, self_in):
    """-(log SF_x + log SF_y): orders as MP; moments over all tracks, x itself in or out"""
    mus, sds = np.zeros(N), np.zeros(N)
    for i in range(N):
        r = np.ones(N, bool)
        r[i] = self_in
        mus[i], sds[i] = D[i, r].mean(), D[i, r].std()
    return -(log_ndtr(-(D - mus[:, None]) / sds[:, None]) + log_ndtr(-(D - mus[None]) / sds[None]))


def empirical_mp(D):
    """1 - the share of the other tracks j (not x, not y) farther from both x and y"""
    K = np.zeros((N, N))
    for x in range(N):
        both = (D[x][None, :] > D[x][:, None]) & (D > D[x][:, None])  # [y, j]
        both[:, x] = False
        both[np.arange(N), np.arange(N)] = False
        K[x] = 1 - both.sum(1) / (N - 2)
    return K


print('\nnumpy: mutual proximity variants, weights 0.5/0.9 (P@10 mAP skewness antihubs max)')
for metric in ('euclidean', 'manhattan'):
    D = 0.5 * P[metric][0] + 0.9 * P[metric][1]
    variants = [('plain', D), ('Gaussian MP, x itself out of its moments', gaussian_mp(D, False)),
                ('Gaussian MP, x itself in', gaussian_mp(D, True)), ('empirical MP', empirical_mp(D))]
    if metric == 'euclidean':
        variants.append(('Gaussian MP on d, not d^2', gaussian_mp(np.sqrt(D), False)))
    for name, K in variants:
        for excl in (True, False):
            print('%s | %s | %s | %.4f | %.4f | %.4f | %.4f | %d' % (
                metric, name, 'recording left out' if excl else 'all', *quality(K, excl)))

# the suggestion from one half's marks, judged on the other half's queries
Drp, Dssd = P['euclidean']


def read_marks(path):
    pos = {c: i for i, c in enumerate(ids)}
    by = {}
    for r in pd.read_csv(path).itertuples():
        by.setdefault(pos[r.query_clip_id], ([], []))[r.mark != 'good'].append(pos[r.result_clip_id])
    return by


def in_order(by, w):
    n = 0
    for q, (good, bad) in by.items():
        d = w[0] * Drp[q] + w[1] * Dssd[q]
        n += sum(d[g] < d[b] for g in good for b in bad)
    return n


def p_at_10(w, queries, excl):
    d = w[0] * Drp + w[1] * Dssd
    prec = []
    for q in queries:
        x = d[q].copy()
        x[q] = np.inf
        if excl:
            x[rec == rec[q]] = np.inf
        prec.append(same[q, np.argsort(x, kind='stable')[:10]].mean())
    return np.mean(prec)


def suggest(c, path):
    r = subprocess.run([c, 'suggest-weights', '--features', F, '--metadata', M, '--marks', path],
                       capture_output=True, text=True, check=True)
    o = {l.split('\t')[0]: float(l.split('\t')[1]) for l in r.stdout.splitlines()}
    return (o['rp'], o['ssd']), o


# PREVIOUS_CLI: another build's soundalike-cli (an earlier rule) judged the same way
clis = [('this build', cli)] + ([('PREVIOUS_CLI', prev)] if prev else [])
dflt = (0.5, 0.9)
for label, c in clis:
    print('\n%s: suggested weights, held out (P@10 all / recording left out, marks in order; '
          'the default 0.5/0.9 in brackets)' % label)
    for train, held, queries in (('even', 'odd', range(1, N, 2)), ('odd', 'even', range(0, N, 2))):
        w, o = suggest(c, '%s/marks-%s.csv' % (out, train))
        hm = read_marks('%s/marks-%s.csv' % (out, held))
        print('marks of the %s half: rp=%.3f,ssd=%.3f (its own pairs in order %d -> %d of %d) | '
              'held-out P@10 %.4f (%.4f) / %.4f (%.4f) | held-out marks in order %d (%d) of %d' % (
                  train, w[0], w[1], o['satisfied_current'], o['satisfied_suggested'], o['pairs'],
                  p_at_10(w, queries, False), p_at_10(dflt, queries, False), p_at_10(w, queries, True),
                  p_at_10(dflt, queries, True), in_order(hm, w), in_order(hm, dflt),
                  sum(len(g) * len(b) for g, b in hm.values())))
    # 20 random halves: marks as above (the top 10 under 0.5/0.9, here ranked by numpy)
    rng = np.random.default_rng(1)
    diffs, kept = [], 0
    for split in range(20):
        perm = rng.permutation(N)
        halves = [np.sort(perm[:N // 2]), np.sort(perm[N // 2:])]
        by = []
        for h in halves:
            rows = []
            for q in h:
                d = dflt[0] * Drp[q] + dflt[1] * Dssd[q]
                d[q] = np.inf
                rows += [(ids[q], ids[j], 'good' if same[q, j] else 'bad')
                         for j in np.argsort(d, kind='stable')[:10]]
            by.append(rows)
        path = '%s/marks-split.csv' % out
        pd.DataFrame(by[0], columns=['query_clip_id', 'result_clip_id', 'mark']).to_csv(path, index=False)
        w, _ = suggest(c, path)
        pd.DataFrame(by[1], columns=['query_clip_id', 'result_clip_id', 'mark']).to_csv(path, index=False)
        hm = read_marks(path)
        kept += w == dflt
        diffs.append((p_at_10(w, halves[1], False) - p_at_10(dflt, halves[1], False),
                      p_at_10(w, halves[1], True) - p_at_10(dflt, halves[1], True),
                      in_order(hm, w) - in_order(hm, dflt)))
    diffs = np.array(diffs)
    print('20 random halves: 0.5/0.9 kept in %d; held-out P@10 against 0.5/0.9: mean %+.4f, '
          'worse in %d, better in %d; recording left out: mean %+.4f, worse in %d, better in %d; '
          'held-out marks in order: mean %+.1f, worse in %d, better in %d' % (
              kept, diffs[:, 0].mean(), (diffs[:, 0] < 0).sum(), (diffs[:, 0] > 0).sum(),
              diffs[:, 1].mean(), (diffs[:, 1] < 0).sum(), (diffs[:, 1] > 0).sum(),
              diffs[:, 2].mean(), (diffs[:, 2] < 0).sum(), (diffs[:, 2] > 0).sum()))
PY
