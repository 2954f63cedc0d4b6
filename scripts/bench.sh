#!/bin/sh
# bench.sh [-n LINES] [-r RUNS] [-q] [-P] [-x] [-R] [-t TMPDIR] BUILD_DIR [AUTH_LOG ACCESS_LOG]
#
# A benchmark, not a test (docs/performance.md). On an sshd auth.log and a
# combined access.log (generated with LINES lines each, default 1000000, or
# the two files given), plain and gzipped (gzip -6, as logrotate writes),
# it runs in one go:
#   omsec-parse (TSV and --json), the whole chain
#   omsec-ingest | omsec-parse | omsec-enrich | omsec-agg on the plain and
#   the gzipped file, and the peers that are installed: lognormalizer
#   (liblognorm, with the rulebases written below), logwatch's sshd
#   service, fail2ban-regex with its sshd filter, GoAccess, mawk counting
#   by address and status, zcat and cat.
# and prints one row per job: wall time, MB/s and lines/s over the wall
# time, CPU time (user + system of every process of the job) and MB/s over
# it, both to the millisecond (bash's time), and peak RSS (the largest
# process of the job, GNU time %M). Each job
# runs RUNS times (default 3; jobs over 10 s once) and the best wall time
# is kept, with the CPU time and RSS of that run. A second table gives the
# ratio of omsec to each peer, and the goals of docs/performance.md are
# checked at the end.
#   -q  slow peers (logwatch, fail2ban-regex, GoAccess) on the first
#       tenth of the lines only (their rates are still per line and byte)
#   -P  omsec and zcat/cat only, no peers (e.g. to compare two builds)
#   -x  also run the chain on the inputs repeated ten times (from a pipe,
#       no disk) and print every stage's peak RSS for 1x and 10x
#   -R  also time omsec-report on the sample month (scripts/sample-report.sh)
# Peers are used where installed, skipped otherwise; on Debian 12:
#   apt-get install liblognorm-utils logwatch fail2ban goaccess mawk libdeflate-tools time
# Reproduce: scripts/bench.sh -x -R build
set -eu
usage() {
	echo "usage: $0 [-n LINES] [-r RUNS] [-q] [-P] [-x] [-R] [-t TMPDIR] BUILD_DIR [AUTH_LOG ACCESS_LOG]" >&2
	exit 2
}
N=1000000
RUNS=3
QUICK=0
PEERS=1
TENX=0
REPORT=0
TMPBASE=${TMPDIR:-/tmp}
while getopts n:r:qPxRt: o; do
	case $o in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	q) QUICK=1 ;;
	P) PEERS=0 ;;
	x) TENX=1 ;;
	R) REPORT=1 ;;
	t) TMPBASE=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || [ $# -eq 3 ] || usage
B=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
I=$B/ingest/omsec-ingest
P=$B/parsers/omsec-parse
E=$B/analysis/omsec-enrich
A=$B/analysis/omsec-agg
for t in "$I" "$P" "$E" "$A"; do
	[ -x "$t" ] || { echo "$0: $t missing: build first" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (apt-get install time)" >&2; exit 2; }
command -v bash >/dev/null 2>&1 || { echo "$0: needs bash (its time keyword)" >&2; exit 2; }
T=$TMPBASE/omsec-bench.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1764547200 LC_ALL=C
# The bundled country database: enrich does its real lookups.
GEO=
for g in "$B/data/geoip/country.mmdb" "$SRC/third_party/geoip/country.mmdb"; do
	[ -f "$g" ] && { GEO="--geoip $g"; break; }
done

# gen FAMILY LINES: a week of traffic. auth: an sshd brute force (failed
# and invalid users from rotating addresses, PAM failures, disconnects),
# some logins, sudo and cron; access: combined lines from rotating
# clients, some 3xx/4xx/5xx, a few requests needing escapes.
gen() {
	awk -v n="$2" -v fam="$1" '
	function ip(k) { return sprintf("%d.%d.%d.%d", 45 + k % 150, (k * 7919) % 251 + 1, (k * 104729) % 253 + 1, (k * 31) % 254 + 1) }
	BEGIN {
	split("admin test oracle postgres ubuntu user guest ftpuser git deploy support test1 pi hadoop www", users, " ")
	split("GET GET GET GET GET GET POST POST HEAD PUT", meth, " ")
	split("/ /index.html /shop/item.php /static/css/site.css /static/js/app.js /api/v1/orders /login /wp-login.php /images/logo.png /search", urls, " ")
	split("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36|Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0|Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1|curl/7.88.1|Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)|sqlmap/1.7.2#stable (https://sqlmap.org)", uas, "|")
	span = 7 * 86400
	for (i = 0; i < n; i++) {
		t = int(i * span / n)
		d = 3 + int(t / 86400); h = int(t / 3600) % 24; m = int(t / 60) % 60; s = t % 60
		k = i % 100; c = int(i / 7)
		src = ip(int(c / 3)); port = 1024 + (i * 37) % 64000; u = users[c % 15 + 1]
		if (fam == "auth") {
			pid = 10000 + int(i / 5) % 50000
			hdr = sprintf("Nov %2d %02d:%02d:%02d bastion1 ", d, h, m, s)
			if (k < 30) printf "%ssshd[%d]: Failed password for invalid user %s from %s port %d ssh2\n", hdr, pid, u, src, port
			else if (k < 45) printf "%ssshd[%d]: Failed password for root from %s port %d ssh2\n", hdr, pid, src, port
			else if (k < 60) printf "%ssshd[%d]: Invalid user %s from %s port %d\n", hdr, pid, u, src, port
			else if (k < 70) printf "%ssshd[%d]: Connection closed by invalid user %s %s port %d [preauth]\n", hdr, pid, u, src, port
			else if (k < 78) printf "%ssshd[%d]: Received disconnect from %s port %d:11: Bye Bye [preauth]\n", hdr, pid, src, port
			else if (k < 85) printf "%ssshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root\n", hdr, pid, src
			else if (k < 90) printf "%ssshd[%d]: Disconnected from authenticating user root %s port %d [preauth]\n", hdr, pid, src, port
			else if (k < 93) printf "%ssshd[%d]: Accepted publickey for deploy from 10.0.%d.%d port %d ssh2: RSA SHA256:pCq3d5x0VuVZ0bZ%06d\n", hdr, pid, c % 4, c % 200 + 1, port, i % 999999
			else if (k < 96) printf "%ssshd[%d]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)\n", hdr, pid
			else if (k < 98) printf "%ssudo:   deploy : TTY=pts/%d ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart app%d\n", hdr, i % 9, i % 7
			else printf "%sCRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n", hdr, pid
		} else {
			st = k < 80 ? 200 : k < 86 ? 304 : k < 88 ? 301 : k < 97 ? 404 : k < 99 ? 403 : 500
			url = urls[c % 10 + 1]
			if (url == "/shop/item.php" || url == "/search") url = url sprintf("?id=%d&ref=home", i % 100000)
			if (k == 42 && i % 3 == 0) url = "/cgi-bin/%2e%2e/%2e%2e/bin/sh?x=\\x27"
			printf "%s - %s [%02d/Nov/2026:%02d:%02d:%02d +0800] \"%s %s HTTP/1.1\" %d %d \"https://shop.example.com/category/electronics?page=%d\" \"%s\"\n", src, (k == 5 ? "alice" : "-"), d, h, m, s, meth[c % 10 + 1], url, st, st == 304 ? 0 : 200 + (i * 13) % 50000, i % 50, uas[c % 6 + 1]
		}
	}
	}'
}

# Rulebases for lognormalizer: the sshd lines above, and combined.
cat >"$T/sshd.rb" <<'EOF'
version=2
rule=:%date:date-rfc3164% %host:word% %tag:char-to:[%[%pid:number%]: Failed password for invalid user %user:word% from %ip:ipv4% port %port:number% ssh2
rule=:%date:date-rfc3164% %host:word% %tag:char-to:[%[%pid:number%]: Failed password for %user:word% from %ip:ipv4% port %port:number% ssh2
rule=:%date:date-rfc3164% %host:word% %tag:char-to:[%[%pid:number%]: Invalid user %user:word% from %ip:ipv4% port %port:number%
rule=:%date:date-rfc3164% %host:word% %tag:char-to:[%[%pid:number%]: Accepted %method:word% for %user:word% from %ip:ipv4% port %port:number% ssh2%rest:rest%
rule=:%date:date-rfc3164% %host:word% %tag:char-to:[%[%pid:number%]: %msg:rest%
rule=:%date:date-rfc3164% %host:word% %tag:char-to::%: %msg:rest%
EOF
cat >"$T/combined.rb" <<'EOF'
version=2
rule=:%clientip:word% %ident:word% %auth:word% [%timestamp:char-to:]%] "%verb:word% %request:word% %protocol:char-to:"%" %status:number% %bytes:word% "%referrer:char-to:"%" "%agent:char-to:"%"
EOF

if [ $# -eq 3 ]; then
	cp "$2" "$T/auth.log"
	cp "$3" "$T/access.log"
else
	gen auth "$N" >"$T/auth.log"
	gen access "$N" >"$T/access.log"
fi
for f in auth access; do
	gzip -6 -c "$T/$f.log" >"$T/$f.log.gz"
	if [ "$QUICK" = 1 ]; then
		n=$(($(wc -l <"$T/$f.log") / 10))
		head -n "$n" "$T/$f.log" >"$T/$f.part.log"
	else
		ln -s "$T/$f.log" "$T/$f.part.log"
	fi
done
mkdir -p "$T/lw"
ln -s "$T/auth.part.log" "$T/lw/auth.log"

have() { command -v "$1" >/dev/null 2>&1; }
peer() { [ "$PEERS" = 1 ] && have "$1"; }

# run NAME FAMILY INPUT_FILE CMD: times CMD (a shell command line, run by
# sh -c with stdout to /dev/null) RUNS times; appends a row to $T/rows:
# name family bytes lines wall cpu rss_kb.
run() {
	name=$1 fam=$2 in=$3 cmd=$4
	bytes=$(wc -c <"$in")
	lines=$(wc -l <"$in")
	best=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		# GNU time counts in 10 ms steps, 4% of omsec-parse's time on
		# auth.log: bash's time (getrusage, to the millisecond) gives
		# the times, GNU time the peak RSS.
		bash -c 'TIMEFORMAT="%3R %3U %3S"
		    time /usr/bin/time -f %M -o "$1" sh -c "$2" >/dev/null 2>"$3"' \
		    bench "$T/m" "$cmd" "$T/err" 2>"$T/t" ||
		    { echo "$0: $name failed:" >&2; cat "$T/err" >&2; return 0; }
		read -r w u s <"$T/t"
		read -r m <"$T/m"
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$w
			line="$name $fam $bytes $lines $w $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') $m"
		fi
		i=$((i + 1))
		# A job of over 10 s tells enough in one run.
		awk -v w="$w" 'BEGIN { exit !(w > 10) }' && break
	done
	echo "$line" >>"$T/rows"
	echo "$line" | awk '{ printf "  %-22s %-6s %7.2f s\n", $1, $2, $5 }' >&2
}

: >"$T/rows"
echo "running (best of $RUNS; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))..." >&2
for f in auth access; do
	L=$T/$f.log
	run omsec-parse "$f" "$L" "'$P' '$L'"
	run omsec-parse--json "$f" "$L" "'$P' --json '$L'"
	run omsec-chain "$f" "$L" "'$I' '$L' | '$P' | '$E' $GEO | '$A'"
	run omsec-chain-gz "$f" "$L" "'$I' '$L.gz' | '$P' | '$E' $GEO | '$A'"
	run omsec-ingest-gz "$f" "$L" "'$I' '$L.gz'"
	have zcat && run zcat "$f" "$L" "zcat '$L.gz'"
	# libdeflate (Debian libdeflate-tools): whole-buffer inflate, the
	# fastest decompressor Debian ships; a limit to compare ingest with.
	have libdeflate-gunzip && run libdeflate-gunzip "$f" "$L" "libdeflate-gunzip -c '$L.gz'"
	have cat && run cat "$f" "$L" "cat '$L'"
done
LA=$T/auth.log
LW=$T/access.log
if peer lognormalizer; then
	run lognormalizer "auth" "$LA" "lognormalizer -r '$T/sshd.rb' -e json <'$LA'"
	run lognormalizer "access" "$LW" "lognormalizer -r '$T/combined.rb' -e json <'$LW'"
fi
# logwatch: its sshd service over the file, no DNS lookups (--numeric).
peer logwatch && run logwatch-sshd auth "$T/auth.part.log" \
    "logwatch --logdir '$T/lw' --service sshd --range All --output stdout --detail Low --numeric"
peer fail2ban-regex && [ -f /etc/fail2ban/filter.d/sshd.conf ] &&
    run fail2ban-regex auth "$T/auth.part.log" \
    "fail2ban-regex '$T/auth.part.log' /etc/fail2ban/filter.d/sshd.conf"
peer goaccess && run goaccess access "$T/access.part.log" \
    "goaccess '$T/access.part.log' --log-format=COMBINED --no-progress -o '$T/ga.html'"
if peer mawk; then
	run mawk-count auth "$LA" "mawk '/ from / { for (i = 1; i < NF; i++) if (\$i == \"from\") { n[\$(i + 1)]++; break } } END { for (k in n) print n[k], k }' '$LA'"
	run mawk-count access "$LW" "mawk '{ n[\$1 \" \" \$9]++ } END { for (k in n) print n[k], k }' '$LW'"
fi

echo
printf '%-20s %-6s %7s %8s %7s %9s %7s %8s %8s\n' job input MB wall_s MB/s lines/s cpu_s cpuMB/s peakRSS
awk '{ w = $5 > 0 ? $5 : 0.01; c = $6 > 0 ? $6 : 0.01
	printf "%-20s %-6s %7.1f %8.3f %7.1f %9.0f %7.3f %8.1f %6.1fMB\n",
	    $1, $2, $3 / 1e6, $5, $3 / 1e6 / w, $4 / w, $6, $3 / 1e6 / c, $7 / 1024 }' "$T/rows"

# Ratios: omsec's job to the peer doing the nearest thing, in lines/s over
# wall time (the same as MB/s on the same input) and over CPU time.
echo
printf '%-20s %-6s %-18s %9s %9s\n' peer input "vs omsec job" wall_ratio cpu_ratio
awk '
	{ rate[$1, $2] = $4 / ($5 > 0 ? $5 : 0.01); crate[$1, $2] = $4 / ($6 > 0 ? $6 : 0.01); seen[$1, $2] = 1; order[++n] = $1 " " $2 }
	END {
		vs["lognormalizer"] = "omsec-parse--json"; vs["logwatch-sshd"] = "omsec-chain"
		vs["fail2ban-regex"] = "omsec-chain"; vs["goaccess"] = "omsec-chain"
		vs["mawk-count"] = "omsec-parse"; vs["zcat"] = "omsec-chain-gz"; vs["cat"] = "omsec-parse"
		vs["libdeflate-gunzip"] = "omsec-ingest-gz"
		for (i = 1; i <= n; i++) {
			split(order[i], k, " ")
			if (!(k[1] in vs) || !seen[vs[k[1]], k[2]])
				continue
			o = vs[k[1]]
			printf "%-20s %-6s %-18s %8.2fx %8.2fx\n", k[1], k[2], o,
			    rate[o, k[2]] / rate[k[1], k[2]], crate[o, k[2]] / crate[k[1], k[2]]
		}
	}' "$T/rows"

# tenx: every stage of the chain on the inputs repeated ten times.
if [ "$TENX" = 1 ]; then
	echo
	echo "peak RSS per stage (MB), input x1 and x10 from a pipe:"
	printf '%-7s %-5s %8s %8s %8s %8s\n' input times ingest parse enrich agg
	for f in auth access; do
		for x in 1 10; do
			# shellcheck disable=SC2034
			( i=0; while [ "$i" -lt "$x" ]; do cat "$T/$f.log"; i=$((i + 1)); done ) |
			    /usr/bin/time -f %M -o "$T/m1" "$I" - |
			    /usr/bin/time -f %M -o "$T/m2" "$P" |
			    /usr/bin/time -f %M -o "$T/m3" "$E" $GEO |
			    /usr/bin/time -f %M -o "$T/m4" "$A" >/dev/null
			printf '%-7s %-5s %8.1f %8.1f %8.1f %8.1f\n' "$f" "x$x" \
			    "$(awk '{ print $1 / 1024 }' "$T/m1")" "$(awk '{ print $1 / 1024 }' "$T/m2")" \
			    "$(awk '{ print $1 / 1024 }' "$T/m3")" "$(awk '{ print $1 / 1024 }' "$T/m4")"
		done
	done | tee "$T/tenx"
fi

# -R: the monthly report from its summaries (the sample month).
if [ "$REPORT" = 1 ] && [ -x "$B/reports/omsec-report" ]; then
	echo
	"$SRC/scripts/sample-report.sh" "$B" "$T/month" >/dev/null 2>&1 || true
	if [ -f "$T/month/summary-2026-11.tsv" ]; then
		R=$SRC/samples
		M=$T/month
		run omsec-report month "$M/summary-2026-11.tsv" "'$B/reports/omsec-report' --config '$M/site.ini' --period 2026-11 --summary '$M/summary-2026-11.tsv' --alerts '$M/alerts.tsv' --tickets '$M/tickets.csv' --survey '$M/survey.csv' --vulns '$R/vulns.csv' --inspections '$R/inspections.csv' --assets '$R/assets.csv' --outages '$R/outages.csv' -o '$T/r.pdf'" 2>/dev/null
		awk '$1 == "omsec-report" { printf "omsec-report (sample month): %.2f s wall, %.2f s CPU, %.1f MB peak RSS\n", $5, $6, $7 / 1024 }' "$T/rows"
	else
		echo "omsec-report: sample month failed, skipped"
	fi
fi

# The goals of docs/performance.md.
echo
echo "goals:"
awk -v tenx="$T/tenx" '
	function ok(c) { return c ? "ok  " : "MISS" }
	{ mbw[$1, $2] = $3 / 1e6 / ($5 > 0 ? $5 : 0.01); mbc[$1, $2] = $3 / 1e6 / ($6 > 0 ? $6 : 0.01)
	  lw[$1, $2] = $4 / ($5 > 0 ? $5 : 0.01); rss[$1, $2] = $7; wall[$1, $2] = $5; have[$1, $2] = 1 }
	END {
		for (f = 1; f <= 2; f++) {
			x = f == 1 ? "auth" : "access"
			if (have["omsec-parse", x]) {
				printf "  %s parse TSV >= 500 MB/s per core: %.0f MB/s CPU (%.0f wall)  %s\n", x, mbc["omsec-parse", x], mbw["omsec-parse", x], ok(mbc["omsec-parse", x] >= 500)
				printf "  %s parse JSON >= 250 MB/s per core: %.0f MB/s CPU (%.0f wall)  %s\n", x, mbc["omsec-parse--json", x], mbw["omsec-parse--json", x], ok(mbc["omsec-parse--json", x] >= 250)
			}
			if (have["zcat", x] && have["omsec-chain-gz", x])
				printf "  %s chain on .gz >= 90%% of zcat: %.0f%%  %s\n", x, 100 * mbw["omsec-chain-gz", x] / mbw["zcat", x], ok(mbw["omsec-chain-gz", x] >= 0.9 * mbw["zcat", x])
		}
		if (have["goaccess", "access"])
			printf "  access chain >= 10x GoAccess lines/s: %.1fx  %s\n", lw["omsec-chain", "access"] / lw["goaccess", "access"], ok(lw["omsec-chain", "access"] >= 10 * lw["goaccess", "access"])
		m = 0
		for (k in rss) { split(k, kk, SUBSEP); if (kk[1] ~ /^omsec-/ && kk[1] != "omsec-report" && rss[k] > m) m = rss[k] }
		printf "  peak RSS of every stage < 32 MB: %.1f MB  %s\n", m / 1024, ok(m < 32 * 1024)
		if ((getline l < tenx) > 0) {
			flat = 1
			do {
				split(l, a, " ")
				if (a[2] == "x1")
					for (j = 3; j <= 6; j++) one[a[1], j] = a[j]
				else if (a[2] == "x10")
					for (j = 3; j <= 6; j++)
						if (a[j] > one[a[1], j] * 1.1 + 1) flat = 0
			} while ((getline l < tenx) > 0)
			printf "  peak RSS flat when the input grows 10x (within 10%% + 1 MB): %s\n", ok(flat)
		}
		if (have["omsec-report", "month"])
			printf "  monthly report < 0.5 s: %.2f s  %s\n", wall["omsec-report", "month"], ok(wall["omsec-report", "month"] < 0.5)
	}' "$T/rows"
