#!/bin/sh
# coverage.sh OMSEC-PARSE [REALDATA] [MIN%]
#
# Template coverage of omsec-parse on the loghub samples (Linux, OpenSSH,
# Apache error log): for each loghub template (EventId of the
# *_structured.csv ground truth), how many of its lines omsec parsed at all
# and how many into a specific event, i.e. not the generic fallback of its
# format (action "log" of a syslog line, "error_log" of a web server error
# log). Prints one table per dataset and a total line; with MIN% exits 1
# if the parsed share of any dataset is below it (the ctest
# parsers_loghub_coverage, label realdata, runs it with 100: no line of a
# supported format rejected). Exits 77 without the real data.
#   parsers/coverage.sh build/parsers/omsec-parse ../shared/realdata
set -eu
[ $# -ge 1 ] || { echo "usage: $0 OMSEC-PARSE [REALDATA] [MIN%]" >&2; exit 2; }
P=$1
R=${2:-${OMSEC_REALDATA:-$(dirname "$0")/../../shared/realdata}}
MIN=${3:-}
[ -d "$R/loghub" ] || { echo "no loghub data at $R: skipped" >&2; exit 77; }
command -v python3 >/dev/null || { echo "$0: needs python3 (CSV)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/omsec-cov.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

rc=0
for set in Linux:/var/log/messages OpenSSH:/var/log/secure Apache:/var/log/httpd/error_log; do
	name=${set%%:*} hint=${set#*:}
	log=$R/loghub/$name/${name}_2k.log
	# Framed, so the source gets a fixed path (the web hint) and mtime
	# (2026-01-01: loghub's years are unknown; only the dates matter).
	{ printf '#omsec-ingest\t1\n#source\t%s\t-\t1767225600\n' "$hint"
	  sed 's/^#/##/' "$log"; } |
	    "$P" --tz UTC --year 2005 --rejects "$T/rej" >"$T/ev"
	python3 - "$R/loghub/$name/${name}_2k.log_structured.csv" "$T/ev" \
	    "$T/rej" "$name" "$MIN" <<'EOF' || rc=1
import csv, sys
truth, evf, rejf, name, minpct = sys.argv[1:6]
rows = list(csv.DictReader(open(truth, newline="", encoding="utf-8")))
got = {}
cols = None
for line in open(evf, encoding="utf-8", errors="replace"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "#fields":
        cols = {c: i for i, c in enumerate(f[1:])}
        continue
    if f[0].startswith("#"):
        continue
    ref = f[cols["ref"]]
    got[int(ref.rsplit(":", 1)[1])] = (f[cols["module"]], f[cols["action"]])
generic = {"log", "error_log"}
tpl = {}
for r in rows:
    n = int(r["LineId"])
    t = tpl.setdefault(r["EventId"], [r["EventTemplate"], 0, 0, 0, {}])
    t[1] += 1
    if n in got:
        t[2] += 1
        mod, act = got[n]
        if act not in generic:
            t[3] += 1
        t[4][mod + "/" + act] = t[4].get(mod + "/" + act, 0) + 1
lines = sum(t[1] for t in tpl.values())
parsed = sum(t[2] for t in tpl.values())
spec = sum(t[3] for t in tpl.values())
print("## %s: %d lines, %d templates; parsed %d (%.1f%%), specific event %d (%.1f%%)"
      % (name, lines, len(tpl), parsed, 100.0 * parsed / lines, spec,
         100.0 * spec / lines))
print("| template | lines | parsed | specific | share | omsec event(s) | loghub template |")
print("|---|---|---|---|---|---|---|")
key = lambda k: (-tpl[k][1], int(k[1:]) if k[1:].isdigit() else 0)
for k in sorted(tpl, key=key):
    t, n, p, s, ev = tpl[k][0], tpl[k][1], tpl[k][2], tpl[k][3], tpl[k][4]
    evs = ", ".join("%s %d" % (e, c) for e, c in sorted(ev.items(), key=lambda x: -x[1]))
    t = t.replace("|", "\\|")
    if len(t) > 70:
        t = t[:67] + "..."
    print("| %s | %d | %d | %d | %.0f%% | %s | %s |" % (k, n, p, s, 100.0 * s / n, evs, t))
print()
if minpct and 100.0 * parsed / lines < float(minpct):
    print("%s: parsed %.1f%% < %s%%" % (name, 100.0 * parsed / lines, minpct))
    sys.exit(1)
EOF
done
exit $rc
