#!/bin/sh
# detect-bench.sh BUILD_DIR [MONTHS] [FIRST_SEED]
#
# The detection benchmark: generates MONTHS labelled sample months (seeds
# FIRST_SEED.., default 42 and 10 months), runs ingest | parse | enrich |
# detect on each with the sample site.ini, and prints precision and recall
# per rule over all of them (analysis/detect-eval.sh). Exits 1 when a rule
# is below 0.95. About 3 s a month on one core.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [MONTHS] [FIRST_SEED]" >&2; exit 2; }
B=$(cd "$1" && pwd)
N=${2:-10}
S0=${3:-42}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/omsec-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
PATH="$B/ingest:$B/parsers:$B/analysis:$B/samples:$PATH"
pairs=
i=0
while [ "$i" -lt "$N" ]; do
	seed=$((S0 + i))
	d="$T/$seed"
	omsec-samplegen --seed "$seed" --month 2026-11 --out "$d" >/dev/null
	(cd "$d" && omsec-ingest logs | omsec-parse --config site.ini |
	    omsec-enrich --config site.ini | omsec-detect --config site.ini -o alerts.tsv)
	pairs="$pairs $d/alerts.tsv $d/ground-truth.tsv"
	i=$((i + 1))
done
echo "omsec-detect on $N generated months (seeds $S0..$((S0 + N - 1))):"
# shellcheck disable=SC2086
"$here/detect-eval.sh" -m 0.95 $pairs
