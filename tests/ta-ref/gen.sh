#!/bin/sh
# SPDX-License-Identifier: MIT
#
# gen.sh - regenerate the TA-Lib reference fixtures of this folder.
#
# Not run by `make check` (CI must not depend on TA-Lib).  It needs
# TA-Lib's C sources: by default it takes them from the npm package
# `talib` (which bundles TA-Lib 0.4's C code) installed in a scratch
# directory outside the repository:
#
#	mkdir -p /tmp/talib-ref && cd /tmp/talib-ref &&
#	npm init -y && npm install --ignore-scripts talib
#	tests/ta-ref/gen.sh            # from the repository root
#
# or TALIB_SRC=/path/to/ta-lib/c (the folder with include/ and src/).
# To check bf-features against TA-Lib on any klines (say the real files
# of ../shared/data, which are never committed), build gen-ref the same
# way and run `gen-ref file KLINES REF`, then `compare.sh KLINES REF`.
#
# It compiles TA-Lib's functions and gen-ref.c with cc, then writes
#   klines-btc.csv  ref-btc.csv.gz  the first 1700 of 2500 1m bars from
#                                   30000, tick 0.1 (the flat stretch at
#                                   625, the spike at 1250; gzip keeps the
#                                   17-digit references under 1 MiB)
#   klines-low.csv  ref-low.csv    800 1m bars from 0.5, tick 0.0001
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${TALIB_SRC:=/tmp/talib-ref/node_modules/talib/src/lib}"
[ -f "$TALIB_SRC/include/ta_libc.h" ] || {
	echo "gen.sh: no TA-Lib sources in $TALIB_SRC (see the comment)" >&2
	exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$TALIB_SRC"/src/ta_func/*.c "$TALIB_SRC"/src/ta_common/*.c; do
	cc -O2 -w -c -I"$TALIB_SRC/include" -I"$TALIB_SRC/src/ta_common" \
	    -I"$TALIB_SRC/src/ta_func" "$f" -o "$work/$(basename "$f" .c).o"
done
ar rcs "$work/libta.a" "$work"/*.o
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$TALIB_SRC/include" \
    "$here/gen-ref.c" "$work/libta.a" -lm -o "$work/gen-ref"
"$work/gen-ref" btc 2500 30000 0.1 42 "$work/klines-btc.csv" "$work/ref-btc.csv"
head -n 1701 "$work/klines-btc.csv" >"$here/klines-btc.csv"
head -n 1701 "$work/ref-btc.csv" | gzip -9 -n >"$here/ref-btc.csv.gz"
"$work/gen-ref" low 800 0.5 0.0001 7 "$here/klines-low.csv" "$here/ref-low.csv"
ls -l "$here"/*.csv "$here"/*.csv.gz
