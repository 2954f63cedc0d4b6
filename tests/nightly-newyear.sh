#!/bin/sh
# nightly-newyear.sh BUILD_DIR - RFC 3164 stamps carry no year: omsec-parse
# takes it from the #source mtime (the year before when the line's month
# is after the mtime's). Checked over a rotated set that spans New Year and
# is read in two nightly runs, the second reading the rest of a file that
# was renamed after midnight:
#   night 1 (2026-12-31 23:00): auth.log.1 (Dec 30), auth.log (Dec 31)
#   then Dec 31 23:59:58 and Jan 1 00:00:02 are appended, auth.log is
#   rotated at 00:00:03 (.1 compressed, delaycompress), and a new auth.log
#   gets Jan 1-2 lines
#   night 2 (2027-01-02): reads the rest of auth.log.1 (a Dec and a Jan
#   line, mtime Jan 1) and the new auth.log
# Every day must get exactly its lines, in the right year.
set -eu
LC_ALL=C
export LC_ALL
B=$(cd "$1" && pwd)
OMSEC=$B/driver/omsec
T=$(mktemp -d /tmp/omsec-newyear.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T"
mkdir logs
cat > site.ini <<'EOF'
[site]
timezone = UTC
[store]
dir = store
[sources]
auth = logs/auth.log
EOF
n=0
# line STAMP FILE
line() {
	n=$((n + 1))
	echo "$1 db1 sshd[$n]: Accepted password for ops from 10.0.0.$n port $((20000 + n)) ssh2" >> "$2"
}
line 'Dec 30 08:00:00' logs/auth.log.1
line 'Dec 30 23:00:00' logs/auth.log.1
touch -d '2026-12-30 23:00:00 UTC' logs/auth.log.1
line 'Dec 31 09:00:00' logs/auth.log
line 'Dec 31 12:00:00' logs/auth.log
line 'Dec 31 22:00:00' logs/auth.log
touch -d '2026-12-31 22:00:00 UTC' logs/auth.log
"$OMSEC" nightly --config site.ini

line 'Dec 31 23:59:58' logs/auth.log
line 'Jan  1 00:00:02' logs/auth.log
touch -d '2027-01-01 00:00:02 UTC' logs/auth.log
mv logs/auth.log.1 logs/auth.log.2
gzip -n logs/auth.log.2
mv logs/auth.log logs/auth.log.1
line 'Jan  1 10:00:00' logs/auth.log
line 'Jan  2 03:00:00' logs/auth.log
touch -d '2027-01-02 03:00:00 UTC' logs/auth.log
"$OMSEC" nightly --config site.ini

# Events per day, from the committed runs' day summaries.
got=$(for f in store/runs/*/days/*.summary; do
	echo "$(basename "$f" .summary) $(awk -F'\t' '$1 == "events" { print $2 }' "$f")"
done | awk '{ n[$1] += $2 } END { for (d in n) print d, n[d] }' | sort | tr '\n' ' ')
want='2026-12-30 2 2026-12-31 4 2027-01-01 2 2027-01-02 1 '
[ "$got" = "$want" ] || fail "events per day: got '$got', want '$want'"
echo "events per day: $got"

"$OMSEC" report --config site.ini --period 2026-12 --merge-only
"$OMSEC" report --config site.ini --period 2027 --merge-only
dec=$(awk -F'\t' '$1 == "events" { print $2 }' store/reports/summary-2026-12.tsv)
y27=$(awk -F'\t' '$1 == "events" { print $2 }' store/reports/summary-2027.tsv)
[ "$dec" = 6 ] || fail "December 2026 has $dec events, want 6"
[ "$y27" = 3 ] || fail "2027 has $y27 events, want 3"
# Nothing is read twice: the second run read 4 lines.
l2=$(awk -F'\t' '$1 == "lines" { print $2 }' store/runs/000002/stats)
[ "$l2" = 4 ] || fail "run 2 read $l2 lines, want 4"
echo "newyear: 2026-12 has $dec events, 2027 has $y27; run 2 read $l2 lines"
