#!/bin/sh
# SPDX-License-Identifier: MIT
#
# features.sh - bf-features throughput on about a million 1m klines:
# the real 1m file of SHARED_DATA repeated with shifted times when it is
# present, else a generated random walk of the same shape.  Prints
#   end-to-end   bf-features, default set, CSV in -> CSV out, to
#                /dev/null and to a file
#   core         the feature updates alone on klines in memory
#   core-talib   the same, for the TA-Lib-equivalent columns only
#   talib        TA-Lib's C functions on arrays for those columns, and
#                the ratio, when TA-Lib's sources are at TALIB_SRC
#                (tests/ta-ref/gen.sh says how to get them)
set -eu
: "${BF_BUILD:=$(dirname "$0")/../build}"
: "${TALIB_SRC:=/tmp/talib-ref/node_modules/talib/src/lib}"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src="${SHARED_DATA:-}/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv"
if [ -f "$src" ]; then
	what="real 1m BTCUSDT klines, repeated"
	awk -F, -v OFS=, -v reps=14 '
	NR == 1 { print; next }
	{ row[++n] = $0; if (n == 1) t0 = $1; last = $1 }
	END {
		span = last - t0 + 60000
		for (r = 0; r < reps; r++)
			for (i = 1; i <= n; i++) {
				k = index(row[i], ",")
				printf "%.0f%s\n", substr(row[i], 1, k - 1) + r * span,
				    substr(row[i], k)
			}
	}' "$src" >"$tmp/in.csv"
else
	what="generated random walk (no SHARED_DATA)"
	awk 'BEGIN {
		srand(1); p = 60000; t = 1735689600000
		print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume"
		for (i = 0; i < 1000000; i++) {
			c = p * (1 + (rand() - 0.5) * 0.002)
			h = (p > c ? p : c) * (1 + rand() * 0.0005)
			l = (p < c ? p : c) * (1 - rand() * 0.0005)
			printf "%d,%.1f,%.1f,%.1f,%.1f,%.3f,,,,,\n", t, p, h, l, c, rand() * 200
			p = c; t += 60000
		}
	}' >"$tmp/in.csv"
fi
rows=$(($(wc -l <"$tmp/in.csv") - 1))
echo "input: $rows rows, $what"
# Wall time, and the CPU time of the process (the shell's `times`: its
# children's user and system time), which a busy machine inflates less;
# best of 3 into 'out' (/dev/null: the tool's own work; a file: plus
# the kernel's copy of about 860 bytes a row into the page cache).
end_to_end() {
	for i in 1 2 3; do
		s=$(date +%s.%N)
		cpu=$( ("$BF_BUILD/bin/bf-features" <"$tmp/in.csv" >"$1"; times) |
		    awk 'NR == 2 { split($1, u, /[ms]/); split($2, y, /[ms]/);
		        print u[1] * 60 + u[2] + y[1] * 60 + y[2] }')
		e=$(date +%s.%N)
		echo "$s $e $cpu"
	done >"$tmp/times"
	awk -v rows="$rows" -v cols="$cols" -v out="$2" '
		{ t = $2 - $1; if (NR == 1 || t < best) best = t
		  if (NR == 1 || $3 < cpu) cpu = $3 }
		END { printf "end-to-end %s: %d feature columns, best of 3: %.3f s wall, %.0f rows/s; %.3f s CPU, %.0f rows/s\n",
		    out, cols, best, rows / best, cpu, rows / cpu }' "$tmp/times"
}
"$BF_BUILD/bin/bf-features" <"$tmp/in.csv" | head -1 >"$tmp/head.csv"
cols=$(($(tr , '\n' <"$tmp/head.csv" | wc -l) - 11))
end_to_end /dev/null "to /dev/null"
end_to_end "$tmp/out.csv" "to a file"
rm -f "$tmp/out.csv"
echo "core: $("$BF_BUILD/bench/features-core" <"$tmp/in.csv")"
sel="ret:1,ret:5,ret:20,ret:60,roc:5,roc:20,roc:60,mom:10,rsi,macd,bb,atr,natr,adx,ema:10,ema:20,ema:50,ema:200,sma:10,sma:20,sma:50,sma:200,stoch,cci,willr,mfi,obv,ad,vroc"
core=$("$BF_BUILD/bench/features-core" "$sel" <"$tmp/in.csv")
echo "core-talib: $core"
if [ -f "$TALIB_SRC/include/ta_libc.h" ]; then
	for f in "$TALIB_SRC"/src/ta_func/*.c "$TALIB_SRC"/src/ta_common/*.c; do
		cc -O2 -w -c -I"$TALIB_SRC/include" -I"$TALIB_SRC/src/ta_common" \
		    -I"$TALIB_SRC/src/ta_func" "$f" -o "$tmp/$(basename "$f" .c).o"
	done
	ar rcs "$tmp/libta.a" "$tmp"/ta_*.o
	cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$TALIB_SRC/include" \
	    "$here/../tests/ta-ref/bench-talib.c" "$tmp/libta.a" -lm \
	    -o "$tmp/bench-talib"
	ta=$("$tmp/bench-talib" <"$tmp/in.csv")
	echo "talib: $ta"
	echo "$core $ta" | awk '{ printf "ratio core/talib: %.2f (above 1: bf is faster)\n", $6 / $14 }'
else
	echo "talib: skipped (no TA-Lib sources at $TALIB_SRC)"
fi
