#!/bin/sh
# run.sh: installs the dependencies, builds, and starts Soundalike.
# (It opens the bundled example collection, in the tutorial's layout.)
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d _build ] || meson setup _build
meson compile -C _build
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
exec ./_build/src/app/soundalike --features tests/data/tutorial/features.npz \
  --metadata tests/data/tutorial/metadata.csv "$@"
