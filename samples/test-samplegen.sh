#!/bin/sh
# test-samplegen.sh - tool-level tests of omsec-samplegen (run by ctest).
#
#   sh test-samplegen.sh CASE GENERATOR SAMPLESDIR WORKDIR
#
# CASE is one of: determinism, truth, templates, usage. Each prints what it
# checked and exits 0, or prints what differed and exits 1.
set -u
case_=$1 gen=$2 samples=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Lists every file with its size and mtime (so a tree diff sees times too).
tree_list() { (cd "$1" && find . -type f -printf '%P %s %T@\n' | LC_ALL=C sort); }

case $case_ in
determinism)
	"$gen" --seed 42 --month 2026-11 --out "$work/a" || bad "run a"
	"$gen" --seed 42 --month 2026-11 --out "$work/b" || bad "run b"
	"$gen" --seed 43 --month 2026-11 --out "$work/c" || bad "run c"
	diff -r "$work/a" "$work/b" >/dev/null || bad "same seed, different bytes"
	[ "$(tree_list "$work/a")" = "$(tree_list "$work/b")" ] || bad "same seed, different sizes or times"
	n=$(find "$work/a/logs" -name '*.gz' | wc -l)
	# 6 weekly sets (auth.log x3, kern.log, eve.json, general.log: .2-.4)
	# and 30 days of access.log (.2-.29)
	[ "$n" -eq 46 ] || bad "expected 46 .gz files, got $n"
	for f in $(find "$work/a/logs" -name '*.gz'); do
		# gzip header: magic, deflate, no flags, MTIME 0, XFL, OS 3 (Unix)
		h=$(od -An -tx1 -N10 "$f" | tr -d ' \n')
		case $h in 1f8b0800000000000003) ;;
		*) bad "$f: gzip header $h" ;; esac
		gzip -t "$f" || bad "$f: corrupt"
	done
	if diff -r "$work/a/logs" "$work/c/logs" >/dev/null; then bad "seeds 42 and 43 gave the same logs"; fi
	cmp -s "$work/a/ground-truth.tsv" "$work/c/ground-truth.tsv" && bad "seeds 42 and 43 gave the same ground truth"
	;;
truth)
	"$gen" --seed 7 --month 2026-11 --out "$work/t" || bad "run"
	cd "$work/t" || exit 1
	[ "$(head -1 ground-truth.tsv)" = "$(printf 'kind\tsrc_ip\ttarget\tfirst\tlast\tlines\tattempts\trules')" ] ||
	    bad "ground-truth header"
	rows=$(($(wc -l < ground-truth.tsv) - 1))
	[ "$rows" -eq 35 ] || bad "expected 35 ground-truth rows, got $rows"
	for k in ssh_bruteforce ssh_success_after_failures ssh_password_spray web_sqli web_xss web_traversal web_sensitive_probe web_scanner sudo_not_in_sudoers \
	    ssh_distributed_bruteforce ssh_privileged_offhours ssh_new_country sudo_auth_failures sudo_first_use iam_user_created iam_group_change web_error_burst log_source_silent \
	    net_port_scan net_host_scan net_bad_range ids_signature_burst ids_high_priority db_auth_failures db_dangerous_statement db_mass_export volume_anomaly; do
		grep -q "^$k	" ground-truth.tsv || bad "no $k row"
	done
	[ "$(grep -c '^ssh_bruteforce	' ground-truth.tsv)" -ge 3 ] || bad "fewer than 3 brute forces"
	[ "$(grep -c '^ssh_success_after_failures	' ground-truth.tsv)" -ge 2 ] || bad "fewer than 2 successes after failures"
	# Oldest file first (by mtime), so each set reads in time order.
	find logs -type f -printf '%T@ %p\n' | sort -n | cut -d' ' -f2- | xargs zcat -f > all.txt
	total=$(wc -l < all.txt)
	[ "$total" -ge 150000 ] && [ "$total" -le 400000 ] || bad "volume $total lines out of 150k-400k"
	tail -n +2 ground-truth.tsv > rows.tsv
	while IFS='	' read -r kind ip target first last lines attempts rules; do
		case $rules in "$kind"|"$kind",*) ;; *) bad "$kind: rules $rules do not start with the kind" ;; esac
		host=${target%%/*} user=${target#*/}
		# Rows without an address count their own lines: check the kinds
		# whose lines can be told apart (the outage's lines are cut).
		case $kind/$ip in
		sudo_not_in_sudoers/-)
			n=$(zcat -f logs/"$host"/auth.log* | grep -cF " $user : user NOT in sudoers") ;;
		sudo_auth_failures/-)
			n=$(zcat -f logs/"$host"/auth.log* | grep -cE "sudo: (pam_unix\(sudo:auth\): authentication failure;.* user=$user\$|$user : [0-9]+ incorrect password)") ;;
		iam_user_created/-)
			n=$(zcat -f logs/"$host"/auth.log* | grep -cF "new user: name=$user,") ;;
		*/-) n=$lines ;;
		*) n=$(grep -cwF "$ip" all.txt) ;;
		esac
		[ "$n" -eq "$lines" ] || bad "$kind $ip $target: ground truth says $lines lines, logs have $n"
		[ "$attempts" -gt 0 ] && [ "$attempts" -le "$lines" ] || bad "$kind $ip: attempts $attempts"
		case $kind in ssh_bruteforce|ssh_success_after_failures)
			[ "$attempts" -ge 40 ] || bad "$kind $ip: only $attempts attempts" ;;
		esac
		if [ "$kind" = ssh_success_after_failures ]; then
			grep -wF "$ip" all.txt | grep -q "Accepted password for ${target#*/} from $ip " ||
			    bad "$kind $ip: no Accepted password"
		fi
		case $kind in ssh_bruteforce|ssh_success_after_failures|ssh_password_spray)
			f=$(grep -wF "$ip" all.txt | grep -c 'Failed password')
			[ "$f" -eq "$attempts" ] || bad "$kind $ip: $f Failed password lines, ground truth says $attempts" ;;
		esac
		# first/last are UTC; the logs say local time (UTC+8).
		if [ "$ip" != - ]; then
			sys=$(TZ=Asia/Shanghai date -d "$first" '+%b %e %H:%M:%S')
			ngx=$(TZ=Asia/Shanghai date -d "$first" '+%d/%b/%Y:%H:%M:%S +0800')
			eve=$(TZ=Asia/Shanghai date -d "$first" '+%Y-%m-%dT%H:%M:%S.')
			my=$(date -u -d "$first" '+%Y-%m-%dT%H:%M:%S.')
			# The sets are read file by file: look for a line at first
			# in any of the four time formats.
			grep -wF "$ip" all.txt | grep -qF -e "$sys " -e "[$ngx]" \
			    -e "{\"timestamp\":\"$eve" -e "$my" ||
			    bad "$kind $ip: no line at $first"
		fi
	done < rows.tsv
	# One brute force crosses local midnight, and with it the weekly rotation.
	crossed=0
	while IFS='	' read -r kind ip target first last lines attempts rules; do
		[ "$kind" = ssh_bruteforce ] || continue
		d1=$(TZ=Asia/Shanghai date -d "$first" +%F) d2=$(TZ=Asia/Shanghai date -d "$last" +%F)
		if [ "$d1" != "$d2" ]; then
			crossed=1
			nf=$(for f in logs/"${target%%/*}"/auth.log*; do zcat -f "$f" | grep -qwF "$ip" && echo "$f"; done | wc -l)
			[ "$nf" -eq 2 ] || bad "midnight brute force $ip in $nf files, expected 2"
		fi
	done < rows.tsv
	[ "$crossed" -eq 1 ] || bad "no brute force crosses midnight"
	# Each file's mtime is the time of its last line.
	for f in logs/bastion01/auth.log.3.gz logs/web01/auth.log.1 logs/web01/nginx/access.log.5.gz; do
		l=$(zcat -f "$f" | tail -1)
		case $f in
		*access*) ts=$(echo "$l" | sed 's/^[^[]*\[\([^]]*\)\].*/\1/; s#/# #g; s#:# #') ;;
		*) ts=$(echo "$l" | awk '{print $1, $2, 2026, $3, "+0800"}') ;;
		esac
		want=$(date -d "$ts" +%s) || bad "$f: cannot read time '$ts'"
		[ "$(stat -c %Y "$f")" = "$want" ] || bad "$f: mtime $(stat -c %Y "$f"), last line at $want ($ts)"
	done
	# Background noise stays below the site's brute-force threshold
	# (10 failures in 10 minutes from one address).
	cut -f2 rows.tsv | grep -v '^-$' > attackers.txt
	for h in web01 bastion01; do
		top=$(find logs/$h -maxdepth 1 -type f -printf '%T@ %p\n' | sort -n | cut -d' ' -f2- |
		    xargs zcat -f | grep 'Failed password' | grep -vwFf attackers.txt | awk '
		{
			split($3, a, ":"); t = $2 * 86400 + a[1] * 3600 + a[2] * 60 + a[3]
			ip = $0; sub(/.* from /, "", ip); sub(/ port .*/, "", ip)
			n = split(w[ip], prev, " "); c = 1; keep = ""
			for (i = 1; i <= n; i++) if (t - prev[i] < 600) { c++; keep = keep " " prev[i] }
			w[ip] = keep " " t
			if (c > max) { max = c; who = ip }
		}
		END { print max + 0, who }')
		echo "$h: most failures in 10 minutes from a non-attacker: $top"
		[ "${top%% *}" -lt 10 ] || bad "$h: noise reaches the brute-force threshold: $top"
	done
	;;
templates)
	"$gen" --out "$work/d" || bad "run with defaults"
	for f in site.ini bad-ranges.txt assets.csv tickets.csv survey.csv; do
		cmp "$work/d/$f" "$samples/$f" || bad "$f differs from samples/$f (regenerate: omsec-samplegen --out DIR; cp DIR/$f samples/)"
	done
	n=$(grep -c '^OPS-202611-' "$work/d/tickets.csv")
	[ "$n" -ge 35 ] && [ "$n" -le 55 ] || bad "$n tickets"
	;;
usage)
	"$gen" --help > "$work/help" || bad "--help exit $?"
	grep -q '^usage: omsec-samplegen' "$work/help" || bad "--help text"
	"$gen" --help > /dev/full 2>/dev/null; [ $? -eq 1 ] || bad "--help >/dev/full should exit 1"
	"$gen" 2>/dev/null; [ $? -eq 2 ] || bad "no --out should exit 2"
	"$gen" --month 2026-13 --out "$work/x" 2>/dev/null; [ $? -eq 2 ] || bad "bad month should exit 2"
	"$gen" --month 26-11 --out "$work/x" 2>/dev/null; [ $? -eq 2 ] || bad "short month should exit 2"
	"$gen" --seed -1 --out "$work/x" 2>/dev/null; [ $? -eq 2 ] || bad "negative seed should exit 2"
	"$gen" --seed 1x --out "$work/x" 2>/dev/null; [ $? -eq 2 ] || bad "bad seed should exit 2"
	"$gen" --out "$work/x" extra 2>/dev/null; [ $? -eq 2 ] || bad "extra argument should exit 2"
	"$gen" --bogus 2>/dev/null; [ $? -eq 2 ] || bad "unknown option should exit 2"
	"$gen" --out /dev/null/x 2> "$work/err"; [ $? -eq 1 ] || bad "unwritable --out should exit 1"
	grep -q '^omsec-samplegen: /dev/null' "$work/err" || bad "error message: $(cat "$work/err")"
	[ -e "$work/x" ] && bad "usage errors must not write"
	;;
*)
	echo "unknown case $case_"; exit 2 ;;
esac
if [ "$fails" -eq 0 ]; then echo "samplegen $case_: ok"; exit 0; fi
echo "samplegen $case_: $fails failed"; exit 1
