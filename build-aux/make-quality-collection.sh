#!/bin/sh
# make-quality-collection.sh: a real-music test collection for docs/quality.md
#
# Copyright 2026 The Soundalike authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Cuts 30-second clips from the soundtracks that Debian's game data packages ship
# (several clips per track, so that every source gives at least MIN_CLIPS clips),
# labels each clip by its package, analyses the clips with soundalike-cli and runs
# `soundalike-cli evaluate` for the settings docs/quality.md reports.
#
# Not part of CI (CI must not download game data).  Install the packages first:
#   apt-get install -y ufoai-music freedroidrpg-data supertux-data megaglest-data \
#     hedgewars-data openclonk-data frozen-bubble-data
# Usage: build-aux/make-quality-collection.sh BUILD_DIR OUT_DIR
set -eu

build=${1:?usage: make-quality-collection.sh BUILD_DIR OUT_DIR}
out=${2:?usage: make-quality-collection.sh BUILD_DIR OUT_DIR}
cli="$build/src/cli/soundalike-cli"
clip_seconds=30
min_clips=25   # per source
max_clips=40   # per source, so that no source dominates
max_per_track=6

mkdir -p "$out/clips" "$out/tmp"

# source name, then a command listing its music files
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
  esac
}

sources="ufoai freedroidrpg supertux megaglest hedgewars openclonk frozenbubble"
for src in $sources; do
  dir="$out/clips/$src"
  mkdir -p "$dir"
  files=$(list_source "$src" | LC_ALL=C sort)
  n_files=$(printf '%s\n' "$files" | grep -c . || true)
  if [ "$n_files" -eq 0 ]; then
    echo "make-quality-collection: no music found for $src (is its package installed?)" >&2
    continue
  fi
  # clips per track: enough for min_clips, at most max_per_track
  per=$(( (min_clips + 10 + n_files - 1) / n_files ))
  [ "$per" -gt "$max_per_track" ] && per=$max_per_track
  [ "$per" -lt 2 ] && per=2
  made=0
  printf '%s\n' "$files" | while IFS= read -r f; do
    [ -n "$f" ] || continue
    [ "$(ls "$dir" | wc -l)" -ge "$max_clips" ] && break
    len=$(soxi -D "$f" 2>/dev/null || echo 0)
    len=${len%.*}
    [ "$len" -ge "$clip_seconds" ] || continue
    # clips evenly spread over the track, not overlapping
    fit=$(( len / clip_seconds ))
    n=$per; [ "$n" -gt "$fit" ] && n=$fit
    base=$(basename "$f" .ogg | tr -c 'A-Za-z0-9_\n-' '_')
    i=0
    while [ "$i" -lt "$n" ]; do
      start=$(( (len - clip_seconds) * (2 * i + 1) / (2 * n) ))
      [ "$n" -eq 1 ] && start=$(( (len - clip_seconds) / 2 ))
      sox -V1 "$f" -c 1 "$dir/$base-$i.flac" trim "$start" "$clip_seconds"
      i=$((i + 1))
    done
  done
  echo "$src: $(ls "$dir" | wc -l) clips from $n_files files" >&2
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
# marks made from the labels for half of the clips (every other one): the top 15
# of each such query under the default weights, good when from the same source
/usr/bin/python3 - "$cli" "$F" "$M" "$out/marks-half.csv" <<'PY'
import csv, subprocess, sys
cli, F, M, out = sys.argv[1:]
rows = list(csv.DictReader(open(M, newline='', encoding='utf-8')))
src = {r['clip_id']: r['source'] for r in rows}
rec = {r['clip_id']: r['recording'] for r in rows}
with open(out, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['query_clip_id', 'result_clip_id', 'mark'])
    for r in rows[::2]:
        q = r['clip_id']
        res = subprocess.run([cli, 'query', '--features', F, '--metadata', M, '--clip-id', q,
                              '--top', '25'], capture_output=True, text=True, check=True)
        n = 0
        for line in res.stdout.splitlines()[2:]:
            c = line.split('\t')[1]
            if rec[c] == rec[q]:
                continue  # the same recording says nothing about the weights
            w.writerow([q, c, 'good' if src[c] == src[q] else 'bad'])
            n += 1
            if n == 15:
                break
PY
suggested=$("$cli" suggest-weights --features "$F" --metadata "$M" --marks "$out/marks-half.csv" |
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
