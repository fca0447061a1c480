#!/bin/sh
# SPDX-License-Identifier: MIT
#
# num.sh - lib/num against the C library: numbers per second of
# bf_num_parse vs strtod and bf_num_format vs snprintf("%.12g") on 10M
# generated price-like values, on computed values of the same size
# written with 17 digits, on random doubles of every exponent (the
# fallback paths), and on the numeric fields of the real 1m klines
# (when ../shared/data is present); then the record passthrough
# (rec-pass -t) and passthrough parsing every field (rec-pass -p) on
# the klines, or on generated rows of the same shape.  CPU-bound: the
# figures are per core.
set -e
: "${BF_BUILD:=$(dirname "$0")/../build}"
: "${SHARED_DATA:=$(dirname "$0")/../../shared/data}"
num="$BF_BUILD/bench/num"
pass="$BF_BUILD/bench/rec-pass"
klines="$SHARED_DATA/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$num" -n 10000000
"$num" -n 10000000 -k full
"$num" -n 1000000 -k bits
if [ -f "$klines" ]; then
	"$num" -n 10000000 "$klines"
	src="$klines"
else
	# 73,139 rows shaped like the klines: prices near 100,000 with one
	# decimal, volumes with three, empty trailing columns.
	awk 'BEGIN {
		srand(1);
		print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume";
		p = 95000;
		for (i = 0; i < 73139; i++) {
			p += int(rand() * 200 - 100) / 10;
			printf "%d,%.1f,%.1f,%.1f,%.1f,%.3f,,,,,\n", 1746372780000 + i * 60000, p, p + 5.5, p - 4.2, p + 0.3, rand() * 100;
		}
	}' >"$tmp/klines.csv"
	src="$tmp/klines.csv"
	"$num" -n 10000000 "$src"
fi
# The best of five runs of each (the file takes milliseconds).
for flag in -t -p; do
	best=0
	for i in 1 2 3 4 5; do
		r=$("$pass" -t $flag <"$src" 2>&1 >/dev/null |
		    awk '{ print $6 }')
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "rec-pass $flag $(basename "$src"): $best rows/s (best of 5)"
done
