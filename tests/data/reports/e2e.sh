#!/bin/sh
# End-to-end test of omsec-report: renders the fixtures of this folder and
# checks the PDF with poppler-utils (pdftotext, pdffonts), the exit status
# and diagnostics, and that SOURCE_DATE_EPOCH makes the bytes reproducible.
# usage: e2e.sh OMSEC-REPORT FIXTURE-DIR
set -u
tool=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

run() {
	SOURCE_DATE_EPOCH=1796083200 "$tool" --config "$dir/site.ini" \
	    --period 2026-11 --summary "$dir/summary.tsv" \
	    --alerts "$dir/alerts.tsv" --tickets "$dir/tickets.csv" \
	    --survey "$dir/survey.csv" -o "$1" 2>"$tmp/stderr"
}

# The fixtures hold one bad ticket and one bad survey row: the report is
# written, the rows are named, and the exit status is 1.
run "$tmp/a.pdf"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "exit status $rc, want 1"
[ -s "$tmp/a.pdf" ] && ok || bad "no PDF written"
grep -q 'tickets.csv:10:2: unknown priority' "$tmp/stderr" && ok || bad "ticket diagnostic"
grep -q 'survey.csv:5:3: score' "$tmp/stderr" && ok || bad "survey diagnostic"

run "$tmp/b.pdf"
cmp -s "$tmp/a.pdf" "$tmp/b.pdf" && ok || bad "SOURCE_DATE_EPOCH output differs"

pdftotext -layout "$tmp/a.pdf" "$tmp/a.txt" 2>/dev/null || bad "pdftotext"
for want in '信息安全运维服务月度报告' '华东示范银行股份有限公司' '目 *录' \
    '1 *执行摘要' '服务级别(SLA)达成情况' '问题与不符合项' '重大安全事件' \
    '建设性意见和建议' '附录' '术语表' '事件时段分布' '事件类别构成' '安全事件统计' '客户满意度' \
    '日志采集覆盖情况' '文档编号' 'OMSEC-RPT-2026-11' '第 *3 *页 *共 *13 *页' \
    '18,202' '75.0%' '57.1%' '4.25' 'T-1007' '期末未完成' '203.0.113.9' \
    '中国' 'SSH 暴力破解' '每日事件趋势' '120,345' '99.7%' \
    '<script>alert(1)</script>'; do
	grep -q -- "$want" "$tmp/a.txt" && ok || bad "text '$want' not in PDF"
done
pages=$(pdfinfo "$tmp/a.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ "$pages" = 13 ] && ok || bad "pages $pages, want 13"

# --lang en: the same report in English from the same catalogue.
SOURCE_DATE_EPOCH=1796083200 "$tool" --config "$dir/site.ini" \
    --period 2026-11 --summary "$dir/summary.tsv" --alerts "$dir/alerts.tsv" \
    --tickets "$dir/tickets.csv" --survey "$dir/survey.csv" --lang en \
    -o "$tmp/en.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok || bad "--lang en exit status $rc, want 1"
pdftotext "$tmp/en.pdf" "$tmp/en.txt" 2>/dev/null || bad "pdftotext en"
for want in 'Monthly Report' 'Executive summary' 'Page 3 of 1[0-9]' '18,202' \
    'November 2026' 'Evidence:'; do
	grep -q -- "$want" "$tmp/en.txt" && ok || bad "text '$want' not in the English PDF"
done
grep -q '执行摘要' "$tmp/en.txt" && bad "Chinese heading in the English PDF" || ok
# Counts agree with their nouns (the catalogue's plural choices).
grep -E '(^|[^0-9,.])1 ([a-z-]+ )?(alerts|tickets|responses|vulnerabilities|outages|days|lines|months|sources|inspections|breaches|services|rows|events|comments)\b' \
    "$tmp/en.txt" && bad "a plural after 1 in the English PDF" || ok

# No page of the body ends with a numbered heading whose content went to
# the next page (the contents pages, before section 1, list headings).
orphan_headings() {
	pdftotext "$1" - 2>/dev/null | awk -v RS='\f' '
	{
		n = split($0, l, "\n"); last = ""; k = 0; toc = 0
		for (i = 1; i <= n; i++) {
			if (l[i] ~ /^[ \t]*$/ || l[i] ~ /第 *[0-9]+ *页 *共|Page [0-9]+ of|密级|Classification|^[A-Z0-9-]+$/)
				continue
			if (l[i] ~ /^(Contents|目|目 *录)$/)
				toc = 1
			if (++k <= 3 && !toc && l[i] ~ /^1 +(执行摘要|Executive summary)$/)
				body = 1
			last = l[i]
		}
		if (body && last ~ /^[0-9]+\.[0-9]+ +[^ 0-9%]/)
			print "page " NR ": " last
	}'
}
for f in a en; do
	o=$(orphan_headings "$tmp/$f.pdf")
	[ -z "$o" ] && ok || bad "$f.pdf: a heading ends a page: $o"
done

# Every font is embedded: column "emb" of pdffonts is yes on each row.
pdffonts "$tmp/a.pdf" 2>/dev/null | awk 'NR > 2 { n++; if ($(NF-4) != "yes") bad++ }
    END { exit !(n > 0 && bad == 0) }' && ok || bad "a font is not embedded"

# Absent inputs: each section says so in one line.
SOURCE_DATE_EPOCH=1796083200 "$tool" --config "$dir/site.ini" \
    --period 2026-11 -o "$tmp/empty.pdf" 2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "empty report exit $rc"
pdftotext "$tmp/empty.pdf" - 2>/dev/null >"$tmp/empty.txt"
for want in '本期无工单数据' '本期无事件汇总数据' '本期无满意度调查数据' \
    '本期无告警数据' '本期无告警数据，无法列出重大安全事件' \
    '本期未触发任何建议规则'; do
	grep -q "$want" "$tmp/empty.txt" && ok || bad "'$want' not in empty report"
done

# Usage and I/O errors.
"$tool" --help >"$tmp/help" 2>&1; rc=$?
[ "$rc" -eq 0 ] && grep -q -- '--period' "$tmp/help" && ok || bad "--help"
"$tool" --period 2026-11 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok || bad "missing -o exit $rc, want 2"
"$tool" --period 2026-13 -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok || bad "bad period exit $rc, want 2"
"$tool" --period 2026-11 --summary /nonexistent -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/x.pdf" ] && ok || bad "missing input exit $rc"
"$tool" --period 2026-11 -o /nonexistent/dir/x.pdf 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok || bad "unwritable output exit $rc, want 1"
"$tool" --period 2026-11 --font /nonexistent.ttf -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok || bad "missing font exit $rc, want 1"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
