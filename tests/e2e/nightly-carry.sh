#!/bin/sh
# nightly-carry.sh BUILD_DIR - attacks that straddle the end of a night's
# input are not cut by the nightly job (omsec nightly runs omsec-detect
# once a night with the run's detect.state; docs/alerts.md, "The state
# file").
#
#   A: 6 SSH failures before midnight (run 1), 6 after (run 2). Neither
#      night reaches the threshold (10 in 10 min) alone: one alert, count
#      12, first in run 1's input.
#   B: 12 failures at the end of night 2 (alerted by run 2), 4 more after
#      midnight (run 3): the period's alerts hold one line for the id,
#      count 16.
set -eu
LC_ALL=C
export LC_ALL
B=$(cd "$1" && pwd)
OMSEC=$B/driver/omsec
T=$(mktemp -d /tmp/omsec-carry.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$T/logs"
cat > "$T/site.ini" <<INI
[site]
timezone = UTC
[store]
dir = store
[sources]
auth = logs/auth.log
INI
seq=0
# fails IP FIRST_EPOCH N STEP: N failed passwords from IP, STEP s apart.
fails() {
	t=$2 k=$3
	while [ "$k" -gt 0 ]; do
		seq=$((seq + 1))
		echo "$(date -u -d "@$t" '+%b %e %H:%M:%S') web1 sshd[$seq]: Failed password for root from $1 port $((20000 + seq)) ssh2" >> "$T/logs/auth.log"
		touch -d "@$t" "$T/logs/auth.log"
		t=$((t + $4))
		k=$((k - 1))
	done
}
run() {
	(cd "$T" && "$OMSEC" nightly --config site.ini) 2>> "$T/err.log" ||
		{ cat "$T/err.log" >&2; fail "nightly run failed"; }
}
day=1793750400	# 2026-11-04T00:00:00Z
iso() { date -u -d "@$1" '+%Y-%m-%dT%H:%M:%S.000Z'; }

fails 203.0.113.9 $((day + 86400 - 300)) 6 30		# 23:55:00-23:57:30
run
fails 203.0.113.9 $((day + 86400)) 6 30			# 00:00:00-00:02:30
fails 203.0.113.10 $((day + 2 * 86400 - 600)) 12 30	# 23:50:00-23:55:30
run
fails 203.0.113.10 $((day + 2 * 86400)) 4 30		# 00:00:00-00:01:30
run
(cd "$T" && "$OMSEC" report --config site.ini --period 2026-11 --merge-only) ||
	fail "report --merge-only failed"
alr=$T/store/reports/alerts-2026-11.tsv
for n in 1 2 3; do
	[ -f "$T/store/runs/00000$n/detect.state" ] ||
		fail "run $n kept no detect.state"
done
grep -q '^ssh	203.0.113.10	1	1	' "$T/store/runs/000003/detect.state" ||
	fail "run 3 does not carry B's open burst"
a=$(awk -F'\t' '$2 == "ssh_bruteforce" && $5 == "203.0.113.9"' "$alr")
[ "$(printf '%s\n' "$a" | grep -c .)" -eq 1 ] || fail "A: want one alert, got: $a"
[ "$(printf '%s' "$a" | cut -f6,8)" = "$(iso $((day + 86400 - 300)))	12" ] ||
	fail "A: want first 23:55:00 and count 12: $a"
b=$(awk -F'\t' '$2 == "ssh_bruteforce" && $5 == "203.0.113.10"' "$alr")
[ "$(printf '%s\n' "$b" | grep -c .)" -eq 1 ] || fail "B: want one line, got: $b"
[ "$(printf '%s' "$b" | cut -f6,8)" = "$(iso $((day + 2 * 86400 - 600)))	16" ] ||
	fail "B: want first 23:50:00 and count 16: $b"
grep -q "$(printf '%s' "$b" | cut -f1)" "$T/store/runs/000002/alerts.tsv" ||
	fail "B: run 2 did not alert it under the same id"
echo "nightly carry: an attack across two nights' inputs is one alert (A: 12 failures, B: 12 then 16 under one id)"
