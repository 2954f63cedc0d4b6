#!/bin/sh
# fgthash.sh [RULES] > parsers/fgthash.h
#
# Writes the FNV-1a 64 hash of each regex of fortigate.rules, in file
# order: the fast path (fgtfast.c) stands in for exactly these regexes.
# Run it after changing a FortiGate regex, together with fgtfast.c;
# check_parsers' test_fgt_fast fails while the two disagree.
set -eu
f=${1:-$(dirname "$0")/rules/fortigate.rules}
python3 - "$f" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
print("/* Generated from parsers/rules/fortigate.rules (FNV-1a 64 of each regex, in\n"
      " * file order); regenerate with parsers/fgthash.sh when the rules change. */")
for m in re.finditer(r"^[ \t]*regex[ \t]+(.*?)[ \t\r]*$", text, re.M):
    h = 14695981039346656037
    for b in m.group(1).encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    print("\tUINT64_C(0x%016x)," % h)
PY
