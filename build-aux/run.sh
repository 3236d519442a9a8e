#!/bin/sh
# run.sh: installs the dependencies, builds, and starts Soundalike on its demo collection
# (48 clips it synthesises and analyses itself the first time, into ~/.cache/soundalike/demo).
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d _build ] || meson setup _build
meson compile -C _build
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
exec ./_build/src/app/soundalike --demo "$@"
