#!/bin/sh
# sample-report.sh BUILD_DIR OUT_DIR [SEED]
# MONTH=YYYY-MM in the environment picks another month (default 2026-11).
#
# Runs the whole chain on a generated month for the sample customer:
#   omsec-samplegen -> omsec-ingest | omsec-parse | omsec-enrich -> events
#   events -> omsec-detect -> alerts
#   events -> omsec-agg per day -> omsec-agg --merge -> month summary
#   summary + alerts + tickets + survey + the record templates of samples/
#   (vulns, inspections, assets, outages) + site.ini -> omsec-report -> PDF
# Every file is written to a temporary name and renamed when complete.
# It works inside OUT_DIR, so evidence refs read logs/HOST/FILE:LINE
# wherever OUT_DIR is.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT_DIR [SEED]" >&2; exit 2; }
B=$(cd "$1" && pwd)
O=$2
SEED=${3:-42}
MONTH=${MONTH:-2026-11}
R=$(cd "$(dirname "$0")/../samples" && pwd)
PATH="$B/ingest:$B/parsers:$B/analysis:$B/reports:$B/samples:$PATH"
export PATH

mkdir -p "$O"
cd "$O"
O=.
rm -rf logs days
omsec-samplegen --seed "$SEED" --month "$MONTH" --out "$O"
cfg="$O/site.ini"

omsec-ingest logs |
	omsec-parse --config "$cfg" --rejects "$O/rejects.tsv" |
	omsec-enrich --config "$cfg" > "$O/events.tsv.tmp"
mv "$O/events.tsv.tmp" "$O/events.tsv"

omsec-detect --config "$cfg" -o "$O/alerts.tsv" < "$O/events.tsv"

# One summary per UTC day, then merged: the nightly job's shape. Line
# counts per source (#stats) cover the whole input, not a day: they go
# into a summary of their own.
mkdir -p "$O/days"
days=$(awk -F'\t' '!/^#/ { print substr($1, 1, 10) }' "$O/events.tsv" | sort -u)
for d in $days; do
	omsec-agg --from "$d" --to "$d" -o "$O/days/$d.summary" < "$O/events.tsv"
done
grep '^#' "$O/events.tsv" | omsec-agg -o "$O/days/coverage.summary"
omsec-agg --merge -o "$O/summary-$MONTH.tsv" "$O"/days/*.summary

omsec-report --config "$cfg" --period "$MONTH" \
	--summary "$O/summary-$MONTH.tsv" --alerts "$O/alerts.tsv" \
	--tickets "$O/tickets.csv" --survey "$O/survey.csv" \
	--vulns "$R/vulns.csv" --inspections "$R/inspections.csv" \
	--assets "$R/assets.csv" --outages "$R/outages.csv" \
	-o "$O/report-$MONTH.pdf"

lines=$(awk -F'\t' '$1 == "#stats" { n += $3 } END { print n + 0 }' "$O/events.tsv")
events=$(grep -vc '^#' "$O/events.tsv" || true)
rejects=$(awk -F'\t' '$1 == "#stats" { n += $5 } END { print n + 0 }' "$O/events.tsv")
alerts=$(grep -vc '^#' "$O/alerts.tsv" || true)
pages=$(pdfinfo "$O/report-$MONTH.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
echo "omsec sample month $MONTH (seed $SEED): $lines lines in, $events events," \
    "$rejects rejected, $alerts alerts, ${pages:-?} report pages"
echo "report: $(pwd)/report-$MONTH.pdf"
