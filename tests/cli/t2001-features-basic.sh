#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-features: the default set, --only, --list, --drop-warmup, formats,
# and the TA-Lib reference through the command line.

. "$(dirname "$0")/test-lib.sh"

K="$SRC_DIR/tests/ta-ref/klines-low.csv"
R="$SRC_DIR/tests/ta-ref/ref-low.csv"

# col FILE NAME: the values of column NAME of CSV FILE, one per line.
col() {
	awk -F, -v n="$2" 'NR==1{for(i=1;i<=NF;i++)if($i==n)c=i;next}{print $c}' "$1"
}

test_expect_success 'the default set appends 50+ columns' '
	bf-features <"$K" >out.csv &&
	head -1 "$K" >in.hdr &&
	head -1 out.csv | cut -d, -f1-11 >out.hdr &&
	test_cmp in.hdr out.hdr &&
	n=$(head -1 out.csv | tr , "\n" | wc -l) &&
	test $((n - 11)) -ge 50 &&
	test $(wc -l <out.csv) -eq $(wc -l <"$K") &&
	cut -d, -f1-11 out.csv >pass.csv &&
	test_cmp "$K" pass.csv
'

test_expect_success '--only picks features and parameters' '
	bf-features --only rsi:7,ema:50,bb:10:1.5 <"$K" >out.csv &&
	echo "rsi_7,ema_50,bb_upper_10_1.5,bb_middle_10_1.5,bb_lower_10_1.5,bb_width_10_1.5,bb_pctb_10_1.5" >expect &&
	head -1 out.csv | cut -d, -f12- >actual &&
	test_cmp expect actual &&
	col out.csv rsi_7 >rsi &&
	test -z "$(sed -n 7p rsi)" &&
	test -n "$(sed -n 8p rsi)"
'

test_expect_success 'RSI and MACD equal TA-Lib through the CLI' '
	bf-features --digits 17 --only rsi,macd <"$K" >out.csv &&
	for c in rsi_14 macd macd_signal; do
		col out.csv $c >mine &&
		col "$R" $c >ref &&
		paste -d" " mine ref | awk -v c=$c "{
			if ((\$1 == \"\") != (\$2 == \"\")) { print c, NR, \"warm-up differs\"; bad = 1 }
			else if (\$1 != \"\") {
				d = \$1 - \$2; if (d < 0) d = -d;
				m = \$2 < 0 ? -\$2 : \$2; if (m < 1e-3) m = 1e-3;
				if (d > 1e-9 * m) { print c, NR, \$1, \$2; bad = 1 }
			}
		} END { exit bad }" || return 1
	done
'

test_expect_success '--list documents every feature' '
	bf-features --list >list.csv &&
	head -1 list.csv >hdr &&
	echo "column,feature,params,defaults,warmup,definition,reference" >expect &&
	test_cmp expect hdr &&
	test $(wc -l <list.csv) -ge 60 &&
	grep -q "^rsi_14,rsi,n,14,14," list.csv &&
	grep -q "^macd,macd,fast:slow:signal,12:26:9,33," list.csv &&
	grep -q "TA-Lib ADX" list.csv &&
	grep -q "^funding_rate,funding,n,21,data," list.csv &&
	bf-features --list --only funding:3,oi >side.csv &&
	grep -q "^funding_mean_3,funding,n,3,data," side.csv &&
	bf-features --list -o json --only atr:7 >list.json &&
	test "$(jq -r .warmup list.json)" = 7
'

test_expect_success '--drop-warmup starts at the last warm-up row' '
	bf-features --only sma:50,rsi --drop-warmup <"$K" >out.csv &&
	test $(wc -l <out.csv) -eq $(($(wc -l <"$K") - 49)) &&
	sed -n 2p out.csv | cut -d, -f1 >first &&
	sed -n 51p "$K" | cut -d, -f1 >expect &&
	test_cmp expect first
'

test_expect_success 'JSON in, JSON out; CSV out of JSON' '
	head -40 "$K" | bf-features --only ema:10 -o json >out.json &&
	test $(wc -l <out.json) -eq 39 &&
	test "$(sed -n 1p out.json | jq .ema_10)" = null &&
	sed -n 10p out.json | jq -e ".ema_10 > 0" &&
	bf-features --only sma:3 -o csv <out.json >back.csv &&
	head -1 back.csv | grep -q ",ema_10,sma_3$"
'

test_expect_success 'no taker column: taker_buy_ratio is left out' '
	cut -d, -f1-6 "$K" | bf-features >out.csv &&
	! head -1 out.csv | grep -q taker_buy_ratio &&
	bf-features <"$K" >out2.csv &&
	col out2.csv taker_buy_ratio | sed -n 2p | grep -q "^0\."
'

test_expect_success 'header only, and empty input' '
	head -1 "$K" | bf-features --only rsi >out.csv &&
	echo "$(head -1 "$K"),rsi_14" >expect &&
	test_cmp expect out.csv &&
	: | bf-features >empty &&
	test ! -s empty
'

test_done
