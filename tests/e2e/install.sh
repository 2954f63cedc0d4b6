#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR - cmake --install lays out a working tree.
#
# Installs into a temporary prefix and checks that the six tools, their man
# pages, the report font and the GeoIP database are there, and that the
# installed omsec-report renders a PDF with the installed font.
set -eu
B=$1
S=$2
T=$(mktemp -d /tmp/omsec-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$B" --prefix "$T" > "$T/install.log" ||
	fail "cmake --install failed: $(tail -5 "$T/install.log")"
for t in omsec-ingest omsec-parse omsec-enrich omsec-detect omsec-agg omsec-report; do
	[ -x "$T/bin/$t" ] || fail "$t not installed"
	[ -f "$T/share/man/man1/$t.1" ] || fail "$t.1 not installed"
	"$T/bin/$t" --help > "$T/help" || fail "$t --help exit $?"
	grep -qi usage "$T/help" || fail "$t --help prints no usage"
done
[ -s "$T/share/omsec/fonts/omsec-cjk.ttf" ] || fail "font not installed"
if [ -f "$S/third_party/geoip/country.mmdb" ]; then
	cmp "$S/third_party/geoip/country.mmdb" "$T/share/omsec/geoip/country.mmdb" ||
		fail "GeoIP database not installed"
fi
D="$S/tests/data/reports"
OMSEC_DATADIR="$T/share/omsec" "$T/bin/omsec-report" --config "$D/site.ini" \
	--period 2026-11 --summary "$D/summary.tsv" -o "$T/r.pdf" 2> "$T/err" ||
	fail "installed omsec-report failed: $(cat "$T/err")"
pdffonts "$T/r.pdf" | grep -q 'yes *yes' || fail "installed font not embedded"
echo "install: ok ($(find "$T" -type f | wc -l) files)"
