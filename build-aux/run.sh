#!/bin/sh
# run.sh: installs the dependencies, builds, and starts Soundalike on its demo collection.
# (Until the window exists: describes and queries the bundled example collection.)
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d _build ] || meson setup _build
meson compile -C _build
F=tests/data/tutorial/features.npz
M=tests/data/tutorial/metadata.csv
./_build/src/cli/soundalike-cli info --features "$F" --metadata "$M"
echo
./_build/src/cli/soundalike-cli query --features "$F" --metadata "$M" --title "Took Me By Surprise"
