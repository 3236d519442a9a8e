#!/bin/sh
# bench-resources.sh: memory stays bounded on big inputs.
#  - a folder of N tiny files (0.5 s WAVs: each is decoded and refused as too short),
#    analysed with --jobs 2, at N = 1,000 and N = 10,000: peak RSS must not grow with N
#    beyond the small per-file record;
#  - one 2-hour file (Ogg Vorbis, stereo), analysed: peak RSS against one mono float32 copy
#    (which it no longer needs: files over 128 MiB of samples are decoded twice, streamed).
# usage: build-aux/bench-resources.sh [BUILDDIR]   (needs gst-launch-1.0, /usr/bin/time, python3)
set -eu
build=${1:-_build}
cli=$(realpath "$build/src/cli/soundalike-cli")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp/tiny.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(struct.pack("<4000h", *[int(9000 * math.sin(k * 0.07)) for k in range(4000)]))
PY
echo "| files | wall time (s) | peak RSS (MB) | failures listed |"
echo "|---:|---:|---:|---:|"
for n in 1000 10000; do
  mkdir -p "$tmp/many-$n"
  i=0
  while [ $i -lt $n ]; do
    d="$tmp/many-$n/$((i / 500))"
    mkdir -p "$d"
    cp "$tmp/tiny.wav" "$d/clip-$i.wav"
    i=$((i + 1))
  done
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$cli" analyze "$tmp/many-$n" --output "$tmp/out-$n" --jobs 2 --quiet || true
  read -r secs rss <"$tmp/t"
  echo "| $n | $secs | $(awk "BEGIN{printf \"%.1f\", $rss / 1024}") | $(($(wc -l <"$tmp/out-$n/errors.csv") - 1)) |"
  rm -rf "$tmp/many-$n"
done

echo
mkdir "$tmp/long"
gst-launch-1.0 -q audiotestsrc wave=pink-noise num-buffers=310079 samplesperbuffer=1024 ! \
  audio/x-raw,rate=44100,channels=2 ! audioconvert ! vorbisenc quality=0.1 ! oggmux ! \
  filesink location="$tmp/long/two-hours.ogg"
/usr/bin/time -f "%e %M" -o "$tmp/t" "$cli" analyze "$tmp/long" --output "$tmp/out-long" --quiet
test "$(($(wc -l <"$tmp/out-long/metadata.csv") - 1))" -eq 1
read -r secs rss <"$tmp/t"
echo "| file | wall time (s) | peak RSS (MB) | one mono float32 copy (MB) |"
echo "|---|---:|---:|---:|"
echo "| 2 h stereo Ogg Vorbis ($(du -m "$tmp/long/two-hours.ogg" | cut -f1) MB) | $secs | $(awk "BEGIN{printf \"%.0f\", $rss / 1024}") | $(awk "BEGIN{printf \"%.0f\", 7200 * 44100 * 4 / 1048576}") |"
