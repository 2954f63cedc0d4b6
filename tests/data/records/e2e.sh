#!/bin/sh
# End-to-end test of the service records (issue 6): omsec-report over the
# fixtures of this folder writes the "#omsec-records 1" file, which must
# equal records.tsv byte for byte (its figures are the hand-computed ones
# of tests/check_records.c), names every bad row as file:line:column,
# exits 1 for them, and still renders the PDF with the new sections.
# usage: e2e.sh OMSEC-REPORT FIXTURE-DIR
set -u
tool=$1
dir=$2
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

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

# A holiday file that is missing is an input error: no report.
printf '[calendar]\nholidays = /nonexistent/holidays.txt\n' >"$tmp/site.ini"
"$tool" --config "$tmp/site.ini" --period 2026-02 -o "$tmp/x.pdf" \
    2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/x.pdf" ] && ok || bad "missing holidays exit $rc"
# The records file is written atomically: an unwritable one fails.
"$tool" --period 2026-02 --records-out /nonexistent/dir/r.tsv \
    -o "$tmp/y.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok || bad "unwritable records file exit $rc, want 1"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
