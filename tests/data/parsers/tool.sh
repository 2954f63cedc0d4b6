#!/bin/sh
# Tool-level tests of omsec-parse: exit codes, --help, write errors and a
# golden output. Usage: tool.sh path/to/omsec-parse tests/data/parsers
set -u
bin=$1 dir=$2 fail=0 tmp=${TMPDIR:-/tmp}/omsec-parse-test.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
check() { # name expected-status actual-status
	if [ "$2" -ne "$3" ]; then echo "FAIL $1: exit $3, want $2"; fail=$((fail + 1)); else echo "ok $1"; fi
}
"$bin" --help >"$tmp/help" 2>"$tmp/err"; check help 0 $?
grep -q -- '--rejects FILE' "$tmp/help" && [ ! -s "$tmp/err" ]; check help-stdout 0 $?
"$bin" --bogus </dev/null >/dev/null 2>&1; check bad-option 2 $?
"$bin" --type nosuch </dev/null >/dev/null 2>&1; check bad-type 2 $?
"$bin" --year 12x </dev/null >/dev/null 2>&1; check bad-year 2 $?
"$bin" --tz Mars/Base </dev/null >/dev/null 2>&1; check bad-tz 2 $?
"$bin" "$tmp/missing.log" >/dev/null 2>"$tmp/err"; check missing-file 1 $?
grep -q '^omsec-parse: .*missing.log: No such file' "$tmp/err"; check missing-msg 0 $?
"$bin" "$dir/framed.in" >/dev/full 2>/dev/null; check dev-full 1 $?
"$bin" --tz Asia/Shanghai --rejects "$tmp/rej" "$dir/framed.in" >"$tmp/out"; check golden-run 0 $?
cmp -s "$tmp/out" "$dir/framed.golden"; check golden-events 0 $?
cmp -s "$tmp/rej" "$dir/framed.rejects.golden"; check golden-rejects 0 $?
"$bin" --json "$dir/framed.in" >"$tmp/json"; check json-run 0 $?
cmp -s "$tmp/json" "$dir/framed.json.golden"; check golden-json 0 $?
"$bin" --verbose <"$dir/framed.in" >/dev/null 2>"$tmp/err"; check verbose 0 $?
grep -qx 'omsec-parse: 2 sources, 5 lines, 4 events, 1 rejects, 0 truncated' "$tmp/err"; check verbose-msg 0 $?
# Rule files: --check-rules on the shipped ones, on broken ones, and a
# broken rule directory stopping a normal run.
rules=$dir/../../../parsers/rules
"$bin" --check-rules "$rules" >"$tmp/out" 2>"$tmp/err"; check check-rules 0 $?
[ "$(cat "$tmp/out")" = "24 rules in 2 files, 28 samples, 0 failures" ] && [ ! -s "$tmp/err" ]; check check-rules-out 0 $?
"$bin" --check-rules "$dir/rules-bad/samples" >"$tmp/out" 2>"$tmp/err"; check check-rules-fail 1 $?
grep -qx "omsec-parse: $dir/rules-bad/samples/a.rules:8:17: rule first: sample gives user 'alice', expected 'bob'" "$tmp/err"; check check-rules-msg 0 $?
"$bin" --check-rules --rules "$dir/rules-bad/regex" >/dev/null 2>"$tmp/err"; check check-rules-regex 1 $?
grep -qx "omsec-parse: $dir/rules-bad/regex/a.rules:4:14: bad regex: missing closing parenthesis" "$tmp/err"; check check-rules-regex-msg 0 $?
"$bin" --check-rules a b </dev/null >/dev/null 2>&1; check check-rules-usage 2 $?
"$bin" --rules "$dir/rules-bad/key" </dev/null >/dev/null 2>&1; check bad-rules-run 1 $?
printf 'Nov  3 02:14:07 fw01 %%ASA-6-605004: Login denied from 203.0.113.9/40022 to outside:198.51.100.1/ssh for user "admin"\n' |
	"$bin" --rules "$rules" --tz UTC | cut -f2-8,12 | tail -n +3 | head -1 >"$tmp/out"
printf 'fw01\tasa\tauthentication\tlogin\tfailure\t2\t203.0.113.9\tadmin\n' | cmp -s - "$tmp/out"; check rules-run 0 $?
# The formats of issue 3's second part (CEF, LEEF, ASA without a relay,
# the FortiGate fast path, a MySQL slow log record) and a [types] / [json]
# site config: framed with a fixed mtime, so the golden does not depend on
# the checkout's file times.
{ printf '#omsec-ingest\t1\n#source\t/var/log/new.log\t-\t1795132800\n'
  sed 's/^#/##/' "$dir/newformats.log"
  printf '#source\t/srv/app/a.json\t-\t1795132800\n'
  printf '{"@timestamp":"2026-11-03T02:14:07Z","client":{"ip":"203.0.113.9"},"user.name":"bob","event":{"action":"login"},"message":"bad\\tpw"}\n'
} >"$tmp/new.in"
"$bin" --config "$dir/newformats.ini" --verbose "$tmp/new.in" >"$tmp/out" 2>"$tmp/err"; check newformats-run 0 $?
cmp -s "$tmp/out" "$dir/newformats.golden"; check newformats-golden 0 $?
grep -qx 'omsec-parse: 2 sources, 16 lines, 10 events, 0 rejects, 0 truncated, 6 continued' "$tmp/err"; check newformats-verbose 0 $?
printf '[types]\n*.log = nosuch\n' >"$tmp/bad.ini"
"$bin" --config "$tmp/bad.ini" </dev/null >/dev/null 2>"$tmp/err"; check bad-types 1 $?
grep -qx "omsec-parse: $tmp/bad.ini: \\[types\\] \\*.log: unknown type nosuch" "$tmp/err"; check bad-types-msg 0 $?
echo "$(( 32 - fail )) passed, $fail failed"
[ "$fail" -eq 0 ]
