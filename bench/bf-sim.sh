#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-sim.sh - backtest throughput, end to end (process start to exit), on
# one million 1m bars with a target column: the 1m klines of
# ../shared/data repeated with shifted times (so ~2 years of real price
# paths, joined with the real funding series) when present, else a
# generated random walk of the same shape.  The target flips between
# -1, 0 and 1 every 500 bars.  Prints bars/s (wall and CPU time), the
# best of three runs, with the equity stream written to /dev/null and
# with --no-equity.
set -u
sim="$BF_BUILD/bin/bf-sim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=1000000

src="$SHARED_DATA/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv"
fund="$SHARED_DATA/binance_um_BTCUSDT_funding.csv"
if [ -f "$src" ]; then
	what="1m klines of ../shared/data, repeated"
	awk -F, -v OFS=, -v n=$n 'NR == 1 { print $0, "target"; next }
		{ row[++k] = $0; t0 = (k == 1 ? $1 : t0) }
		END {
			for (i = 0; i < n; i++) {
				split(row[i % k + 1], f, ",")
				f[1] = sprintf("%.0f", t0 + i * 60000)
				s = f[1]
				for (j = 2; j <= 11; j++) s = s "," f[j]
				print s, (int(i / 500) % 3) - 1
			}
		}' "$src" >"$tmp/bars.csv"
else
	what="generated 1m random walk"
	fund=
	awk -v n=$n 'BEGIN {
		srand(7); t = 1746372780000; p = 95000
		print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume,target"
		for (i = 0; i < n; i++) {
			o = p; p += (rand() - 0.5) * 40; h = (o > p ? o : p) + rand() * 10
			l = (o < p ? o : p) - rand() * 10; v = rand() * 100
			printf "%.0f,%.1f,%.1f,%.1f,%.1f,%.3f,,,,,,%d\n", t, o, h, l, p, v, (int(i / 500) % 3) - 1
			t += 60000
		}
	}' >"$tmp/bars.csv"
fi

# best ARGS...: the best of three runs, as bars per second of wall time
# and of CPU time (user + system: one core's work, whatever else the
# machine is doing; wall time only without /usr/bin/time).
best() {
	for _ in 1 2 3; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %U %S' -o "$tmp/time" \
			    "$sim" "$@" <"$tmp/bars.csv" >/dev/null || exit 1
		else
			t0=$(date +%s.%N)
			"$sim" "$@" <"$tmp/bars.csv" >/dev/null || exit 1
			t1=$(date +%s.%N)
			awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a, "", "" }' >"$tmp/time"
		fi
		cat "$tmp/time"
	done | awk -v n=$n '{
		w = n / ($1 > 0 ? $1 : 1e-9); if (w > bw) bw = w
		if ($2 != "") { c = n / ($2 + $3 > 0 ? $2 + $3 : 1e-9); if (c > bc) bc = c }
	} END {
		printf "%.2f M bars/s wall", bw / 1e6
		if (bc > 0) printf ", %.2f M bars/s CPU", bc / 1e6
		printf "\n"
	}'
}

echo "input: $what, $n bars"
echo "equity stream to /dev/null: $(best --summary "$tmp/s.json")"
echo "--no-equity (summary only): $(best --no-equity --summary "$tmp/s.json")"
echo "equity + trades + summary: $(best --trades "$tmp/t.csv" --summary "$tmp/s.json")"
if [ -n "$fund" ] && [ -f "$fund" ]; then
	echo "equity stream, --funding (real series): $(best --funding "$fund" --summary "$tmp/s.json")"
fi
