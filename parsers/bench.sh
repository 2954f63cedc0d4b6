#!/bin/sh
# bench.sh BUILD_DIR [LINES] [TMPDIR]
#
# A benchmark, not a test: for each format family, generates a file of
# LINES lines (default 1000000; addresses, ports, users and times vary from
# line to line), then prints MB/s, lines/s and peak RSS of
#   omsec-parse FILE >/dev/null                      (plain)
#   omsec-ingest FILE.gz | omsec-parse >/dev/null    (gzipped; MB/s of the
#                                                     uncompressed bytes)
# Peak RSS is omsec-parse's alone (GNU time). MB/s and lines/s are given
# twice: over the wall-clock time, and over omsec-parse's own CPU time
# (user + system), which a busy shared machine distorts less. In the gzip
# rows omsec-ingest decompresses on another core. Reproduce:
#   parsers/bench.sh build 1000000
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [LINES] [TMPDIR]" >&2; exit 2; }
B=$(cd "$1" && pwd)
N=${2:-1000000}
T=${3:-${TMPDIR:-/tmp}}/omsec-bench.$$
P=$B/parsers/omsec-parse
I=$B/ingest/omsec-ingest
[ -x "$P" ] && [ -x "$I" ] || { echo "$0: build omsec-parse and omsec-ingest first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (/usr/bin/time)" >&2; exit 2; }
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1764547200

# gen FAMILY: N lines of that family on stdout.
gen() {
	awk -v n="$N" -v fam="$1" 'BEGIN {
	for (i = 0; i < n; i++) {
		s = i % 60; m = int(i / 60) % 60; h = int(i / 3600) % 24
		a = int(i / 250) % 250 + 1; b = i % 250 + 1; p = 1024 + i % 60000
		t = sprintf("%02d:%02d:%02d", h, m, s)
		if (fam == "auth") {
			k = i % 4
			if (k == 0) printf "Nov  3 %s web1 sshd[%d]: Failed password for invalid user u%d from 203.0.%d.%d port %d ssh2\n", t, 800 + i % 50, i % 977, a, b, p
			else if (k == 1) printf "Nov  3 %s web1 sshd[%d]: Accepted publickey for deploy from 10.0.%d.%d port %d ssh2: RSA SHA256:abc\n", t, 800 + i % 50, a, b, p
			else if (k == 2) printf "Nov  3 %s web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls /tmp/%d\n", t, i
			else printf "Nov  3 %s web1 CRON[%d]: pam_unix(cron:session): session opened for user root by (uid=0)\n", t, 2000 + i % 99
		} else if (fam == "access") {
			printf "203.0.%d.%d - - [03/Nov/2026:%s +0800] \"GET /shop/item.php?id=%d HTTP/1.1\" %d %d \"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/%d\"\n", a, b, t, i, (i % 10 ? 200 : 404), 500 + i % 9000, 60 + i % 50
		} else if (fam == "iptables") {
			printf "Nov  3 %s gw kernel: [%d.%06d] [UFW BLOCK] IN=eth0 OUT= MAC=90:10:35:5a:1e:3a:90:10:9e:ec:2c:71:08:00 SRC=198.51.%d.%d DST=10.0.0.5 LEN=52 TOS=0x00 PREC=0x00 TTL=115 ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=8192 RES=0x00 SYN URGP=0\n", t, i, i % 999999, a, b, i % 65536, p, 1 + i % 1024
		} else if (fam == "eve") {
			printf "{\"timestamp\":\"2026-11-03T%s.%06d+0800\",\"flow_id\":%d,\"in_iface\":\"eth0\",\"event_type\":\"alert\",\"src_ip\":\"203.0.%d.%d\",\"src_port\":%d,\"dest_ip\":\"10.0.0.5\",\"dest_port\":80,\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":%d,\"rev\":3,\"signature\":\"ET WEB_SERVER Possible SQL Injection Attempt %d\",\"category\":\"Web Application Attack\",\"severity\":%d},\"http\":{\"hostname\":\"shop\",\"url\":\"\\/item.php?id=%d\",\"http_user_agent\":\"sqlmap\\/1.5\",\"http_method\":\"GET\",\"status\":200,\"length\":%d},\"app_proto\":\"http\"}\n", t, i % 999999, i, a, b, p, 2000000 + i % 5000, i % 7, 1 + i % 3, i, 100 + i % 900
		} else if (fam == "weberr") {
			if (i % 2) printf "2026/11/03 %s [error] 811#811: *%d open() \"/var/www/html/x%d.php\" failed (2: No such file or directory), client: 203.0.%d.%d, server: shop, request: \"GET /x%d.php HTTP/1.1\", host: \"shop\"\n", t, i, i, a, b, i
			else printf "[Tue Nov 03 %s.%06d 2026] [core:error] [pid %d:tid %d] [client 198.51.%d.%d:%d] AH00126: Invalid URI in request GET /%d HTTP/1.1\n", t, i % 999999, 1000 + i % 50, i % 9999, a, b, p, i
		} else if (fam == "db") {
			if (i % 2) printf "2026-11-03T%s.%06dZ %d [Note] [MY-010926] [Server] Access denied for user '\''u%d'\''@'\''203.0.%d.%d'\'' (using password: YES)\n", t, i % 999999, i % 9999, i % 100, a, b
			else printf "2026-11-03 %s.%03d UTC,\"app\",\"shop\",%d,\"10.0.%d.%d:%d\",5ff25bb2.22,%d,\"SELECT\",2026-11-03 00:00:00 UTC,3/1,0,LOG,00000,\"statement: SELECT * FROM items WHERE id = %d\",,,,,,,,,\"psql\"\n", t, i % 1000, 100 + i % 900, a, b, p, i, i
		} else if (fam == "asa") {
			printf "Nov  3 %s fw01 %%ASA-6-302013: Built inbound TCP connection %d for outside:203.0.%d.%d/%d (203.0.%d.%d/%d) to dmz:10.0.1.5/443 (198.51.100.5/443)\n", t, i, a, b, p, a, b, p
		} else if (fam == "slowlog") {
			# One record is 5 lines; n counts lines, not records.
			if (i % 5 == 0) printf "# Time: 2026-11-03T%s.%06dZ\n", t, i % 999999
			else if (i % 5 == 1) printf "# User@Host: app%d[app%d] @ web%d [10.0.%d.%d]  Id: %d\n", i % 50, i % 50, i % 9, a, b, i
			else if (i % 5 == 2) printf "# Query_time: %d.%06d  Lock_time: 0.000%03d Rows_sent: %d  Rows_examined: %d\n", i % 30, i % 999999, i % 999, i % 1000, i
			else if (i % 5 == 3) printf "SET timestamp=%d;\n", 1793671200 + i
			else printf "SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = %d AND o.created > NOW() - INTERVAL 7 DAY;\n", i % 97
		} else if (fam == "cef") {
			printf "<134>Nov  3 %s fw01 CEF:0|Fortinet|FortiGate|6.0|%d|traffic deny|%d|rt=Nov 03 2026 %s src=203.0.%d.%d spt=%d dst=10.0.0.5 dpt=%d act=%s suser=u%d proto=TCP cs1Label=policy cs1=p%d msg=denied by policy\\=%d outcome=%s\n", t, 13 + i % 40, i % 11, t, a, b, p, 1 + i % 1024, (i % 3 ? "deny" : "accept"), i % 977, i % 40, i, (i % 3 ? "failure" : "success")
		} else if (fam == "leef") {
			printf "LEEF:2.0|Lancope|StealthWatch|1.0|%d|^|devTime=%d000^src=198.51.%d.%d^dst=10.0.%d.%d^srcPort=%d^dstPort=%d^sev=%d^usrName=u%d^action=%s^cat=anomaly\n", 41 + i % 20, 1793671200 + i, a, b, b, a, p, 1 + i % 1024, i % 11, i % 977, (i % 2 ? "block" : "allow")
		} else if (fam == "asa-bare") {
			printf "Nov 03 2026 %s: %%ASA-4-106023: Deny tcp src outside:203.0.%d.%d/%d dst inside:10.0.0.5/%d by access-group \"outside_in\" [0x0, 0x0]\n", t, a, b, p, 1 + i % 1024
		} else if (fam == "json") {
			printf "{\"@timestamp\":\"2026-11-03T%s.%03dZ\",\"client\":{\"ip\":\"203.0.%d.%d\",\"port\":%d},\"user\":{\"name\":\"u%d\"},\"event\":{\"action\":\"login\",\"outcome\":\"%s\"},\"message\":\"login for u%d from 203.0.%d.%d\"}\n", t, i % 1000, a, b, p, i % 977, (i % 4 ? "failure" : "success"), i % 977, a, b
		} else if (fam == "fortigate" || fam == "fortigate-regex") {
			printf "date=2026-11-03 time=%s devname=\"FGT60E\" devid=\"FGT60E4Q16000001\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" eventtime=%d srcip=203.0.%d.%d srcport=%d srcintf=\"wan1\" dstip=10.0.0.5 dstport=443 dstintf=\"internal\" sessionid=%d proto=6 action=\"%s\" policyid=%d service=\"HTTPS\" duration=%d sentbyte=%d rcvdbyte=%d\n", t, 1762100000 + i, a, b, p, i, (i % 3 ? "close" : "deny"), i % 40, i % 300, i % 9000, i % 90000
		}
	}
	}'
}

# json: a [json] map, and a [types] glob naming the file's type.
cat >"$T/site.ini" <<'EOF'
[types]
*/json.log* = json
[json]
ts = @timestamp
src_ip = client.ip
src_port = client.port
user = user.name
action = event.action
outcome = event.outcome
msg = message
EOF

printf '%-15s %6s %8s %8s %10s %8s %10s %9s\n' family input MB MB/s lines/s cpuMB/s cpulines/s peakRSS
# BENCH_FAMILIES picks some (e.g. "slowlog cef"); fortigate-regex is the
# FortiGate family through the PCRE2 rules (OMSEC_NO_FASTPATH=1).
for fam in ${BENCH_FAMILIES:-auth access iptables eve weberr db slowlog asa asa-bare fortigate fortigate-regex cef leef json}; do
	f=$T/$fam.log
	case $fam in
	fortigate-regex) export OMSEC_NO_FASTPATH=1 ;;
	*) unset OMSEC_NO_FASTPATH ;;
	esac
	cfg=
	if [ "$fam" = json ]; then cfg="--config $T/site.ini"; fi
	gen "$fam" >"$f"
	gzip -1 -c "$f" >"$f.gz"
	bytes=$(wc -c <"$f")
	for mode in plain gzip; do
		if [ "$mode" = plain ]; then
			/usr/bin/time -f '%e %U %S %M' -o "$T/t" "$P" $cfg "$f" >/dev/null
		else
			"$I" "$f.gz" | /usr/bin/time -f '%e %U %S %M' -o "$T/t" "$P" $cfg >/dev/null
		fi
		read -r secs usr sys rss <"$T/t"
		awk -v fam="$fam" -v mode="$mode" -v b="$bytes" -v n="$N" \
		    -v s="$secs" -v c="$usr $sys" -v r="$rss" 'BEGIN {
			split(c, u, " "); cpu = u[1] + u[2]
			if (s <= 0) s = 0.01
			if (cpu <= 0) cpu = 0.01
			printf "%-15s %6s %8.1f %8.1f %10.0f %8.1f %10.0f %7.1fMB\n",
			    fam, mode, b / 1e6, b / 1e6 / s, n / s, b / 1e6 / cpu,
			    n / cpu, r / 1024 }'
	done
	rm -f "$f" "$f.gz"
done
