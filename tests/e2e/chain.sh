#!/bin/sh
# chain.sh BUILD_DIR SOURCE_DIR - the whole chain on the sample month.
#
# Asserts, on the generated month (seed 42):
#  - every raw line is accounted for: lines = events + rejects per source;
#  - events carry the asset of the sample inventory (site.ini [site] assets);
#  - every injected SSH brute force, spray and success after failures has an
#    alert for its address, and no address outside the ground truth has one;
#  - every rule reaches 0.95 precision and recall against the ground truth
#    (analysis/detect-eval.sh: each row lists the rules that must alert);
#  - every alert id a ticket quotes is an alert of the run;
#  - merging the daily summaries gives exactly the month aggregated at once;
#  - alerts and the month summary equal the golden files byte for byte;
#  - the PDF embeds all its fonts, carries the Chinese section titles and
#    the event total, and is byte-identical when rendered twice under
#    SOURCE_DATE_EPOCH.
set -eu
B=$1
S=$2
T=$(mktemp -d /tmp/omsec-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export SOURCE_DATE_EPOCH=1796083200	# 2026-12-01T00:00:00Z, the day after the sample month
"$S/scripts/sample-report.sh" "$B" "$T/a" > "$T/run.log"
cat "$T/run.log"
PATH="$B/analysis:$B/reports:$PATH"

# 1. nothing lost
awk -F'\t' '$1 == "#stats" { if ($3 != $4 + $5) bad = bad " " $2; l += $3; e += $4; r += $5 }
	END { if (bad != "") { print "unbalanced:" bad; exit 1 }
	      printf "accounted: %d lines = %d events + %d rejects\n", l, e, r }' \
	"$T/a/events.tsv" || fail "lines != events + rejects"
nev=$(grep -vc '^#' "$T/a/events.tsv")
sum_ev=$(awk -F'\t' '$1 == "#stats" { n += $4 } END { print n }' "$T/a/events.tsv")
[ "$nev" = "$sum_ev" ] || fail "$nev event lines but #stats says $sum_ev"

# 1b. assets: the sample site.ini names its inventory ([site] assets), so
# omsec-enrich tags events: the target address first (the IDS alerts on
# web01's 10.20.1.10), else the logging host of an inventoried machine.
awk -F'\t' -v ids='bastion01=DHB-SRV-003 web01=DHB-SRV-001 db01=DHB-DB-001' '
	BEGIN { n = split(ids, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); id[p[1]] = p[2] } }
	$1 == "#fields" { for (i = 2; i <= NF; i++) c[$i] = i - 1; next }
	/^#/ { next }
	{ want = $c["dst_ip"] == "10.20.1.10" ? "DHB-SRV-001" : \
	    ($c["dst_ip"] == "-" && ($c["host"] in id)) ? id[$c["host"]] : "" }
	want != "" { n_want++; if ($c["asset"] != want) { bad++; if (bad < 4) print "asset", $c["asset"], "want", want, $0 } }
	$c["asset"] != "-" { tagged++ }
	END { printf "assets: %d events tagged, %d checked\n", tagged, n_want
	      exit !(c["asset"] > 0 && bad == 0 && n_want > 1000) }' \
	"$T/a/events.tsv" || fail "events lack their inventory asset"
grep -q '^top	asset	DHB-SRV-003	' "$T/a/summary-2026-11.tsv" ||
	fail "summary has no top asset bastion01"

# 2. ground truth detected, and nothing else alerted
awk -F'\t' 'NR > 1 && $1 ~ /^ssh_(bruteforce|success_after_failures|password_spray)$/ { print $2 }' "$T/a/ground-truth.tsv" | sort -u > "$T/want"
awk -F'\t' 'NR > 1 { print $2 }' "$T/a/ground-truth.tsv" | sort -u > "$T/attackers"
[ -s "$T/want" ] || fail "ground truth has no SSH attacks"
awk -F'\t' '!/^#/ && $4 == "src_ip" { print $5 }' "$T/a/alerts.tsv" | sort -u > "$T/got"
missed=$(comm -23 "$T/want" "$T/got")
[ -z "$missed" ] || fail "SSH attacks without an alert: $missed"
false_pos=$(comm -13 "$T/attackers" "$T/got")
[ -z "$false_pos" ] || fail "alerts on sources that did not attack: $false_pos"
echo "detected: $(wc -l < "$T/want") injected SSH attackers alerted, no false alerts"
"$S/analysis/detect-eval.sh" -m 0.95 "$T/a/alerts.tsv" "$T/a/ground-truth.tsv" ||
	fail "a rule is below 0.95 precision or recall"

# Tickets link the alerts they respond to by id (关联告警): every id must
# be one omsec-detect wrote.
awk -F'\t' '!/^#/ { print $1 }' "$T/a/alerts.tsv" | sort > "$T/ids"
grep -o '[a-z_]*-[0-9a-f]\{12\}' "$T/a/tickets.csv" | sort > "$T/linked"
[ -s "$T/linked" ] || fail "no ticket links an alert"
dangling=$(comm -13 "$T/ids" "$T/linked")
[ -z "$dangling" ] || fail "tickets link alerts that do not exist: $dangling"
echo "linked: $(wc -l < "$T/linked") alert ids in tickets, all written by omsec-detect"

# 3. merge of days == month at once. Counters, distinct counts and
# coverage are exact, so those lines are equal byte for byte. The sample
# has ~10k client addresses, more than a Space-Saving sketch keeps (1024),
# so heavy hitters are checked against the truth instead: every listed
# count brackets the true count, [count - error, count], and the ten
# largest sources are the true ten largest.
omsec-agg -o "$T/month-direct" < "$T/a/events.tsv"
grep -v '^top' "$T/month-direct" > "$T/direct.exact"
grep -v '^top' "$T/a/summary-2026-11.tsv" > "$T/merged.exact"
cmp "$T/direct.exact" "$T/merged.exact" ||
	fail "merged daily summaries differ from the month aggregated at once"
awk -F'\t' '!/^#/ && $8 != "-" { print $8 }' "$T/a/events.tsv" | sort | uniq -c |
	awk '{ print $2 "\t" $1 }' > "$T/true-src"
for f in "$T/month-direct" "$T/a/summary-2026-11.tsv"; do
	awk -F'\t' 'NR == FNR { t[$1] = $2; next }
	    $1 == "top" && $2 == "src_ip" { n++
		if (t[$3] > $4 || t[$3] < $4 - $5) { print "bad bound", $3, t[$3], $4, $5; bad = 1 } }
	    END { if (n == 0) { print "no top src_ip lines"; bad = 1 }; exit bad }' \
	    "$T/true-src" "$f" || fail "heavy-hitter bounds violated in $f"
done
sort -t'	' -k2,2nr -k1,1 "$T/true-src" | head -n 10 | cut -f1 | sort > "$T/true10"
awk -F'\t' '$1 == "top" && $2 == "src_ip" { print $3 "\t" $4 - $5 }' \
	"$T/a/summary-2026-11.tsv" | sort -t'	' -k2,2nr -k1,1 | head -n 10 | cut -f1 | sort > "$T/merged10"
cmp "$T/true10" "$T/merged10" || fail "top 10 sources differ from the truth"
echo "merge: exact counters equal; heavy hitters within bounds; top 10 sources true"

# 4. golden outputs
cmp "$S/tests/data/e2e/alerts.tsv" "$T/a/alerts.tsv" || fail "alerts differ from golden"
cmp "$S/tests/data/e2e/summary-2026-11.tsv" "$T/a/summary-2026-11.tsv" ||
	fail "summary differs from golden"

# 5. the PDF
pdf="$T/a/report-2026-11.pdf"
pdffonts "$pdf" > "$T/fonts"
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$T/fonts" ||
	fail "a font is not embedded: $(cat "$T/fonts")"
pdftotext -layout "$pdf" "$T/text"
for title in 服务级别 安全事件统计 客户满意度 东海市示例商业银行; do
	grep -q "$title" "$T/text" || fail "PDF text lacks $title"
done
total=$(awk -F'\t' '$1 == "events" { print $2 }' "$T/a/summary-2026-11.tsv")
grep -q "$total" "$T/text" ||
	grep -q "$(printf "%'d" "$total" 2>/dev/null)" "$T/text" ||
	fail "PDF does not show the event total $total"
omsec-report --config "$T/a/site.ini" --period 2026-11 \
	--summary "$T/a/summary-2026-11.tsv" --alerts "$T/a/alerts.tsv" \
	--tickets "$T/a/tickets.csv" --survey "$T/a/survey.csv" \
	--vulns "$S/samples/vulns.csv" --inspections "$S/samples/inspections.csv" \
	--assets "$S/samples/assets.csv" --outages "$S/samples/outages.csv" \
	-o "$T/again.pdf"
cmp "$pdf" "$T/again.pdf" || fail "PDF differs between two runs"
echo "e2e chain: ok"
