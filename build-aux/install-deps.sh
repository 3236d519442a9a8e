#!/bin/sh
# install-deps.sh: installs what Soundalike needs to build, run and test on Debian 12.
# Idempotent; runs apt-get directly as root and through sudo otherwise.
set -eu

packages="
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin
  libgtk-4-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-tools
  libcsv-dev zlib1g-dev libfftw3-dev
  python3 python3-numpy python3-pandas
  xvfb xauth dbus
  desktop-file-utils appstream
  clang libclang-rt-14-dev valgrind util-linux
  python3-scipy
"
# GNU parallel: the shard test runs analyze --shard under it (tests/test-shard.py)
packages="$packages
  parallel
"
# the window: libadwaita (GNOME's widgets and style: toasts, status pages, dark mode)
packages="$packages
  libadwaita-1-dev
"
# window-core: clang-format 14 for the style check (tests/check-format.sh); locales for the
# number-formatting test under de_DE.UTF-8 (generated below)
packages="$packages
  clang-format locales
"
# import-speed: libdeflate inflates a whole .npz member at once, about 2-3x zlib's speed
packages="$packages
  libdeflate-dev
"

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

# window-core: the German locale the formatting test runs under ("100.000", "1,4249")
if ! locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
  echo "Generating the de_DE.UTF-8 locale"
  $sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi
