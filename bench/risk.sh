#!/bin/sh
# SPDX-License-Identifier: MIT
#
# risk.sh - bf-risk filter throughput: klines with a signal column and an
# ATR column (the shape bf-infer | bf-features hands it), sized with an
# ATR stop and take-profit, every risk column computed.  Uses the 1m
# klines of ../shared/data when present (a signal and an ATR are derived
# with awk), and a generated million-row file.  Prints rows/s, the best
# of three runs by CPU time and by wall time; output to /dev/null.
set -u
risk="$BF_BUILD/bin/bf-risk"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best FILE ROWS [FLAGS]: the best of three runs, as rows per second of
# CPU time (user + system: what one core does, whatever else the machine
# runs) and of wall-clock time.
best() {
	f=$1
	n=$2
	shift 2
	for _ in 1 2 3; do
		/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$risk" "$@" <"$f" \
		    >/dev/null || { echo "bf-risk failed" >&2; exit 1; }
		cat "$tmp/time"
	done | awk -v n="$n" '{
		c = $2 + $3; w = $1
		if (c > 0 && n / c > bc) bc = n / c
		if (w > 0 && n / w > bw) bw = n / w
	} END { printf "%d rows, %.2f M rows/s CPU, %.2f M rows/s wall\n", n, bc / 1e6, bw / 1e6 }'
}

# klines -> klines + signal, atr_14, vol_1m (a crude 14-bar ATR, a sign
# signal, and the ATR as a fraction of price for a per-minute volatility)
derive='BEGIN { FS = OFS = "," }
NR == 1 { print $0, "signal", "atr_14", "vol_1m"; next }
{
	tr = $3 - $4; atr = (NR == 2) ? tr : atr + (tr - atr) / 14
	s = ($5 > $2) ? 1 : ($5 < $2) ? -1 : 0
	print $0, s, atr, atr / $5
}'

awk 'BEGIN {
	srand(7); t = 1700000000000; p = 60000
	print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume"
	for (i = 0; i < 1000000; i++) {
		o = p; p += (rand() - 0.5) * 40; h = (o > p ? o : p) + rand() * 10
		l = (o < p ? o : p) - rand() * 10; v = rand() * 100
		printf "%d,%.1f,%.1f,%.1f,%.1f,%.3f,%d,%.5f,%d,%.3f,%.5f\n", t, o, h, l, p, v, t + 59999, v * p, int(rand() * 2000), v / 2, v * p / 2
		t += 60000
	}
}' | awk "$derive" >"$tmp/gen.csv"
rows=1000000

for f in "$SHARED_DATA"/binance_um_BTCUSDT_1m_klines_*.csv; do
	[ -f "$f" ] || continue
	awk "$derive" "$f" >"$tmp/real.csv"
	n=$(($(wc -l <"$tmp/real.csv") - 1))
	echo "filter $(basename "$f") (fixed, ATR stop/tp, 10x isolated): $(best "$tmp/real.csv" "$n" --stop-atr 2 --tp-atr 4 --leverage 10 --margin isolated)"
done
echo "filter generated klines (fixed, ATR stop/tp, 10x isolated): $(best "$tmp/gen.csv" $rows --stop-atr 2 --tp-atr 4 --leverage 10 --margin isolated)"
echo "filter generated klines (risk 1 %, ATR stop, cross): $(best "$tmp/gen.csv" $rows --sizing risk --stop-atr 2 --margin cross)"
echo "filter generated klines (vol target, liq_prob, ATR distance): $(best "$tmp/gen.csv" $rows --sizing vol --vol-col vol_1m --leverage 20)"
