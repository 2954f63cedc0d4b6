#!/bin/sh
# tool_test.sh - tool-level tests of omsec-enrich: exit codes and bytes.
# Usage: sh tool_test.sh CASE OMSEC_ENRICH DATADIR REALDATA
# Exit: 0 pass, 1 fail, 77 skip (data missing).
set -u
case_=$1 E=$2 D=$3 R=${4:-}
T=$R/maxmind/test-data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $case_: $*" >&2; exit 1; }
need_realdata() { [ -r "$T/GeoIP2-City-Test.mmdb" ] || { echo "SKIP: no $T"; exit 77; }; }

case $case_ in
help)
	"$E" --help >"$tmp/out" 2>"$tmp/err" || fail "--help exit $?"
	head -n 1 "$tmp/out" | grep -q '^usage: omsec-enrich ' || fail "--help text"
	[ -s "$tmp/err" ] && fail "--help wrote to stderr"
	"$E" --help >/dev/full 2>/dev/null && fail "--help >/dev/full exit 0"
	;;
usage)
	"$E" --bogus </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] || fail "unknown option exit $rc"
	[ -s "$tmp/out" ] && fail "usage error wrote to stdout"
	"$E" --cache many </dev/null >/dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] || fail "--cache many exit $rc"
	;;
devfull)
	"$E" --config "$D/site.ini" "$D/events.tsv" >/dev/full 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] || fail ">/dev/full exit $rc"
	grep -q 'omsec-enrich: stdout' "$tmp/err" || fail "no stdout message"
	;;
notevents)
	printf '#omsec-ingest\t1\n#source\t-\t-\t-\nhello\n' |
	    "$E" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] || fail "ingest framing exit $rc"
	grep -q '^omsec-enrich: -:1: not an event stream$' "$tmp/err" ||
	    fail "message: $(cat "$tmp/err")"
	;;
badline)
	printf '#omsec-events\t1\n#fields\tts\tsrc_ip\tmsg\nbroken\n2026-11-03T02:14:07.000Z\t10.1.1.1\tok\n' \
	    >"$tmp/in.tsv"
	"$E" "$tmp/in.tsv" "$tmp/missing.tsv" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] || fail "malformed line exit $rc"
	grep -q "^omsec-enrich: $tmp/in.tsv:3: wrong number of columns\$" "$tmp/err" ||
	    fail "message: $(cat "$tmp/err")"
	grep -q "^omsec-enrich: $tmp/missing.tsv: No such file" "$tmp/err" ||
	    fail "missing file message: $(cat "$tmp/err")"
	[ "$(grep -c -v '^#' "$tmp/out")" -eq 1 ] || fail "good line not written"
	grep -q '	10.1.1.1	.*	internal	-	ok	-$' "$tmp/out" || fail "zone"
	;;
assets)
	# --assets, and [site] assets relative to the config's folder.
	printf '#fields\tts\thost\tdst_ip\tmsg\n2026-11-03T02:14:07.000Z\tgw01\t10.20.2.10\ta\n2026-11-03T02:14:08.000Z\tweb01\t-\tb\n2026-11-03T02:14:09.000Z\tgw01\t192.0.2.1\tc\n' \
	    >"$tmp/in.tsv"
	"$E" --assets "$D/assets.csv" "$tmp/in.tsv" >"$tmp/out" 2>"$tmp/err" ||
	    fail "exit $?: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"
	[ "$(grep -v '^#' "$tmp/out" | cut -f28,29 | tr '\t\n' ',;')" = \
	    "a,A-DB;b,A-WEB;c,-;" ] || fail "$(cat "$tmp/out")"
	mkdir "$tmp/site"
	cp "$D/assets.csv" "$tmp/site/inv.csv"
	printf '[site]\nassets = inv.csv\n' >"$tmp/site/site.ini"
	"$E" --config "$tmp/site/site.ini" "$tmp/in.tsv" >"$tmp/out2" 2>"$tmp/err" ||
	    fail "config exit $?: $(cat "$tmp/err")"
	cmp "$tmp/out" "$tmp/out2" || fail "[site] assets differs from --assets"
	"$E" --assets "$tmp/none.csv" "$tmp/in.tsv" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] || fail "missing inventory exit $rc"
	grep -q "none.csv: asset inventory not usable" "$tmp/err" ||
	    fail "message: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail "wrote events without the inventory"
	;;
missingdb)
	"$E" --geoip "$tmp/none.mmdb" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] || fail "missing database exit $rc"
	grep -q "^omsec-enrich: $tmp/none.mmdb: cannot open\$" "$tmp/err" ||
	    fail "message: $(cat "$tmp/err")"
	;;
defaultdb)
	# Without --geoip the installed or build-tree geoip/country.mmdb is
	# used (scripts/fetch-geoip.sh); skip when there is none.
	printf '#fields\tts\tsrc_ip\tmsg\n2026-11-03T02:14:07.000Z\t8.8.8.8\ta\n2026-11-03T02:14:08.000Z\t1.1.1.1\tb\n' |
	    "$E" >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
	if grep -q 'no GeoIP database found' "$tmp/err"; then
		echo "SKIP: no default database"; exit 77
	fi
	[ "$(grep -v '^#' "$tmp/out" | cut -f8,22,26 | tr '\t\n' ',;')" = \
	    "8.8.8.8,US,external;1.1.1.1,AU,external;" ] || fail "$(cat "$tmp/out")"
	;;
golden_tsv|golden_json)
	need_realdata
	json=; ext=tsv
	[ "$case_" = golden_json ] && json=--json ext=json
	"$E" $json --config "$D/site.ini" --geoip "$T/GeoIP2-City-Test.mmdb" \
	    --asn "$T/GeoLite2-ASN-Test.mmdb" <"$D/events.tsv" >"$tmp/out" \
	    2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
	cmp "$tmp/out" "$D/expected.$ext" || fail "output differs from expected.$ext"
	[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"
	# Without the cache the bytes are the same.
	"$E" $json --cache 0 --config "$D/site.ini" --geoip "$T/GeoIP2-City-Test.mmdb" \
	    --asn "$T/GeoLite2-ASN-Test.mmdb" "$D/events.tsv" >"$tmp/out2" ||
	    fail "--cache 0 exit $?"
	cmp "$tmp/out2" "$D/expected.$ext" || fail "--cache 0 output differs"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
