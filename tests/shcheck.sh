# shcheck.sh - sourced (". shcheck.sh") by the shell tests that count their
# checks, so that each states only what it checks: $tmp, a scratch
# directory removed on exit; ok and bad "what" to count a check passed or
# failed (bad prints "FAIL: what"); checks_done, last, to print the counts
# and exit 0 only if none failed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
checks_done() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
