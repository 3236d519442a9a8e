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
    head.append('source')
    for r in rows[1:]:
        r.append(os.path.basename(os.path.dirname(r[col])))
with open(path + '.tmp', 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(rows)
os.replace(path + '.tmp', path)
PY

echo "collection: $out/collection" >&2
