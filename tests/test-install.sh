#!/bin/sh
# test-install.sh: `meson install` puts everything in place, and the installed programs run.
# usage: test-install.sh BUILD_ROOT PREFIX DATADIR BINDIR
set -u
build=$1
prefix=$2
datadir=$3
bindir=$4
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

if meson install -C "$build" --no-rebuild --destdir "$dest" --quiet >"$dest.log" 2>&1; then
  ok "meson install"
else
  not_ok "meson install: $(tail -5 "$dest.log")"
fi
rm -f "$dest.log"
root=$dest$prefix
share=$root/$datadir
for f in "$bindir/soundalike" "$bindir/soundalike-cli" \
  "$datadir/applications/io.github.soundalike.Soundalike.desktop" \
  "$datadir/metainfo/io.github.soundalike.Soundalike.metainfo.xml" \
  "$datadir/glib-2.0/schemas/io.github.soundalike.Soundalike.gschema.xml" \
  "$datadir/icons/hicolor/scalable/apps/io.github.soundalike.Soundalike.svg" \
  "$datadir/icons/hicolor/symbolic/apps/io.github.soundalike.Soundalike-symbolic.svg" \
  "$datadir/locale/de/LC_MESSAGES/soundalike.mo"; do
  if [ -e "$root/$f" ]; then ok "installed $f"; else not_ok "missing $f"; fi
done

# the installed programs run from the prefix (the catalogue from the prefix too)
if "$root/$bindir/soundalike-cli" --version | grep -q "^soundalike-cli "; then ok "installed soundalike-cli runs"; else not_ok "soundalike-cli --version"; fi
if LANGUAGE=de LC_ALL=C.UTF-8 SOUNDALIKE_LOCALEDIR="$share/locale" "$root/$bindir/soundalike-cli" --help | grep -q "^Befehle:"; then
  ok "installed catalogue is used"
else
  not_ok "installed catalogue"
fi
if "$root/$bindir/soundalike" --help | grep -q -- "--demo"; then ok "installed soundalike --help"; else not_ok "soundalike --help"; fi
glib-compile-schemas --strict "$share/glib-2.0/schemas" && ok "installed schema compiles" || not_ok "schema"
echo "1..$n"
[ "$fails" -eq 0 ]
