#!/bin/sh
# realdata.sh - omsec-ingest over $OMSEC_REALDATA (a directory of public
# sample logs): every file becomes one source, and every raw line comes out
# once, unchanged but for the '#' escape.
# usage: realdata.sh path/to/omsec-ingest realdata-dir
set -u
BIN=$1
RD=$2
[ -d "$RD" ] || { echo "no real data at $RD: skipped"; exit 77; }
T=$(mktemp -d /tmp/ingest_rd.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

"$BIN" -v "$RD" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || fail "exit $rc: $(cat "$T/err")"
nfiles=$(find "$RD" -type f | wc -l)
nsrc=$(LC_ALL=C grep -a -c '^#source	' "$T/out")
[ "$nsrc" -eq "$nfiles" ] || fail "$nsrc sources for $nfiles files"
# Lines per file as awk counts them (a last line without '\n' counts).
want=$(find "$RD" -type f -exec awk 'END { print NR }' {} \; | awk '{ s += $1 } END { print s }')
got=$(LC_ALL=C grep -a -vc '^#source	\|^#omsec-ingest	' "$T/out")
[ "$got" -eq "$want" ] || fail "$got lines, want $want"
grep -q "^omsec-ingest: $nfiles files, .* $want lines, 0 truncated, 0 failed" "$T/err" || fail "summary: $(cat "$T/err")"
# Every file byte for byte: its section, '#' escape undone, equals the file
# (plus the '\n' that ingest adds to an unterminated last line).
find "$RD" -type f | while IFS= read -r f; do
	awk -v p="$f" '
		/^#source\t/ { split($0, a, "\t"); on = (a[2] == p); next }
		on { if (substr($0, 1, 2) == "##") $0 = substr($0, 2); print }' \
	    "$T/out" > "$T/one"
	{ cat "$f"; [ -n "$(tail -c 1 "$f")" ] && echo; } | cmp -s - "$T/one" ||
	    { echo "FAIL: $f: section differs from the file" >&2; echo x; }
done > "$T/bad"
[ -s "$T/bad" ] && fail "$(wc -l < "$T/bad") files differ"
[ $fails -eq 0 ] || exit 1
echo "ok: $nfiles files, $want lines"
