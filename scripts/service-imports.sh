#!/bin/sh
# Prints which service imports which (src/services, test modules and comments left out) and
# fails if any imports run in a circle (tsort finds the loop). Run from the repository root.
set -e
cd src/services
for f in *.rs; do
    a=${f%.rs}
    for m in $(ls *.rs | sed 's/\.rs$//'); do
        [ "$m" != "$a" ] || continue
        if sed '/^#\[cfg(test)\]/,$d' "$f" | grep -v '^\s*//' |
            grep -Pzq "(super|services)::(\{[^;]*\b$m\b|$m\b)"; then
            echo "$a $m"
        fi
    done
done > /tmp/service-imports.$$
awk '{a[$1]=a[$1]" "$2} END {for (k in a) print k" ->"a[k]}' /tmp/service-imports.$$ | sort
if tsort /tmp/service-imports.$$ > /dev/null; then
    echo "no cycle"
else
    rm -f /tmp/service-imports.$$
    exit 1
fi
rm -f /tmp/service-imports.$$
