#!/bin/sh
# omsec-detect with the asset inventory (issue 6): an alert on a host whose
# asset has high criticality gets the critical-asset level. The SSH brute
# force of tests/data/analysis/ssh.events (severity high, host "h") is
# 重要 (important) by default and 紧急 (urgent) on a high-criticality asset,
# matched by name, or by longest prefix when the host is an address.
# usage: assets-detect.sh OMSEC-DETECT DATA-DIR
set -u
tool=$1
data=$2
. "$(dirname "$0")/../../shcheck.sh"
level() { awk -F'\t' '$2 == "ssh_bruteforce" { print $3 }' "$1"; }

ev=$data/analysis/ssh.events
printf 'id,name,addresses,criticality\nA-1,h,,中\n' >"$tmp/medium.csv"
printf 'id,name,addresses,criticality\nA-1,h,,核心\n' >"$tmp/high.csv"
printf 'name,addresses,criticality\nlan,10.20.0.0/16,低\ndb,10.20.3.4,高\nbad,10.20.3.999,高\n' \
    >"$tmp/net.csv"

"$tool" -o "$tmp/a0" "$ev" && [ "$(level "$tmp/a0")" = important ] && ok ||
    bad "no inventory: $(level "$tmp/a0")"
"$tool" --assets "$tmp/medium.csv" -o "$tmp/a1" "$ev" &&
    [ "$(level "$tmp/a1")" = important ] && ok || bad "medium asset"
"$tool" --assets "$tmp/high.csv" -o "$tmp/a2" "$ev" &&
    [ "$(level "$tmp/a2")" = urgent ] && ok || bad "high asset by name"
# [site] assets, relative to the config's folder.
printf '[site]\nassets = high.csv\n' >"$tmp/site.ini"
"$tool" -c "$tmp/site.ini" -o "$tmp/a3" "$ev" &&
    [ "$(level "$tmp/a3")" = urgent ] && ok || bad "[site] assets"
# By address: the /32 (high) wins over the /16 (low); a bad row is named,
# the others used, exit 1.
awk -F'\t' 'BEGIN { OFS = "\t" } !/^#/ { $2 = "10.20.3.4" } { print }' \
    "$ev" >"$tmp/ip.events"
"$tool" --assets "$tmp/net.csv" -o "$tmp/a4" "$tmp/ip.events" \
    2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && [ "$(level "$tmp/a4")" = urgent ] && ok ||
    bad "by address: exit $rc, $(level "$tmp/a4")"
grep -q 'net.csv:4:2: bad address' "$tmp/err" && ok || bad "bad row not named"
awk -F'\t' 'BEGIN { OFS = "\t" } !/^#/ { $2 = "10.20.9.9" } { print }' \
    "$ev" >"$tmp/lan.events"
"$tool" --assets "$tmp/net.csv" -o "$tmp/a5" "$tmp/lan.events" 2>/dev/null
[ "$(level "$tmp/a5")" = important ] && ok || bad "low asset by /16"
"$tool" --assets "$tmp/nonexistent.csv" -o "$tmp/a6" "$ev" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/a6" ] && ok || bad "missing inventory: exit $rc"

checks_done
