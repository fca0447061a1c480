#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-features --resample: coarse candles built as the exchange aligns
# them, emitted only when complete, and features on them identical to
# features on pre-aggregated klines.

. "$(dirname "$0")/test-lib.sh"

K="$SRC_DIR/tests/ta-ref/klines-btc.csv"

# agg N: aggregate 1m klines into N-minute klines with awk (complete
# candles only, as bf-features keeps them).
agg() {
	awk -F, -v OFS=, -v n="$1" '
	NR == 1 { print "open_time,open,high,low,close,volume"; next }
	{
		b = $1 - $1 % (n * 60000)
		if (b != cur) { flush(); cur = b; o = $2; h = $3; l = $4; v = 0; k = 0 }
		if ($3 + 0 > h + 0) h = $3
		if ($4 + 0 < l + 0) l = $4
		c = $5; v += $6; k++
	}
	function flush() {
		if (k == n)
			printf "%.0f,%s,%s,%s,%s,%.3f\n", cur, o, h, l, c, v
	}
	END { flush() }' "$2"
}

test_expect_success '1m to 5m: alignment, OHLC text, volume sums' '
	bf-features --resample 5m --only sma:3 <"$K" >out.csv &&
	head -1 out.csv >hdr &&
	echo "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume,sma_3" >expect &&
	test_cmp expect hdr &&
	agg 5 "$K" >ref.csv &&
	cut -d, -f1-5 out.csv >mine &&
	cut -d, -f1-5 ref.csv >theirs &&
	test_cmp theirs mine &&
	awk -F, "NR>1 && \$1 % 300000 != 0 {bad=1} NR>1 && \$7 != \$1 + 299999 {bad=1} END {exit bad}" out.csv
'

test_expect_success 'features on resampled = features on aggregated klines' '
	bf-features --resample 15m --only rsi,atr,bb,mfi <"$K" |
		cut -d, -f1-6,12- >a.csv &&
	agg 15 "$K" | bf-features -i 15m --only rsi,atr,bb,mfi >b.csv &&
	awk -F, -v OFS=, "{\$6 = sprintf(\"%.6f\", \$6); print}" a.csv >a2 &&
	awk -F, -v OFS=, "{\$6 = sprintf(\"%.6f\", \$6); print}" b.csv >b2 &&
	test_cmp b2 a2
'

test_expect_success 'a candle is written when its last minute arrives' '
	head -13 "$K" | bf-features --resample 5m --only sma:3 >out.csv &&
	test $(wc -l <out.csv) -eq 3 &&
	head -12 "$K" | bf-features --resample 5m --only sma:3 >out.csv &&
	test $(wc -l <out.csv) -eq 2
'

test_expect_success 'a partial leading candle is dropped' '
	{ head -1 "$K"; sed -n 3,23p "$K"; } | bf-features --resample 5m --only sma:3 >out.csv &&
	test $(wc -l <out.csv) -eq 5 &&
	sed -n 2p out.csv | cut -d, -f1 >first &&
	sed -n 4p "$K" | cut -d, -f1 >expect &&
	test_cmp expect first
'

test_expect_success 'coarser input than --resample: usage error' '
	agg 5 "$K" >5m.csv &&
	test_must_fail code=2 bf-features --resample 1m <5m.csv 2>err &&
	test_grep "finer than the input" err
'

test_expect_success SHARED_DATA 'real 1m klines resampled equal the exchange 1h klines' '
	bf-features --resample 1h --only rsi \
	    <"$SHARED_DATA/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv" |
		cut -d, -f1-6 >rs.csv &&
	awk -F, "NR == FNR { a[\$1] = \$2 \",\" \$3 \",\" \$4 \",\" \$5; v[\$1] = \$6; next }
	    FNR > 1 && (\$1 in a) {
		n++
		if (a[\$1] != \$2 \",\" \$3 \",\" \$4 \",\" \$5) bad++
		d = v[\$1] - \$6; if (d < 0) d = -d
		if (d > 1e-9 * v[\$1]) bad++
	    }
	    END { print n, bad + 0; exit !(n > 1000 && bad == 0) }" \
	    rs.csv "$SHARED_DATA/binance_um_BTCUSDT_1h_klines.csv"
'

test_done
