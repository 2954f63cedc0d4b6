#!/bin/sh
# End-to-end test of the service records (issue 6): omsec-report over the
# fixtures of this folder writes the "#omsec-records 2" file, which must
# equal records.tsv byte for byte (its figures are the hand-computed ones
# of tests/check_records.c), names every bad row as file:line:column,
# exits 1 for them, and still renders the PDF with the new sections.
# Read back with --records it gives the same file and the same PDF; three
# monthly records files merge into the quarter computed at once, byte for
# byte; a tampered figure, a version 1 file, a gap or an overlap is
# refused with file:line.
# usage: e2e.sh OMSEC-REPORT FIXTURE-DIR
set -u
tool=$1
dir=$2
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
. "$(dirname "$0")/../../shcheck.sh"

cd "$dir" || exit 1
SOURCE_DATE_EPOCH=1772323200 "$tool" --config site.ini --period 2026-02 \
    --tickets tickets.csv --survey survey_gbk.csv --vulns vulns.csv \
    --vulns nessus.csv --vulns openvas.csv --inspections inspections.csv \
    --assets assets.csv --outages outages.csv \
    --records-out "$tmp/records.tsv" -o "$tmp/r.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "exit status $rc, want 1"
cmp -s records.tsv "$tmp/records.tsv" && ok ||
    { bad "records file differs:"; diff records.tsv "$tmp/records.tsv"; }
for want in 'tickets.csv:10:11: pause' 'survey_gbk.csv:8:8: recommend' \
    'vulns.csv:12:8: bad time' 'nessus.csv:11:4: unknown severity' \
    'assets.csv:5:3: bad address' 'assets.csv:6:7: unknown criticality' \
    'inspections.csv:9:6: unknown result' 'outages.csv:7:3: bad time' \
    '8 bad row'; do
	grep -q -- "$want" "$tmp/stderr" && ok || bad "no diagnostic '$want'"
done
pdftotext -layout "$tmp/r.pdf" "$tmp/r.txt" 2>/dev/null || bad "pdftotext"
for want in '响应与解决时间分布' '工作时间' '净推荐值 NPS 为 20.0' '漏洞管理' \
    '超期未修复漏洞' 'V-009' '巡检与健康检查' '完成率 75.0%' '系统可用性' \
    '99.950%' '未达标' '工作量统计' '复测验证漏洞'; do
	grep -q -- "$want" "$tmp/r.txt" && ok || bad "text '$want' not in PDF"
done

# Read back: the same records and the same PDF, exit 0 (no bad rows now).
SOURCE_DATE_EPOCH=1772323200 "$tool" --config site.ini --period 2026-02 \
    --records records.tsv --records-out "$tmp/again.tsv" -o "$tmp/again.pdf" \
    2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 0 ] && ok || { bad "read back exit $rc"; cat "$tmp/stderr"; }
cmp -s records.tsv "$tmp/again.tsv" && ok || bad "records read back differ"
cmp -s "$tmp/r.pdf" "$tmp/again.pdf" && ok || bad "PDF from records differs"
# CSVs and --records are one or the other.
"$tool" --period 2026-02 --records records.tsv --tickets tickets.csv \
    -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok || bad "--records with --tickets exit $rc, want 2"

# Months merge into the quarter computed at once, byte for byte.
csv="--config site.ini --tickets tickets.csv --survey survey_gbk.csv
    --vulns vulns.csv --vulns nessus.csv --vulns openvas.csv
    --inspections inspections.csv --assets assets.csv --outages outages.csv"
for p in 2026-01 2026-02 2026-03 2026-Q1; do
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=1772323200 "$tool" $csv --period $p \
	    --records-out "$tmp/r-$p.tsv" -o "$tmp/r-$p.pdf" 2>/dev/null
done
SOURCE_DATE_EPOCH=1772323200 "$tool" --config site.ini --period 2026-Q1 \
    --records "$tmp/r-2026-03.tsv" --records "$tmp/r-2026-01.tsv" \
    --records "$tmp/r-2026-02.tsv" --records-out "$tmp/m-Q1.tsv" \
    -o "$tmp/m-Q1.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 0 ] && ok || { bad "merge exit $rc"; cat "$tmp/stderr"; }
cmp -s "$tmp/r-2026-Q1.tsv" "$tmp/m-Q1.tsv" && ok ||
    { bad "merged quarter differs"; diff "$tmp/r-2026-Q1.tsv" "$tmp/m-Q1.tsv"; }
cmp -s "$tmp/r-2026-Q1.pdf" "$tmp/m-Q1.pdf" && ok || bad "merged PDF differs"
[ "$(grep -c '^month	' "$tmp/m-Q1.tsv")" -eq 3 ] && ok || bad "3 month lines"
# A gap (February missing) and an overlap (a month and its quarter).
"$tool" --config site.ini --period 2026-Q1 --records "$tmp/r-2026-01.tsv" \
    --records "$tmp/r-2026-03.tsv" -o "$tmp/x.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'a gap between them' "$tmp/stderr" && ok ||
    bad "gap: exit $rc"
"$tool" --config site.ini --period 2026-Q1 --records "$tmp/r-2026-Q1.tsv" \
    --records "$tmp/r-2026-01.tsv" -o "$tmp/x.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'periods overlap' "$tmp/stderr" && ok ||
    bad "overlap: exit $rc"
# A figure edited by hand: the line and the field are named.
sed 's/^csat	6	4	3	75.00$/csat	6	4	3	80.00/' records.tsv >"$tmp/t.tsv"
"$tool" --period 2026-02 --records "$tmp/t.tsv" -o "$tmp/x.pdf" \
    2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/x.pdf" ] &&
    grep -q 't.tsv:17: field 5 is .80.00., but the file.s rows give .75.00.' \
    "$tmp/stderr" && ok || { bad "tampered: exit $rc"; cat "$tmp/stderr"; }
sed '1s/2$/1/' records.tsv >"$tmp/v1.tsv"
"$tool" --period 2026-02 --records "$tmp/v1.tsv" -o "$tmp/x.pdf" \
    2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && grep -q "v1.tsv:1: records file version '1'" \
    "$tmp/stderr" && ok || bad "version 1: exit $rc"
printf 'ticket\tT9\n' >>"$tmp/t.tsv"
"$tool" --period 2026-02 --records "$tmp/t.tsv" -o "$tmp/x.pdf" \
    2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && grep -q "t.tsv:$(wc -l <"$tmp/t.tsv"): 2 fields, want 17" \
    "$tmp/stderr" && ok || { bad "short row: exit $rc"; cat "$tmp/stderr"; }

# A business-hours SLA in a year no holiday file covers is refused, naming
# the file to add; 2025 is shipped.
"$tool" --config site.ini --period 2027-01 --tickets tickets.csv \
    -o "$tmp/x.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/x.pdf" ] &&
    grep -q 'add holidays-cn-2027.txt' "$tmp/stderr" && ok ||
    bad "2027 without holidays: exit $rc"
sed 's/^holidays = .*/holidays = holidays-cn-2025.txt, holidays-cn-2026.txt/' \
    site.ini >"$tmp/site2.ini"
cp tickets.csv "$tmp/"
(cd "$tmp" && "$tool" --config site2.ini --period 2025-12 \
    --tickets tickets.csv -o "$tmp/x.pdf" 2>"$tmp/stderr"); rc=$?
[ "$rc" -eq 1 ] && [ -s "$tmp/x.pdf" ] && ! grep -q holidays "$tmp/stderr" &&
    ok || bad "2025 with two holiday files: exit $rc: $(cat "$tmp/stderr")"
rm -f "$tmp/x.pdf"
printf '[sla]\nlow_clock = business\n' >"$tmp/site3.ini"
"$tool" --config "$tmp/site3.ini" --period 2026-02 --tickets tickets.csv \
    -o "$tmp/x.pdf" 2>"$tmp/stderr"
grep -q 'warning: .*without \[calendar\] holidays' "$tmp/stderr" && ok ||
    bad "no warning for a business clock without holidays"
rm -f "$tmp/x.pdf"

# A holiday file that is missing is an input error: no report.
printf '[calendar]\nholidays = /nonexistent/holidays.txt\n' >"$tmp/site.ini"
"$tool" --config "$tmp/site.ini" --period 2026-02 -o "$tmp/x.pdf" \
    2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/x.pdf" ] && ok || bad "missing holidays exit $rc"
# The records file is written atomically: an unwritable one fails.
"$tool" --period 2026-02 --records-out /nonexistent/dir/r.tsv \
    -o "$tmp/y.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok || bad "unwritable records file exit $rc, want 1"

checks_done
