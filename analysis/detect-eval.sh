#!/bin/sh
# detect-eval.sh ALERTS GROUND_TRUTH [MIN]
#
# Precision and recall of omsec-detect per rule against the ground truth
# that omsec-samplegen writes (samples/README.md). A ground-truth row lists
# in its `rules` column every rule that must alert on it. An alert of rule
# R is a true positive when some row listing R names the same entity and
# overlaps it in time (2 minutes of slack either side); a row listing R is
# recalled when some alert of R matches it.
#
# Entities: a src_ip alert matches the row's src_ip; a user alert
# (user@host) the row's target host/user; a host or source alert
# (log_source_silent) the row's target without "/-", or a source path that
# ends with "/" and the target (logs/web01/nginx for web01/nginx).
#
# Several months can be judged at once (pairs of ALERTS GROUND_TRUTH):
# the counts add up. Prints one line per rule, then the totals; with
# -m MIN (e.g. 0.95), exits 1 when a rule's precision or recall is below it.
#
#   analysis/detect-eval.sh -m 0.95 alerts.tsv ground-truth.tsv
#   analysis/detect-bench.sh BUILD_DIR 10     (ten generated months)
set -eu
min=0
if [ "${1:-}" = -m ]; then min=$2; shift 2; fi
[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] ||
	{ echo "usage: $0 [-m MIN] ALERTS GROUND_TRUTH [ALERTS GROUND_TRUTH ...]" >&2; exit 2; }
files=
while [ $# -gt 0 ]; do files="$files $2 $1"; shift 2; done
# shellcheck disable=SC2086
awk -F'\t' -v min="$min" '
function iso(s,   y, m, d, era, yoe, doy, doe) {	# UTC seconds; POSIX awk
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	y -= m <= 2; era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return (era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 + \
	    substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
function entity_ok(i, etype, ent,   tg, h, u) {
	if (etype == "src_ip")
		return src[i] == ent
	tg = target[i]
	if (etype == "user") {
		h = tg; sub(/\/.*/, "", h); u = tg; sub(/^[^\/]*\//, "", u)
		return ent == u "@" h
	}
	sub(/\/-$/, "", tg)
	return ent == tg || substr(ent, length(ent) - length(tg)) == "/" tg
}
function close_month(   i, r) {	# recall of the month just judged
	for (i = 1; i <= n; i++)
		for (r in rules)
			if ((i, r) in lists && (i, r) in found) rec[r]++
	for (i = 1; i <= n; i++) for (r in rules) { delete lists[i, r]; delete found[i, r] }
	n = 0
}
FNR == 1 { file++; if (file % 2 == 1) close_month() }
file % 2 == 1 && FNR > 1 {
	n++; src[n] = $2; target[n] = $3; t1[n] = iso($4) - 120; t2[n] = iso($5) + 120
	k = split($8, rl, ",")
	for (j = 1; j <= k; j++) { lists[n, rl[j]] = 1; rows[rl[j]]++; rules[rl[j]] = 1 }
	next
}
file % 2 == 0 && !/^#/ {
	r = $2; rules[r] = 1; alerts[r]++; a1 = iso($6); a2 = iso($7); hit = 0
	for (i = 1; i <= n; i++)
		if ((i, r) in lists && a1 <= t2[i] && a2 >= t1[i] && entity_ok(i, $4, $5)) {
			hit = 1; found[i, r] = 1
		}
	if (hit) tp[r]++
	else fp_list[r] = fp_list[r] " " $5 "@" $6
}
END {
	close_month()
	printf "%-28s %5s %6s %4s %9s %7s\n", "rule", "truth", "alerts", "tp", "precision", "recall"
	bad = 0
	nr = 0
	for (r in rules) names[++nr] = r
	for (i = 2; i <= nr; i++)	# insertion sort: POSIX awk has no asort
		for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
			r = names[j]; names[j] = names[j - 1]; names[j - 1] = r
		}
	for (x = 1; x <= nr; x++) {
		r = names[x]
		p = alerts[r] ? tp[r] / alerts[r] : (rows[r] ? 0 : 1)
		q = rows[r] ? rec[r] / rows[r] : 1
		printf "%-28s %5d %6d %4d %9.3f %7.3f%s\n", r, rows[r], alerts[r], tp[r], p, q,
		    fp_list[r] != "" ? "  false:" fp_list[r] : ""
		ta += alerts[r]; ttp += tp[r]; tr += rows[r]; trec += rec[r]
		if (p < min || q < min) bad = 1
	}
	printf "%-28s %5d %6d %4d %9.3f %7.3f\n", "all", tr, ta, ttp,
	    ta ? ttp / ta : 1, tr ? trec / tr : 1
	exit bad
}' $files
