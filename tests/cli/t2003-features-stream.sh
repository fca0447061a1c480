#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-features has one code path: a series fed whole and fed row by row
# through a pipe give identical bytes, truncating the future never
# changes a past row, and side files join as of each row's close.

. "$(dirname "$0")/test-lib.sh"

K="$SRC_DIR/tests/ta-ref/klines-btc.csv"

test_expect_success 'whole and row by row through a pipe: same bytes' '
	head -601 "$K" >in.csv &&
	bf-features <in.csv >whole.csv &&
	{
		head -1 in.csv &&
		tail -n +2 in.csv | while IFS= read -r line; do
			printf "%s\n" "$line"
		done
	} | bf-features -u >rows.csv &&
	test_cmp whole.csv rows.csv
'

test_expect_success 'truncating the input never changes earlier rows' '
	bf-features <"$K" >full.csv &&
	for n in 1 2 35 201 777 1500; do
		head -n $((n + 1)) "$K" | bf-features >part.csv &&
		head -n $((n + 1)) full.csv >expect.csv &&
		test_cmp expect.csv part.csv || return 1
	done
'

test_expect_success 'funding joins as of the close time, never later' '
	printf "funding_time,symbol,funding_rate,mark_price\n" >f.csv &&
	awk -F, "NR>1 && NR % 100 == 2 {printf \"%.0f,BTCUSDT,%s,\\n\", \$1 + 59999, NR / 1e6}" "$K" >>f.csv &&
	head -400 "$K" | bf-features --only funding:3 --funding f.csv >out.csv &&
	head -1 out.csv | grep -q "funding_rate,funding_mean_3,funding_z_3,funding_next_ms$" &&
	awk -F, "NR>1 {print \$12}" out.csv >rate &&
	test "$(sed -n 1p rate)" = 2e-06 &&
	test "$(sed -n 100p rate)" = 2e-06 &&
	test "$(sed -n 101p rate)" = 0.000102 &&
	awk -F, "NR==2 {print \$15}" out.csv >next &&
	test "$(cat next)" = 28800000 &&
	awk -F, "NR==102 {print \$15}" out.csv >next &&
	test "$(cat next)" = 6000000
'

test_expect_success 'open interest change and z-score' '
	printf "time,symbol,open_interest,open_interest_value\n" >oi.csv &&
	awk -F, "NR>1 && NR % 50 == 2 {print \$1 \",BTCUSDT,,\" 1000+NR}" "$K" >>oi.csv &&
	head -300 "$K" | bf-features --only oi:3 --oi oi.csv >out.csv &&
	awk -F, "NR==53 {print \$12, \$13}" out.csv >got &&
	echo "1052 0.0499001996008" >expect &&
	test_cmp expect got &&
	awk -F, "NR==153 {print (\$14 > 0.99 && \$14 < 1.01)}" out.csv >z &&
	test "$(cat z)" = 1
'

test_done
