#!/bin/sh
# End-to-end test of the quarterly (季报) and annual (年度总结报告) kinds:
# renders 2026-Q4 from the fixtures of this folder (merged summary q4.tsv =
# omsec-agg --merge of m10, m11, m12; q3.tsv as the previous quarter;
# alerts with ids; tickets linking an alert) and checks with pdftotext,
# pdfinfo, pdffonts and qpdf: each section's text and figures, the
# missing-glyph substitute, natural order of rotated logs, PDF metadata,
# encryption, and reproducible bytes under SOURCE_DATE_EPOCH.
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
has() { grep -q -- "$1" "$2" && ok || bad "'$1' not in $3"; }

q4() {
	out=$1
	shift
	SOURCE_DATE_EPOCH=1798761600 "$tool" --config "$dir/site.ini" \
	    --period 2026-Q4 --summary "$dir/q4.tsv" --alerts "$dir/alerts.tsv" \
	    --tickets "$dir/tickets.csv" --monthly "$dir/m10.tsv" \
	    --monthly "$dir/m11.tsv" --monthly "$dir/m12.tsv" \
	    --previous "$dir/q3.tsv" "$@" -o "$out" 2>"$tmp/stderr"
}

q4 "$tmp/a.pdf"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "exit status $rc, want 0: $(cat "$tmp/stderr")"
q4 "$tmp/b.pdf"
cmp -s "$tmp/a.pdf" "$tmp/b.pdf" && ok || bad "SOURCE_DATE_EPOCH output differs"
qpdf --check "$tmp/a.pdf" >"$tmp/qpdf" 2>&1 && ok || bad "qpdf --check: $(cat "$tmp/qpdf")"
pdffonts "$tmp/a.pdf" 2>/dev/null | awk 'NR > 2 { n++; if ($(NF-4) != "yes") bad++ }
    END { exit !(n > 0 && bad == 0) }' && ok || bad "a font is not embedded"
pdfinfo "$tmp/a.pdf" >"$tmp/info" 2>/dev/null
has 'Title: *华东示范银行股份有限公司 信息安全运维服务季度报告 2026年第四季度' "$tmp/info" info
has 'Subject: *华东示范银行股份有限公司 2026年第四季度季度报告' "$tmp/info" info
has 'Keywords: *信息安全运维服务, 季度报告, SLA' "$tmp/info" info
has 'Author: *安恒示例信息技术有限公司 陈工程师' "$tmp/info" info
has 'Pages: *16' "$tmp/info" info

pdftotext -layout "$tmp/a.pdf" "$tmp/a.txt" 2>/dev/null || bad "pdftotext"
t=$tmp/a.txt
# Cover and executive summary with 环比 (750 events against 600).
for want in '信息安全运维服务季度报告' '2026年第四季度' \
    '报告期：2026年10月1日 — 2026年12月31日' 'OMSEC-RPT-2026-Q4' \
    '识别安全事件 750 条' '安全事件较上季度+25.0%' \
    '安全事件总数 *750 *+25.0% *—' '失败类事件 *640 *+6.7%' \
    '第 *3 *页 *共 *16 *页'; do
	has "$want" "$t" PDF
done
# SLA text names the business-hours priority; the breach keeps its id whole.
has '低优先级按工作时间（09:00-12:00,13:30-18:00' "$t" PDF
has 'T-2026-Q4-0002 *高 *响应' "$t" PDF
# Problems: SLA breaches and the silent log source.
has '本期共识别问题与不符合项 3 项：SLA 未达标 2 项' "$t" PDF
has '日志源无事件 *\/var\/log\/fw\/silent.log' "$t" PDF
# Events: the missing glyph (Thai ก) is shown as □, never dropped; 60+
# country names.
has 'admin□ *200' "$t" PDF
has '198.51.100.7 *肯尼亚 *240' "$t" PDF
# Major incident with its timeline from the linked ticket.
for want in 'ssh_bruteforce-aaaaaaaaaaaa *SSH 暴力破解 *203.0.113.9 *12-07 09:00 *300 *T-2026-Q4-0001' \
    '发现 *12-07 09:00 *首个相关事件' '确认 *12-07 09:50 *建立工单' \
    '响应 *12-07 10:05 .*距建单 15分钟' '恢复 *12-07 12:30 .*距建单 2小时40分' \
    '复盘 *12-08 10:00 .*距建单 24小时10分'; do
	has "$want" "$t" PDF
done
# Trends: the month-by-month table.
has '趋势分析' "$t" PDF
has '2026-10 *150 *150 *1 *1 *0.0% *0.0%' "$t" PDF
has '2026-11 *210 *240 *2 *1 *100.0% *100.0%' "$t" PDF
has '2026-12 *0 *360 *1 *1 *100.0% *100.0%' "$t" PDF
# A long token wraps inside its cell and is elided after eight lines.
has 'A&q08=AAAAAAAAAA&q0…' "$t" PDF
grep -q 'q39=' "$t" && bad "elided token shown whole" || ok
# Recommendations say why.
has 'SSH 服务暴露于互联网：本期 SSH 暴力破解' "$t" PDF
has '日志解析率 91.6%，未解析 30 行' "$t" PDF
# Appendix: sources in rotation order (natural sort).
order=$(grep -o '/var/log/nginx/access.log[.0-9gz]*' "$t" | tail -4 | tr '\n' ' ')
[ "$order" = "/var/log/nginx/access.log /var/log/nginx/access.log.1 /var/log/nginx/access.log.2.gz /var/log/nginx/access.log.10.gz " ] &&
    ok || bad "coverage order: $order"
has '月度汇总文件：已提供 3/3 个月' "$t" PDF

# The annual kind from the same files, the monthly ones as a folder.
mkdir "$tmp/months"
cp "$dir/m10.tsv" "$dir/m11.tsv" "$dir/m12.tsv" "$tmp/months/"
SOURCE_DATE_EPOCH=1798761600 "$tool" --config "$dir/site.ini" --period 2026 \
    --summary "$dir/q4.tsv" --monthly "$tmp/months" -o "$tmp/y.pdf" \
    2>"$tmp/stderr"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "annual exit $rc: $(cat "$tmp/stderr")"
pdftotext -layout "$tmp/y.pdf" "$tmp/y.txt" 2>/dev/null
for want in '信息安全运维服务年度总结报告' '2026年度' \
    '报告期：2026年1月1日 — 2026年12月31日' '2026-01 *— *0' \
    '2026-12 *0 *360' '月度汇总文件：已提供 3/12 个月'; do
	has "$want" "$tmp/y.txt" annual
done

# Encryption: a password to open, no copying or modifying.
q4 "$tmp/e.pdf" --user-password u1 --owner-password o2; rc=$?
[ "$rc" -eq 0 ] && ok || bad "encrypted exit $rc"
pdftotext "$tmp/e.pdf" - >/dev/null 2>&1 && bad "opened without password" || ok
qpdf --show-encryption --password=u1 "$tmp/e.pdf" >"$tmp/enc" 2>&1
has 'extract for any purpose: not allowed' "$tmp/enc" encryption
has 'modify other: not allowed' "$tmp/enc" encryption
has 'print low resolution: allowed' "$tmp/enc" encryption
qpdf --check --password=u1 "$tmp/e.pdf" >/dev/null 2>&1 && ok || bad "qpdf encrypted"

# Usage errors.
"$tool" --period 2026-Q5 -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok || bad "bad quarter exit $rc, want 2"
"$tool" --period 2026-Q4 --lang fr -o "$tmp/x.pdf" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok || bad "bad --lang exit $rc, want 2"
q4 "$tmp/x.pdf" --monthly "$dir/m11.tsv"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'a second summary of month 11' "$tmp/stderr" &&
    ok || bad "duplicate month exit $rc"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
