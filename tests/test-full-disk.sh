#!/bin/sh
# test-full-disk.sh: `analyze` into a full disk. The write fails with a message that
# names the file, the previous collection stays as it was and opens, no temporary file
# is left, and once there is room a re-run completes the collection without analysing
# again what was recorded.  The disk is a small tmpfs in a private mount namespace
# (unshare), so no root is needed and nothing outside the test changes.
# usage: test-full-disk.sh SOUNDALIKE_CLI SIGNALS_DIR
set -u
if [ "${SOUNDALIKE_IN_NAMESPACE:-}" != 1 ]; then
  SOUNDALIKE_IN_NAMESPACE=1 exec unshare -rm sh "$0" "$@"
fi
cli=$1
signals=$2
work=$(mktemp -d)
disk=$work/disk
mkdir -p "$disk" "$work/music"
mount -t tmpfs -o size=4m tmpfs "$disk" || { echo "not ok 1 - cannot mount a tmpfs"; echo "1..1"; exit 1; }
trap 'umount "$disk"; rm -rf "$work"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
summary() { sed -n 's/^\([0-9]*\) files: \([0-9]*\) analysed, \([0-9]*\) unchanged.*/\1 \2 \3/p' "$1"; }

out=$disk/collection
cp "$signals/short_7s.wav" "$signals/clicks_120bpm.wav" "$work/music/"
if "$cli" analyze "$work/music" --output "$out" 2>"$work/err1"; then ok "first analysis"; else not_ok "first analysis: $(cat "$work/err1")"; fi
cp "$out/features.npz" "$work/before.npz"
cp "$out/metadata.csv" "$work/before.csv"

# fill the disk, leaving a few kilobytes: less than a new features.npz needs
avail=$(df -k --output=avail "$disk" | tail -1)
dd if=/dev/zero of="$disk/filler" bs=1k count=$((avail - 4)) 2>/dev/null
cp "$signals/white_noise.wav" "$signals/pink_am_2hz.wav" "$work/music/"
if "$cli" analyze "$work/music" --output "$out" 2>"$work/err2"; then
  not_ok "analysis onto a full disk succeeded"
else
  ok "analysis onto a full disk fails"
fi
if grep -q "$out/.*: cannot write: No space left on device" "$work/err2"; then
  ok "the message names the file and the problem: $(grep -m1 'No space' "$work/err2")"
else
  not_ok "message: $(cat "$work/err2")"
fi
if cmp -s "$out/features.npz" "$work/before.npz" && cmp -s "$out/metadata.csv" "$work/before.csv"; then
  ok "the previous collection is untouched"
else
  # metadata is written first: a new metadata.csv with the old features still joins
  if cmp -s "$out/features.npz" "$work/before.npz"; then ok "the previous features are untouched"; else not_ok "features.npz changed"; fi
fi
if "$cli" info --features "$out/features.npz" --metadata "$out/metadata.csv" | grep -q "^tracks joined	2$"; then
  ok "the collection opens with its 2 tracks"
else
  not_ok "the collection does not open"
fi
if ls "$out" | grep -q '\.tmp-'; then not_ok "temporary files left: $(ls "$out")"; else ok "no temporary file left"; fi

rm "$disk/filler"
"$cli" analyze "$work/music" --output "$out" 2>"$work/err3"
s=$(summary "$work/err3")
if [ "$s" = "4 2 2" ]; then ok "with room again: 2 new files analysed, 2 reused ($s)"; else not_ok "re-run: $s: $(cat "$work/err3")"; fi
if "$cli" info --features "$out/features.npz" --metadata "$out/metadata.csv" | grep -q "^tracks joined	4$"; then
  ok "the collection has all 4 tracks"
else
  not_ok "the completed collection"
fi
echo "1..$n"
[ "$fails" -eq 0 ]
