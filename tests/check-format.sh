#!/bin/sh
# check-format.sh: every C file under src/ and tests/ is as clang-format 14 (.clang-format)
# writes it.  Fix a failure with: clang-format -i FILE
# usage: check-format.sh CLANG_FORMAT SOURCE_ROOT
#
# Left out for now, and why:
#   src/app/sa-window.c, tests/test-window.c
#                        being rewritten into one widget per part (issue 13); the new files are
#                        checked as soon as they exist.
set -u
clang_format=$1
cd "$2" || exit 1
excluded="src/app/sa-window.c tests/test-window.c"

n=0
fails=0
case "$("$clang_format" --version)" in
  *"version 14."*) ;;
  *) echo "# warning: $("$clang_format" --version) is not clang-format 14 (Debian 12): results may differ" ;;
esac
for f in $(find src tests -name '*.[ch]' | LC_ALL=C sort); do
  case " $excluded " in *" $f "*) continue ;; esac
  n=$((n + 1))
  if "$clang_format" --dry-run -Werror "$f" 2>/dev/null; then
    echo "ok $n - $f"
  else
    fails=$((fails + 1))
    echo "not ok $n - $f is not formatted (clang-format -i $f):"
    "$clang_format" --dry-run "$f" 2>&1 | head -12 | sed 's/^/# /'
  fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
