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
"
# the window: libadwaita (GNOME's widgets and style: toasts, status pages, dark mode)
packages="$packages
  libadwaita-1-dev
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
