#!/bin/sh
# test-i18n.sh: translations. Every user-visible string is marked and listed in POTFILES,
# the German catalogue translates all of them, and the CLI speaks German under that locale.
# usage: test-i18n.sh SOUNDALIKE_CLI SOURCE_ROOT BUILD_ROOT
set -u
cli=$1
src=$2
build=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# 1. POTFILES lists every file with translatable strings
missing=""
for f in $(cd "$src" && grep -lE '(^|[^A-Za-z_])(N?C?_|g_dngettext) \(|translatable="yes"' src/*/*.c ui/*.ui data/*.in data/*.xml 2>/dev/null); do
  grep -qx "$f" "$src/po/POTFILES.in" || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "POTFILES.in lists every file with translatable strings"; else not_ok "missing from POTFILES.in:$missing"; fi

# 2. the German catalogue covers a fresh extraction of every string
(cd "$src" && xgettext --files-from=po/POTFILES.in --from-code=UTF-8 --add-comments --keyword=_ \
  --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --flag=g_set_error:4:c-format --flag=g_printerr:1:c-format --flag=g_strdup_printf:1:c-format \
  -o "$tmp/fresh.pot" 2>"$tmp/xgettext.err")
msgmerge -q --no-fuzzy-matching "$src/po/de.po" "$tmp/fresh.pot" -o "$tmp/merged.po"
stats=$(msgfmt -c --statistics -o /dev/null "$tmp/merged.po" 2>&1)
total=$(grep -c '^msgid "' "$tmp/fresh.pot")
case "$stats" in
  *untranslated* | *fuzzy*) not_ok "de.po is incomplete: $stats" ;;
  *) ok "de.po translates all $((total - 1)) strings ($stats)" ;;
esac

# 3. the CLI under a German locale
# the build folder's catalogues are found without SOUNDALIKE_LOCALEDIR (sa-i18n.c)
unset SOUNDALIKE_LOCALEDIR
export LANGUAGE=de LC_ALL=C.UTF-8
if "$cli" --help | grep -q "^Befehle:"; then ok "--help in German"; else not_ok "--help: $("$cli" --help | head -3)"; fi
"$cli" info --features "$tmp/nicht-da.npz" 2>"$tmp/err"
if grep -q "nicht-da.npz: kann nicht geöffnet werden" "$tmp/err"; then ok "an error in German"; else not_ok "error: $(cat "$tmp/err")"; fi
"$cli" query --features "$src/tests/data/tutorial/features.npz" --metadata "$src/tests/data/tutorial/metadata.csv" --clip-id 7 2>"$tmp/err"
if grep -q "clip_id 7 ist nicht in der Sammlung" "$tmp/err"; then ok "query error in German"; else not_ok "query: $(cat "$tmp/err")"; fi
"$cli" info --features "$src/tests/data/formats/small_nan.npz" 2>"$tmp/err"
if grep -q "Zeile 3 (clip_id 14), Spalte 17 ist NaN" "$tmp/err"; then ok "a message with 64-bit numbers in German"; else not_ok "nan: $(cat "$tmp/err")"; fi

echo "1..$n"
[ "$fails" -eq 0 ]
