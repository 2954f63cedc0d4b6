#!/bin/sh
# nightly.sh BUILD_DIR MODE - nightly runs over logs that logrotate keeps
# changing, with crashes, must count every line written exactly once.
#
# A simulated site has three sources:
#   logs/auth.log   rotated with create, compress, delaycompress, rotate 2
#                   (auth.log -> .1 -> .2.gz -> .3.gz, then deleted)
#   logs/app.log    rotated with copytruncate, compress, rotate 2
#   logs/hosts/     a directory: hosts/h1.log from the start, hosts/h2.log
#                   appears on night 2, h1.log is deleted on night 3
# Each night: lines are written, omsec nightly runs, more lines are
# written, logs rotate, more lines are written. After three nights a last
# run reads what is left. Every line is a distinct sshd event, and every
# line written is also appended to written.txt: the ground truth.
#
# MODE
#   rerun       for every crash point of a run, each night's run is killed
#               there and run again at once: the period's merged summary
#               and alerts must be byte-identical to those of runs that
#               never crashed, and the counts equal the lines written.
#   next-night  for every crash point, night 2's run is killed there and
#               not rerun until night 3 (after more writes and rotations):
#               every line written is in exactly one committed run
#               (compared line by line), and the counts agree.
#   demo        three nights, night 2's run killed in the middle; prints
#               the figures per night and in the end.
set -eu
LC_ALL=C
export LC_ALL
B=$(cd "$1" && pwd)
MODE=$2
OMSEC=$B/driver/omsec
T=$(mktemp -d /tmp/omsec-nightly.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Every step of a run where it can be killed: inside omsec-ingest (after
# its output, after committing its output but before its state), and
# between the steps of the driver.
STEPS="ingest-output ingest-state start ingested parsed detected aggregated
synced published committing committed"

# Simulated clock: every write gets the next second, so no two versions of
# a file share an mtime (as on a real system, where mtimes are in ns).
base=1793750400	# 2026-11-03T00:00:00Z
clock=$base

# write FILE N: appends N distinct sshd lines, stamped with the clock.
write() {
	f=$1 k=$2
	while [ "$k" -gt 0 ]; do
		clock=$((clock + 1))
		seq=$((seq + 1))
		ts=$(date -u -d "@$clock" '+%b %e %H:%M:%S')
		echo "$ts web1 sshd[$seq]: Failed password for invalid user u$seq from 198.51.100.$((seq % 3 + 1)) port $((10000 + seq)) ssh2" |
			tee -a "$W/written.txt" >> "$W/$f"
		k=$((k - 1))
	done
	touch -d "@$clock" "$W/$f"
}

rotate_auth() {
	cd "$W/logs"
	rm -f auth.log.3.gz
	[ -f auth.log.2.gz ] && mv auth.log.2.gz auth.log.3.gz
	if [ -f auth.log.1 ]; then
		mv auth.log.1 auth.log.2
		gzip -n auth.log.2	# delaycompress: last night's .1
	fi
	mv auth.log auth.log.1
	: > auth.log
	cd "$T"
}

rotate_app() {
	cd "$W/logs"
	rm -f app.log.2.gz
	[ -f app.log.1.gz ] && mv app.log.1.gz app.log.2.gz
	cp -p app.log app.log.1
	: > app.log		# copytruncate
	gzip -n app.log.1
	cd "$T"
}

# run [CRASH_STEP]: one nightly run in the world; with a step, killed there.
run() {
	if [ $# -gt 0 ]; then
		if (cd "$W" && OMSEC_CRASH_AT=$1 OMSEC_KEEP=raw "$OMSEC" nightly \
		    --config site.ini) 2>> "$W/err.log"; then
			fail "run not killed at $1"
		fi
	else
		(cd "$W" && OMSEC_KEEP=raw "$OMSEC" nightly --config site.ini -v) \
		    2>> "$W/err.log" || { cat "$W/err.log" >&2; fail "run failed"; }
	fi
}

# night N [CRASH_STEP [rerun]]
night() {
	nt=$1
	shift
	# Night N starts at 23:59:40 UTC on day N: its last lines are after
	# midnight, so runs span two days.
	clock=$((base + (nt - 1) * 86400 + 86380))
	write logs/auth.log 4
	write logs/app.log 3
	write logs/hosts/h1.log 2
	[ "$nt" -ge 2 ] && write logs/hosts/h2.log 2
	if [ $# -gt 0 ]; then
		run "$1"
		[ $# -gt 1 ] && run
	else
		run
	fi
	# Written after the run, before rotation: in the rotated files.
	write logs/auth.log 2
	write logs/app.log 2
	rotate_auth
	rotate_app
	[ "$nt" -eq 3 ] && rm "$W/logs/hosts/h1.log"
	# Written after rotation: in the new live files.
	write logs/auth.log 1
	write logs/app.log 1
	[ "$nt" -ge 2 ] && write logs/hosts/h2.log 1
	return 0
}

new_world() {
	W=$T/$1
	seq=0
	rm -rf "$W"
	mkdir -p "$W/logs/hosts"
	: > "$W/written.txt"
	cat > "$W/site.ini" <<EOF
[site]
timezone = UTC
[detect]
ssh_bruteforce_failures = 5
[store]
dir = store
[sources]
auth = logs/auth.log
app = logs/app.log
hosts = logs/hosts
EOF
}

# Figures of a world's committed store: lines, events, rejects per the
# runs' stats, and distinct/duplicate/missing raw lines against written.
count() {
	cd "$W"
	committed=$(awk -F'\t' '$1 == "run" { print $2 }' store/state)
	lines=0 events=0 rejects=0
	: > "$T/raw"
	for d in store/runs/*; do
		n=$(basename "$d" | sed 's/^0*//')
		[ "$n" -le "$committed" ] || continue
		eval "$(awk -F'\t' '{ printf "r_%s=%s\n", $1, $2 }' "$d/stats")"
		lines=$((lines + r_lines))
		events=$((events + r_events))
		rejects=$((rejects + r_rejects))
		grep -v '^#' "$d/raw.ingest" >> "$T/raw" || true
	done
	written=$(wc -l < written.txt)
	sort "$T/raw" > "$T/raw.sorted"
	sort written.txt > "$T/written.sorted"
	dups=$(uniq -d "$T/raw.sorted" | wc -l)
	missing=$(comm -23 "$T/written.sorted" "$T/raw.sorted" | wc -l)
	extra=$(comm -13 "$T/written.sorted" "$T/raw.sorted" | wc -l)
	"$OMSEC" report --config site.ini --period 2026-11 --merge-only
	merged=$(awk -F'\t' '$1 == "events" { print $2 }' store/reports/summary-2026-11.tsv)
	cd "$T"
}

check_counts() {
	count
	[ "$written" -gt 0 ] || fail "$1: nothing written"
	[ "$lines" -eq "$written" ] || fail "$1: $lines lines read, $written written"
	[ "$events" -eq "$written" ] || fail "$1: $events events, $written lines written"
	[ "$rejects" -eq 0 ] || fail "$1: $rejects rejected"
	[ "$merged" -eq "$written" ] || fail "$1: report merges $merged events, $written written"
	[ "$dups" -eq 0 ] || fail "$1: $dups lines read twice"
	[ "$missing" -eq 0 ] || fail "$1: $missing lines never read"
	[ "$extra" -eq 0 ] || fail "$1: $extra lines read that were not written"
}

simulate() {	# simulate WORLD [crash-night STEP rerun|next]
	new_world "$1"
	cstep=${3:-}
	how=${4:-}
	for nt in 1 2 3; do
		if [ -n "$cstep" ] && { [ "$how" = rerun ] || [ "$nt" -eq "${2:-0}" ]; }; then
			if [ "$how" = rerun ]; then
				night "$nt" "$cstep" rerun
			else
				night "$nt" "$cstep"
			fi
		else
			night "$nt"
		fi
	done
	run	# the last lines
}

case $MODE in
rerun)
	simulate ref
	check_counts reference
	echo "reference: $written lines written, $lines read, $events events, $merged in the month's summary"
	cp "$T/ref/store/reports/summary-2026-11.tsv" "$T/ref-summary"
	cp "$T/ref/store/reports/alerts-2026-11.tsv" "$T/ref-alerts"
	for s in $STEPS; do
		simulate "c-$s" 0 "$s" rerun
		check_counts "killed at $s"
		cmp "$T/ref-summary" "$W/store/reports/summary-2026-11.tsv" ||
			fail "killed at $s: the month's summary differs from the uninterrupted runs'"
		cmp "$T/ref-alerts" "$W/store/reports/alerts-2026-11.tsv" ||
			fail "killed at $s: the alerts differ from the uninterrupted runs'"
		echo "killed at $s every night and rerun: $written written = $lines read = $merged merged; summary and alerts identical"
		rm -rf "$W"
	done
	;;
next-night)
	for s in $STEPS; do
		simulate "n-$s" 2 "$s" next
		check_counts "killed at $s on night 2"
		echo "killed at $s on night 2, next run on night 3: $written written = $lines read, $dups twice, $missing missed"
		rm -rf "$W"
	done
	;;
demo)
	new_world demo
	for nt in 1 2 3; do
		before=$(wc -l < "$W/written.txt")
		if [ "$nt" -eq 2 ]; then
			night 2 parsed
			echo "night 2: run killed (SIGKILL) after parsing; not rerun"
		else
			night "$nt"
			tail -n 1 "$W/err.log"
		fi
		echo "night $nt: $(( $(wc -l < "$W/written.txt") - before )) lines written;" \
		    "files now: $(cd "$W/logs" && find . -type f | sort | tr '\n' ' ')"
	done
	run
	tail -n 1 "$W/err.log"
	check_counts demo
	echo "demo: $written lines written; $lines read by $committed committed runs;" \
	    "$events events, $rejects rejected, $merged in the month's merged summary;" \
	    "$dups read twice, $missing never read"
	grep -h 'committing\|removing' "$W/err.log" || true
	# The store renders a quarter too, with its months as the series and
	# options after -- passed to omsec-report.
	(cd "$W" && SOURCE_DATE_EPOCH=1764547200 "$OMSEC" report --config site.ini \
	    --period 2026-Q4 -- --lang zh-CN) 2> "$T/q.err" ||
		fail "quarter report: $(cat "$T/q.err")"
	q="$W/store/reports/report-2026-Q4.pdf"
	[ -s "$q" ] || fail "no quarter PDF"
	[ -s "$W/store/reports/summary-2026-11.tsv" ] || fail "no monthly summary for the quarter"
	pdftotext "$q" - 2>/dev/null | grep -q '第四季度' || fail "quarter PDF lacks 第四季度"
	qev=$(awk -F'\t' '$1 == "events" { print $2 }' "$W/store/reports/summary-2026-Q4.tsv")
	[ "$qev" -eq "$merged" ] || fail "quarter merges $qev events, month $merged"
	echo "demo: quarter report rendered ($qev events)"
	;;
*)
	echo "usage: $0 BUILD_DIR rerun|next-night|demo" >&2
	exit 2
	;;
esac
