#!/bin/sh
# ci-hardening.sh: the whole test suite under AddressSanitizer and UBSan, the CLI under
# valgrind, and every fuzz target for a while. Run by .ci/run after the normal suite.
set -eu
cd "$(dirname "$0")/.."
status=0

echo "== the test suite under AddressSanitizer and UndefinedBehaviorSanitizer"
[ -d _asan ] || meson setup _asan -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C _asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"
meson test -C _asan --print-errorlogs --timeout-multiplier 4 || status=1
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

echo "== soundalike-cli under valgrind (info, query, analyze)"
F=tests/data/tutorial/features.npz
M=tests/data/tutorial/metadata.csv
# "possibly lost" are the stacks of threads still parked at exit (GLib pools, the GStreamer clock)
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=3"
music=$(mktemp -d)
cp _build/tests/signals/short_7s.wav _build/tests/signals/clicks_120bpm.wav tests/bad-inputs/files/garbage.mp3 "$music/"
$VG _build/src/cli/soundalike-cli info --features $F --metadata $M >/dev/null || status=1
$VG _build/src/cli/soundalike-cli query --features $F --metadata $M --clip-id 24300 --metric cosine >/dev/null || status=1
$VG _build/src/cli/soundalike-cli analyze "$music" --output "$music/out" --quiet || status=1
rm -rf "$music"
[ $status -eq 0 ] && echo "valgrind: clean"

echo "== fuzzing (libFuzzer, ASan, UBSan), 45 s per target"
[ -d _fuzz ] || CC=clang meson setup _fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
targets="npy npz csv collection extract wav inflate"
for t in $targets; do meson compile -C _fuzz "tests/fuzz/fuzz-$t"; done
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $targets; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$t/* "$work/"
  if (cd "$work" && "$OLDPWD/_fuzz/tests/fuzz/fuzz-$t" "$work" -max_total_time=45 -max_len=200000 \
      -timeout=30 -rss_limit_mb=3000 >"$work.log" 2>&1); then
    echo "fuzz-$t: $(grep -E '^Done' "$work.log")"
  else
    echo "fuzz-$t FAILED:"; grep -E -A30 'ERROR|runtime error' "$work.log" | head -60; status=1
  fi
  rm -rf "$work" "$work.log"
done
exit $status
