#!/bin/sh
# test.sh: installs the dependencies, builds, and runs the whole test suite.
# Fails when a test fails or is skipped.
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d _build ] || meson setup _build
meson compile -C _build
status=0
meson test -C _build --print-errorlogs || status=$?
# a skipped test is a test that did not run: treat it as a failure
if grep -q '^Skipped: *[1-9]' _build/meson-logs/testlog.txt 2>/dev/null; then
  echo "error: some tests were skipped" >&2
  status=1
fi
exit $status
