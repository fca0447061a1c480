#!/bin/sh
# SPDX-License-Identifier: MIT
#
# rec.sh - record I/O passthrough: split every field of every row and write
# every field back out (build/bench/rec-pass), on the 1m and 1h kline
# files of ../shared/data when present, and on a generated file of one
# million fully populated 11-column kline rows.  Prints rows/s, the best
# of three runs.
set -u
pass="$BF_BUILD/bench/rec-pass"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best() {	# best FILE [FLAGS]: the best rows/s of three runs
	f=$1
	shift
	for i in 1 2 3; do
		"$pass" -t "$@" <"$f" 2>&1 >/dev/null
	done | awk '{ if ($6 > b) b = $6; r = $2 } END { printf "%d rows, %.2f M rows/s\n", r, b / 1e6 }'
}

awk 'BEGIN {
	srand(7); t = 1700000000000; p = 60000
	print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume"
	for (i = 0; i < 1000000; i++) {
		o = p; p += (rand() - 0.5) * 40; h = (o > p ? o : p) + rand() * 10
		l = (o < p ? o : p) - rand() * 10; v = rand() * 100
		printf "%d,%.1f,%.1f,%.1f,%.1f,%.3f,%d,%.5f,%d,%.3f,%.5f\n", t, o, h, l, p, v, t + 59999, v * p, int(rand() * 2000), v / 2, v * p / 2
		t += 60000
	}
}' >"$tmp/gen.csv"

for f in "$SHARED_DATA"/binance_um_BTCUSDT_1m_klines_*.csv "$SHARED_DATA"/binance_um_BTCUSDT_1h_klines.csv; do
	[ -f "$f" ] || continue
	echo "passthrough $(basename "$f"): $(best "$f")"
done
echo "passthrough generated 11-column klines: $(best "$tmp/gen.csv")"
echo "passthrough + parse every field as a number: $(best "$tmp/gen.csv" -p)"
"$pass" -o json <"$tmp/gen.csv" >"$tmp/gen.json"
echo "passthrough NDJSON: $(best "$tmp/gen.json")"
echo "CSV -> NDJSON: $(best "$tmp/gen.csv" -o json)"
