#!/bin/sh
# bench-extract.sh: extraction and analysis speed, and peak memory, with the numpy stand-in
# for rp_extract timed in the same run.  Prints Markdown for docs/performance.md.
# usage: build-aux/bench-extract.sh [BUILDDIR]   (needs gst-launch-1.0 and /usr/bin/time)
set -eu
build=${1:-_build}
cli=$build/src/cli/soundalike-cli
signals=$build/tests/signals
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "### Extraction alone (one core, from samples in memory)"
echo
echo "| signal (30 s) | Soundalike (ms) | x real time | numpy stand-in (ms) | x real time | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for s in sine440_m6dBFS white_noise pink_am_2hz clicks_120bpm chord_tremolo_4hz; do
  ours=$("$cli" bench --extract "$signals/$s.wav" --runs 11)
  theirs=$(/usr/bin/python3 build-aux/rpssd_numpy.py "$signals/$s.wav" --runs 5)
  o=$(echo "$ours" | awk -F'\t' '$1=="extract"{print $2}')
  ox=$(echo "$ours" | awk -F'\t' '$1=="realtime_extract"{print $2}')
  t=$(echo "$theirs" | awk -F'\t' '$1=="extract"{print $2}')
  tx=$(echo "$theirs" | awk -F'\t' '$1=="realtime_extract"{print $2}')
  echo "| $s | $o | ${ox}x | $t | ${tx}x | $(awk "BEGIN{printf \"%.1f\", $t / $o}")x |"
done

echo
echo "### Analysis end to end (decode + extract), 40 clips of 30 s (20 Ogg Vorbis, 20 MP3)"
echo
mkdir -p "$tmp/clips"
for s in chord_tremolo_4hz clicks_120bpm pink_am_2hz sine440_m6dBFS white_noise; do
  for k in 1 2 3 4; do
    gst-launch-1.0 -q filesrc location="$signals/$s.wav" ! wavparse ! audioconvert ! vorbisenc quality=0.5 ! oggmux ! filesink location="$tmp/clips/${s}_$k.ogg"
    gst-launch-1.0 -q filesrc location="$signals/$s.wav" ! wavparse ! audioconvert ! lamemp3enc target=bitrate bitrate=192 ! filesink location="$tmp/clips/${s}_$k.mp3"
  done
done
echo "| --jobs | wall time (s, median of 3) | x real time | x real time per job | peak RSS (MB) |"
echo "|---:|---:|---:|---:|---:|"
for j in 1 2; do
  : >"$tmp/times"
  for r in 1 2 3; do
    rm -rf "$tmp/out"
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$cli" analyze "$tmp/clips" --output "$tmp/out" --jobs "$j" --quiet
    cat "$tmp/t" >>"$tmp/times"
  done
  wall=$(awk '{print $1}' "$tmp/times" | median)
  rss=$(awk '{print $2}' "$tmp/times" | sort -n | tail -1)
  echo "| $j | $wall | $(awk "BEGIN{printf \"%.0f\", 1200 / $wall}")x | $(awk "BEGIN{printf \"%.0f\", 1200 / $wall / $j}")x | $(awk "BEGIN{printf \"%.1f\", $rss / 1024}") |"
done

echo
echo "### Peak memory for one long file"
echo
gst-launch-1.0 -q audiotestsrc wave=pink-noise num-buffers=25840 samplesperbuffer=1024 ! audio/x-raw,rate=44100,channels=2 ! audioconvert ! vorbisenc ! oggmux ! filesink location="$tmp/ten-minutes.ogg"
/usr/bin/time -f "%e %M" -o "$tmp/t" "$cli" extract "$tmp/ten-minutes.ogg" >/dev/null
read -r secs rss <"$tmp/t"
echo "| file | wall time (s) | peak RSS (MB) | one mono float32 copy (MB) |"
echo "|---|---:|---:|---:|"
echo "| 10 min stereo Ogg Vorbis | $secs | $(awk "BEGIN{printf \"%.1f\", $rss / 1024}") | $(awk "BEGIN{printf \"%.1f\", 600 * 44100 * 4 / 1048576}") |"
