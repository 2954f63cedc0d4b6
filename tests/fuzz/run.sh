#!/bin/sh
# run.sh - runs every fuzz target for a bounded time and prints its figures.
#
#   tests/fuzz/run.sh BUILD SECONDS [TARGET...]
#
# BUILD is a build directory configured with CC=clang -DOMSEC_FUZZ=ON (the
# targets are built here if needed). Each target starts from the seeds of
# seeds.py plus its regression inputs, keeps its growing corpus in
# BUILD/fuzz/corpus/<target> (so a later run goes on from there), and writes
# crash, leak and timeout inputs to BUILD/fuzz/artifacts/<target>/. One line
# per target: executions, edge coverage (cov), features (ft), corpus size,
# artifacts. Exits 1 if any target found anything: the input to add to
# tests/fuzz/regress/<target>/ once fixed is named in its log,
# BUILD/fuzz/<target>.log.
#
# CI runs it for 20 s per target (./bootstrap ci); the campaign of the
# README runs it for 600 s per target.
set -eu
[ $# -ge 2 ] || { echo "usage: tests/fuzz/run.sh BUILD SECONDS [TARGET...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$1 secs=$2
shift 2
targets=${*:-"parse_line parse_stream ingest events summary records report_inputs config"}

tl=
for t in $targets; do tl="$tl fuzz_$t"; done
cmake --build "$build" -j"$(nproc)" --target $tl >/dev/null
mkdir -p "$build/fuzz"
if [ ! -d "$build/fuzz/seeds" ]; then
	# The sample generator and omsec-parse make seeds; without them the
	# seeds come from tests/data and samples/ alone.
	cmake --build "$build" -j"$(nproc)" --target omsec-samplegen \
	    omsec-parse >/dev/null 2>&1 || true
	python3 "$here/seeds.py" "$build/fuzz/seeds" --build "$build" >/dev/null
fi

rval=0
printf '%-14s %10s %7s %7s %7s %9s\n' target execs cov ft corpus artifacts
for t in $targets; do
	corpus=$build/fuzz/corpus/$t
	art=$build/fuzz/artifacts/$t
	log=$build/fuzz/$t.log
	mkdir -p "$corpus" "$art" "$build/fuzz/seeds/$t"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb bounds
	# memory, so an input that makes a stage balloon is a finding too.
	set +e
	"$build/tests/fuzz/fuzz_$t" "$corpus" "$build/fuzz/seeds/$t" \
	    "$here/regress/$t" -max_total_time="$secs" -max_len=16384 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$art/" >"$log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log")
	# libFuzzer's status lines only: a target's own output may be binary.
	last=$(grep -aE '^#[0-9]+[[:space:]]+(INITED|NEW|REDUCE|pulse|DONE) ' \
	    "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	found=$(find "$art" -type f | wc -l)
	printf '%-14s %10s %7s %7s %7s %9s\n' "$t" "${execs:-?}" "${cov:-?}" \
	    "${ft:-?}" "${corp:-?}" "$found"
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		echo "run.sh: $t failed (exit $rc), see $log" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || true
		rval=1
	fi
done
exit $rval
