#!/bin/sh
# e2e.sh - tool-level tests of omsec-ingest: golden framed output, stdin,
# -o, exit codes, gzip damage, long lines, --help, write failure.
# usage: e2e.sh path/to/omsec-ingest tests/data/ingest
set -u
BIN=$1
DATA=$(cd "$2" && pwd) || exit 1
T=$(mktemp -d /tmp/ingest_e2e.XXXXXX) || exit 1
if [ -n "${KEEP:-}" ]; then echo "kept: $T" >&2; else trap 'rm -rf "$T"' EXIT; fi
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# The fixture tree: rotated sets (numbered, multi-member gzip, dateext),
# an escaped '#' line, CRLF, a tab in a line and in a file name, an empty file.
cd "$T" || exit 1
mkdir -p logs/nginx
printf 'Nov  3 00:00:01 web1 sshd[1]: live one\n#not a header\r\nNov  3 00:00:02 web1 sshd[2]: tab\there\n' > logs/auth.log
printf 'Nov  2 00:00:01 web1 sshd[3]: rotated one\n' > logs/auth.log.1
printf 'Nov  1 00:00:01 web1 sshd[4]: two\n' | gzip -n > logs/auth.log.2.gz
{ printf 'Oct 31 00:00:01 web1 sshd[5]: three a\n' | gzip -n
  printf 'Oct 31 00:00:02 web1 sshd[6]: three b' | gzip -n; } > logs/auth.log.3.gz
printf '10.0.0.5 - - [01/Nov/2026:00:00:01 +0800] "GET / HTTP/1.1" 200 5\n' | gzip -n > logs/nginx/access.log-20261101.gz
printf '10.0.0.5 - - [02/Nov/2026:00:00:01 +0800] "GET /a HTTP/1.1" 404 0\n' > logs/nginx/access.log-20261102
printf '10.0.0.5 - - [03/Nov/2026:00:00:01 +0800] "GET /b HTTP/1.1" 200 7\n' > logs/nginx/access.log
printf 'odd name\n' > "logs/odd	name.log"
: > logs/empty.log
t=1764201600
for f in logs/auth.log.3.gz logs/auth.log.2.gz logs/auth.log.1 logs/auth.log \
    logs/nginx/access.log-20261101.gz logs/nginx/access.log-20261102 \
    logs/nginx/access.log "logs/odd	name.log" logs/empty.log; do
	touch -d "@$t" "$f"
	t=$((t + 86400))
done

# Arguments: the glob order is auth.log auth.log.1 auth.log.2.gz auth.log.3.gz;
# the set must come out oldest first.
"$BIN" --type syslog logs/auth.log* --type - logs/nginx "logs/odd	name.log" \
    logs/empty.log > args.out 2> args.err
rc=$?
[ $rc -eq 0 ] || fail "args: exit $rc"
cmp -s args.out "$DATA/golden-args.txt" || { fail "args: output differs from golden-args.txt"; diff "$DATA/golden-args.txt" args.out | head -20 >&2; }
[ -s args.err ] && fail "args: unexpected stderr: $(cat args.err)"
ok "golden args"

"$BIN" logs > walk.out 2> walk.err
rc=$?
[ $rc -eq 0 ] || fail "walk: exit $rc"
cmp -s walk.out "$DATA/golden-walk.txt" || { fail "walk: output differs from golden-walk.txt"; diff "$DATA/golden-walk.txt" walk.out | head -20 >&2; }
ok "golden walk"

# -o writes the same bytes, atomically, and leaves no temporary file.
"$BIN" -o walk2.out logs || fail "-o: exit $?"
cmp -s walk2.out "$DATA/golden-walk.txt" || fail "-o: output differs"
ls walk2.out.tmp.* >/dev/null 2>&1 && fail "-o: temporary file left"
ok "-o"

# stdin: no argument and '-', plain and gzip; the path '-' is TSV-escaped.
got=$(printf 'x\n#y' | "$BIN" | od -An -c | tr -s ' ')
exp=$(printf '#omsec-ingest\t1\n#source\t\\x2d\t-\t-\nx\n##y\n' | od -An -c | tr -s ' ')
[ "$got" = "$exp" ] || fail "stdin plain: $got"
got=$(printf 'z1\nz2\n' | gzip | "$BIN" -t syslog - | tail -n 3)
exp=$(printf '#source\t\\x2d\tsyslog\t-\nz1\nz2')
[ "$got" = "$exp" ] || fail "stdin gzip: $got"
ok "stdin"

# Write failure must not look like success.
"$BIN" logs > /dev/full 2> full.err
rc=$?
[ $rc -eq 1 ] || fail "/dev/full: exit $rc"
grep -q 'omsec-ingest: stdout: No space left on device' full.err || fail "/dev/full: message: $(cat full.err)"
"$BIN" -o /dev/full/x logs 2>/dev/null
[ $? -eq 1 ] || fail "-o unwritable: exit not 1"
ok "write failure"

# A missing file: warn, exit 1, the other sources still framed.
"$BIN" logs/nope logs/auth.log.1 > miss.out 2> miss.err
rc=$?
[ $rc -eq 1 ] || fail "missing: exit $rc"
grep -q '^omsec-ingest: logs/nope: No such file or directory$' miss.err || fail "missing: message: $(cat miss.err)"
grep -q 'rotated one' miss.out || fail "missing: other file not read"
ok "missing file"

# A truncated gzip: the lines before the damage are kept, exit 1.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "line %05d %s\n", i, "padding padding padding" }' > big
gzip -n < big > big.gz
size=$(wc -c < big.gz)
cut=$((size / 2))
head -c $cut big.gz > cut.gz
"$BIN" cut.gz logs/auth.log.1 > cut.out 2> cut.err
rc=$?
[ $rc -eq 1 ] || fail "truncated gzip: exit $rc"
grep -qx "omsec-ingest: cut.gz: gzip error at offset $cut: unexpected end of file" cut.err || fail "truncated gzip: message: $(cat cut.err)"
n=$(grep -c '^line ' cut.out)
[ "$n" -gt 1000 ] && [ "$n" -lt 20000 ] || fail "truncated gzip: $n lines kept"
head -n $((n - 1)) big | cmp -s - "$(sed -n '3,$p' cut.out | head -n $((n - 1)) > kept; echo kept)" || fail "truncated gzip: kept lines differ"
grep -q 'rotated one' cut.out || fail "truncated gzip: next file not read"
ok "truncated gzip"

# A 2 MiB line is cut at 1 MiB, counted, and the next line is intact.
{ head -c 2097152 /dev/zero | tr '\0' x; printf '\nafter\n'; } > long
"$BIN" -v long > long.out 2> long.err
rc=$?
[ $rc -eq 0 ] || fail "long line: exit $rc"
len=$(sed -n 3p long.out | wc -c)
[ "$len" -eq 1048577 ] || fail "long line: kept $len bytes"
[ "$(sed -n 4p long.out)" = after ] || fail "long line: next line"
grep -qx 'omsec-ingest: long: 1 line longer than 1 MiB cut' long.err || fail "long line: warning: $(cat long.err)"
grep -qx 'omsec-ingest: 1 files, 2097159 bytes in, 2097159 bytes decompressed, 2 lines, 1 truncated, 0 failed, 0 skipped' long.err || fail "verbose: $(cat long.err)"
ok "long line"

# Usage.
"$BIN" --help > help.out; rc=$?
[ $rc -eq 0 ] && grep -q '^usage: omsec-ingest' help.out || fail "--help: exit $rc"
"$BIN" --bogus > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad option: exit $rc"
"$BIN" --type 'Bad Type' logs > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad type: exit $rc"
"$BIN" -o a -o b logs > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "-o twice: exit $rc"
"$BIN" --help > /dev/full 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--help >/dev/full: exit $rc"
ok "usage"

[ $fails -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
exit 0
