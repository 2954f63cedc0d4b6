#!/bin/sh
# sample-year.sh BUILD_DIR OUT_DIR [SEED] [YEAR]
#
# A year of sample data for the quarterly (季报) and annual (年度总结报告)
# reports, and the benchmark of rendering them:
#   12 x scripts/sample-report.sh (omsec-samplegen --month YYYY-MM and the
#   whole chain; two months at a time) -> OUT_DIR/YYYY-MM/
#   omsec-agg --merge of the months -> summary-YYYY-Q4.tsv, summary-YYYY.tsv
#   (and Q3, the previous quarter, for 环比)
#   alerts, tickets and surveys of the months concatenated
#   omsec-report --period YYYY-Q4 and --period YYYY, with --monthly
# Prints the time of each report render and the PDF sizes and pages.
# Takes about two minutes on two cores (most of it is the chain per month).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT_DIR [SEED] [YEAR]" >&2; exit 2; }
B=$(cd "$1" && pwd)
mkdir -p "$2"
O=$(cd "$2" && pwd)
SEED=${3:-42}
Y=${4:-2026}
S=$(cd "$(dirname "$0")/.." && pwd)
R=$S/samples
PATH="$B/analysis:$B/reports:$PATH"
export PATH
: "${SOURCE_DATE_EPOCH:=1798761600}"
export SOURCE_DATE_EPOCH

t0=$(date +%s)
for pair in "01 02" "03 04" "05 06" "07 08" "09 10" "11 12"; do
	for m in $pair; do
		MONTH=$Y-$m "$S/scripts/sample-report.sh" "$B" "$O/$Y-$m" \
		    "$SEED" > "$O/$Y-$m.log" 2>&1 &
	done
	wait
done
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	[ -s "$O/$Y-$m/summary-$Y-$m.tsv" ] ||
		{ echo "$0: month $Y-$m failed, see $O/$Y-$m.log" >&2; exit 1; }
done
t1=$(date +%s)

# Concatenates CSV or alert files: the first file's header, then the
# data rows of each (lines after the header; '#' lines of alerts dropped).
cat_csv() {
	out=$1
	shift
	head -n 1 "$1" > "$out.tmp"
	for f in "$@"; do tail -n +2 "$f"; done >> "$out.tmp"
	mv "$out.tmp" "$out"
}
cat_alerts() {
	out=$1
	shift
	grep '^#' "$1" > "$out.tmp"
	for f in "$@"; do grep -v '^#' "$f" || true; done >> "$out.tmp"
	mv "$out.tmp" "$out"
}
months() { for m in "$@"; do printf '%s ' "$O/$Y-$m/$2"; done; }

for q in Q3:07,08,09 Q4:10,11,12 Y:01,02,03,04,05,06,07,08,09,10,11,12; do
	name=${q%%:*}
	set -- $(echo "${q#*:}" | tr ',' ' ')
	tag=$Y-$name
	[ "$name" = Y ] && tag=$Y
	sums=""; al=""; tk=""; sv=""
	for m in "$@"; do
		sums="$sums $O/$Y-$m/summary-$Y-$m.tsv"
		al="$al $O/$Y-$m/alerts.tsv"
		tk="$tk $O/$Y-$m/tickets.csv"
		sv="$sv $O/$Y-$m/survey.csv"
	done
	omsec-agg --merge -o "$O/summary-$tag.tsv" $sums
	cat_alerts "$O/alerts-$tag.tsv" $al
	cat_csv "$O/tickets-$tag.csv" $tk
	cat_csv "$O/survey-$tag.csv" $sv
	mkdir -p "$O/monthly-$tag"
	for f in $sums; do ln -sf "$f" "$O/monthly-$tag/"; done
done
t2=$(date +%s)

render() {
	tag=$1
	shift
	s0=$(date +%s%N)
	omsec-report --config "$O/$Y-11/site.ini" --period "$tag" \
	    --summary "$O/summary-$tag.tsv" --alerts "$O/alerts-$tag.tsv" \
	    --tickets "$O/tickets-$tag.csv" --survey "$O/survey-$tag.csv" \
	    --vulns "$R/vulns.csv" --inspections "$R/inspections.csv" \
	    --assets "$R/assets.csv" --outages "$R/outages.csv" \
	    --monthly "$O/monthly-$tag" "$@" -o "$O/report-$tag.pdf"
	s1=$(date +%s%N)
	pages=$(pdfinfo "$O/report-$tag.pdf" 2>/dev/null |
	    awk '/^Pages:/ { print $2 }')
	size=$(wc -c < "$O/report-$tag.pdf")
	echo "report $tag: render $(( (s1 - s0) / 1000000 )) ms," \
	    "$size bytes, ${pages:-?} pages: $O/report-$tag.pdf"
}
render "$Y-Q4" --previous "$O/summary-$Y-Q3.tsv"
render "$Y"
echo "chain for 12 months: $((t1 - t0)) s; merges: $((t2 - t1)) s"
