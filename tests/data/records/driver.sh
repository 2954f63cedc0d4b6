#!/bin/sh
# omsec report and the records files (issue 6): each month rendered with
# its CSVs leaves records-YYYY-MM.tsv beside its PDF; the quarter, rendered
# without CSVs, is made of them (--records) and gives the same records file
# as the quarter computed at once; the previous period's records are passed
# when they are there.
# usage: driver.sh BUILD-DIR FIXTURE-DIR
set -u
B=$(cd "$1" && pwd)
dir=$(cd "$2" && pwd)
. "$(dirname "$0")/../../shcheck.sh"
export OMSEC_DATADIR="$B/data"
export SOURCE_DATE_EPOCH=1772323200

# A store with one committed run holding one day of each month of Q1.
mkdir -p "$tmp/store/runs/000001/days"
printf 'run\t1\n' >"$tmp/store/state"
for d in 2026-01-15 2026-02-15 2026-03-15; do
	"$B/analysis/omsec-agg" -o "$tmp/store/runs/000001/days/$d.summary" \
	    </dev/null || bad "omsec-agg"
done
"$B/analysis/omsec-agg" -o "$tmp/store/runs/000001/coverage.summary" \
    </dev/null
sed 's/^holidays = .*/holidays = holidays-cn-2026.txt/' "$dir/site.ini" \
    >"$tmp/site.ini"
printf '[store]\ndir = store\n' >>"$tmp/site.ini"
# Clean CSVs (the fixtures' bad rows would make each run exit 1).
grep -v 'T9\|T10' "$dir/tickets.csv" >"$tmp/tickets.csv"
cd "$tmp" || exit 1
for m in 01 02 03; do
	"$B/driver/omsec" report --config site.ini --period 2026-$m \
	    --tickets tickets.csv 2>"$tmp/err-$m" ||
	    bad "month $m: $(cat "$tmp/err-$m")"
done
r=store/reports
[ -s $r/records-2026-01.tsv ] && [ -s $r/records-2026-03.tsv ] && ok ||
    bad "no monthly records files"
grep -q '^sla	total' $r/records-2026-02.tsv && ok || bad "February has no SLA"
"$B/driver/omsec" report --config site.ini --period 2026-Q1 \
    2>"$tmp/err-q" || bad "quarter: $(cat "$tmp/err-q")"
[ "$(grep -c '^month	' $r/records-2026-Q1.tsv)" -eq 3 ] && ok ||
    bad "quarter records lack 3 months"
"$B/reports/omsec-report" --config site.ini --period 2026-Q1 \
    --summary $r/summary-2026-Q1.tsv --tickets tickets.csv \
    --records-out "$tmp/q1-at-once.tsv" -o "$tmp/q1.pdf" 2>"$tmp/err-a" ||
    bad "at once: $(cat "$tmp/err-a")"
cmp -s "$tmp/q1-at-once.tsv" $r/records-2026-Q1.tsv && ok ||
    { bad "merged quarter differs"; diff "$tmp/q1-at-once.tsv" \
    $r/records-2026-Q1.tsv | head; }
[ -s $r/report-2026-Q1.pdf ] && ok || bad "no quarter PDF"
checks_done
