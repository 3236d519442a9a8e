#!/bin/sh
# bench-shard.sh: analysis throughput of one shard against two shards run at once under
# GNU parallel (then merged), on 40 clips of 30 s (20 Ogg Vorbis, 20 MP3), as in
# bench-extract.sh.  Prints Markdown for docs/performance.md.
# usage: build-aux/bench-shard.sh [BUILDDIR]   (needs gst-launch-1.0, parallel, /usr/bin/time)
set -eu
build=${1:-_build}
cli=$(cd "$build" && pwd)/src/cli/soundalike-cli
signals=$build/tests/signals
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

mkdir -p "$tmp/clips"
for s in chord_tremolo_4hz clicks_120bpm pink_am_2hz sine440_m6dBFS white_noise; do
  for k in 1 2 3 4; do
    gst-launch-1.0 -q filesrc location="$signals/$s.wav" ! wavparse ! audioconvert ! vorbisenc quality=0.5 ! oggmux ! filesink location="$tmp/clips/${s}_$k.ogg"
    gst-launch-1.0 -q filesrc location="$signals/$s.wav" ! wavparse ! audioconvert ! lamemp3enc target=bitrate bitrate=192 ! filesink location="$tmp/clips/${s}_$k.mp3"
  done
done

# The machine may be shared: the three runs are interleaved, 5 rounds, medians reported;
# CPU time (user + sys, all processes) shows what sharding costs, whatever the load.
one="'$cli' analyze '$tmp/clips' --output '$tmp/out' --jobs 1 --quiet"
two="parallel --will-cite -j2 '$cli' analyze '$tmp/clips' --output '$tmp/s{}' --jobs 1 --quiet --shard {}/2 ::: 1 2 && '$cli' merge '$tmp/merged' '$tmp/s1' '$tmp/s2' --quiet"
threads="'$cli' analyze '$tmp/clips' --output '$tmp/out' --jobs 2 --quiet"
: >"$tmp/times"
for r in 1 2 3 4 5; do
  for run in one two threads; do
    rm -rf "$tmp/out" "$tmp/s1" "$tmp/s2" "$tmp/merged"
    eval "cmd=\$$run"
    /usr/bin/time -f "$run %e %U %S" -a -o "$tmp/times" sh -c "$cmd"
  done
done
row() {
  wall=$(awk -v r="$1" '$1==r{print $2}' "$tmp/times" | median)
  cpu=$(awk -v r="$1" '$1==r{print $3 + $4}' "$tmp/times" | median)
  echo "| $2 | $wall | $(awk "BEGIN{printf \"%.0f\", 1200 / $wall}")x | $(awk "BEGIN{printf \"%.2f\", 40 / $wall}") | $cpu |"
}
echo "| run | wall time (s, median of 5) | x real time | files/s | CPU time (s, median) |"
echo "|---|---:|---:|---:|---:|"
row one "1 shard (plain analyze, --jobs 1)"
row two "2 shards at once (parallel -j2, --jobs 1 each) + merge"
row threads "plain analyze, --jobs 2 (threads in one process)"
echo
echo "Load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo

# the merge alone, and that it equals the plain run
"$cli" analyze "$tmp/clips" --output "$tmp/out" --jobs 2 --quiet
parallel --will-cite -j2 "$cli" analyze "$tmp/clips" --output "$tmp/s{}" --jobs 1 --quiet --shard {}/2 ::: 1 2
/usr/bin/time -f "%e" -o "$tmp/t" "$cli" merge "$tmp/merged" "$tmp/s1" "$tmp/s2" --quiet
n1=$(($(wc -l <"$tmp/s1/metadata.csv") - 1))
n2=$(($(wc -l <"$tmp/s2/metadata.csv") - 1))
same=no
cmp -s "$tmp/out/features.npz" "$tmp/merged/features.npz" && cmp -s "$tmp/out/metadata.csv" "$tmp/merged/metadata.csv" && same=yes
echo
echo "Shard sizes: $n1 + $n2 files; merge alone: $(cat "$tmp/t") s; merged files byte-identical to the plain run: $same."
