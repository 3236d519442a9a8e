#!/bin/sh
# test-cli.sh: soundalike-cli's contract: output formats, exit status and one-line errors.
# usage: test-cli.sh SOUNDALIKE_CLI SOURCE_TESTS_DIR
set -u
cli=$1
data=$2/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# expect_fail NAME PATTERN ARGS...: exit status non-zero, exactly one line on stderr matching PATTERN
expect_fail() {
  name=$1 pattern=$2
  shift 2
  if "$cli" "$@" >"$tmp/out" 2>"$tmp/err"; then
    not_ok "$name (exit status 0)"
    return
  fi
  if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/err"; then
    not_ok "$name: stderr was: $(cat "$tmp/err")"
    return
  fi
  ok "$name"
}

F=$data/tutorial/features.npz
M=$data/tutorial/metadata.csv

# info
if "$cli" info --features "$F" --metadata "$M" >"$tmp/info" 2>&1 \
  && grep -q "^tracks joined	2438$" "$tmp/info" \
  && grep -q "^feature set	rp	1440$" "$tmp/info" \
  && grep -q "^feature set	ssd	168$" "$tmp/info" \
  && grep -q "^metadata rows without features	60$" "$tmp/info"; then
  ok "info on the tutorial-layout fixture"
else
  not_ok "info: $(cat "$tmp/info")"
fi

# query: TSV with the query at rank 0 and K results
if "$cli" query --features "$F" --metadata "$M" --clip-id 24300 --top 5 >"$tmp/q" \
  && [ "$(wc -l <"$tmp/q")" -eq 7 ] \
  && head -1 "$tmp/q" | grep -q "^rank	clip_id	distance	artist	title	album	path$" \
  && sed -n 2p "$tmp/q" | grep -q "^0	24300	0	" \
  && sed -n 3p "$tmp/q" | grep -q "^1	4314	"; then
  ok "query --clip-id (TSV)"
else
  not_ok "query --clip-id: $(cat "$tmp/q")"
fi

if "$cli" query --features "$F" --metadata "$M" --title "took me by surprise" --format m3u \
  --top 3 >"$tmp/m3u" && head -1 "$tmp/m3u" | grep -q "^#EXTM3U$" \
  && [ "$(grep -c '^#EXTINF' "$tmp/m3u")" -eq 4 ]; then
  ok "query --title --format m3u"
else
  not_ok "query m3u: $(cat "$tmp/m3u")"
fi

if "$cli" query --features "$F" --metadata "$M" --clip-id 24300 --metric cosine \
  --weights rp=1,ssd=0 --exclude-same artist --no-set-scaling --top 3 >"$tmp/q2" \
  && [ "$(wc -l <"$tmp/q2")" -eq 5 ]; then
  ok "query with every option"
else
  not_ok "query with every option"
fi

# errors: one line, non-zero
expect_fail "unknown clip id" "clip id 7 is not in the collection" query --features "$F" --metadata "$M" --clip-id 7
expect_fail "unknown set" "unknown feature set 'mfcc'" query --features "$F" --metadata "$M" --clip-id 24300 --weights mfcc=1
expect_fail "negative weight" "negative" query --features "$F" --metadata "$M" --clip-id 24300 --weights rp=-0.5
if "$cli" query --features "$F" --metadata "$M" --clip-id 24300 --top 100000 >"$tmp/qall" 2>"$tmp/qall.err" \
  && [ "$(wc -l <"$tmp/qall")" -eq 2439 ] && grep -q "has 2437 other tracks; showing 2437 instead of 100000" "$tmp/qall.err"; then
  ok "--top beyond the collection is clamped, and said so"
else
  not_ok "--top clamp: $(cat "$tmp/qall.err")"
fi
expect_fail "negative K" "whole number" query --features "$F" --metadata "$M" --clip-id 24300 --top -1
expect_fail "hex K" "whole number" query --features "$F" --metadata "$M" --clip-id 24300 --top 0x10
expect_fail "bad metric" "metric" query --features "$F" --metadata "$M" --clip-id 24300 --metric chebyshev
expect_fail "missing file" "nope.npz" info --features "$tmp/nope.npz"
expect_fail "not a zip" "not a numpy .npz" info --features "$M"
expect_fail "NaN" "column 17 is NaN" info --features "$data/formats/small_nan.npz"
expect_fail "rows differ" "'ssd' has 5 rows" info --features "$data/formats/small_rows_differ.npz"
printf ',clip_id,title\n1,5,a,b\n' >"$tmp/ragged.csv"
expect_fail "ragged CSV" "ragged.csv: line 2 has 4 fields" info --features "$F" --metadata "$tmp/ragged.csv"
expect_fail "unknown command" "unknown command" frobnicate
expect_fail "no query" "exactly one of" query --features "$F" --metadata "$M"

# window-core: M3U injection (issue 12): a newline in a title, artist or path writes no extra entry
printf 'clip_id,mp3_path,title,artist\n11,"/m/a\n#EXTINF:-1,evil\n/etc/passwd",One,A\n12,/m/b.mp3,"Two\n/etc/shadow","B\r\n#EXTINF:1,x"\n13,/m/c.mp3,Three,C\n' >"$tmp/hostile.csv"
if "$cli" query --features "$data/formats/small_f32.npz" --metadata "$tmp/hostile.csv" --clip-id 12 \
  --top 2 --format m3u >"$tmp/hostile.m3u" && [ "$(wc -l <"$tmp/hostile.m3u")" -eq 7 ] \
  && [ "$(grep -c '^#EXTINF' "$tmp/hostile.m3u")" -eq 3 ] && ! grep -q '^/etc' "$tmp/hostile.m3u" \
  && grep -qx 'file:///m/a%0A%23EXTINF:-1,evil%0A/etc/passwd' "$tmp/hostile.m3u"; then
  ok "query --format m3u: control characters cannot add entries"
else
  not_ok "m3u injection: $(cat "$tmp/hostile.m3u")"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
