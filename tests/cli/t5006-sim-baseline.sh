#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-baseline: the three strategies' targets on small series worked out
# by hand, passthrough of other columns, and its errors.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'hold: the leverage on every row, columns kept' '
	printf "open_time,close,x\n0,100,a\n1,101,b\n" >in.csv &&
	bf-baseline hold -l 2 <in.csv >out &&
	printf "open_time,close,x,target\n0,100,a,2\n1,101,b,2\n" >expect &&
	test_cmp expect out
'

test_expect_success 'macross: SMA(2) against SMA(3), no look-ahead' '
	# closes 10 11 12 9 8 13: SMA2 10.5 11.5 10.5 8.5 10.5,
	# SMA3 from row 3: 11, 10.67, 9.67, 10 -> +, -, -, +
	printf "close\n10\n11\n12\n9\n8\n13\n" >in.csv &&
	bf-baseline macross --fast 2 --slow 3 <in.csv | cut -d, -f2 >out &&
	printf "target\n0\n0\n1\n-1\n-1\n1\n" >expect &&
	test_cmp expect out &&
	bf-baseline macross --fast 2 --slow 3 --long-only <in.csv |
	    cut -d, -f2 | tail -1 >out &&
	echo 1 >expect && test_cmp expect out
'

test_expect_success 'macross: a row added later does not change earlier targets' '
	printf "close\n10\n11\n12\n9\n" >a.csv &&
	{ cat a.csv; echo 30; } >b.csv &&
	bf-baseline macross --fast 2 --slow 3 <a.csv >a.out &&
	bf-baseline macross --fast 2 --slow 3 <b.csv | head -5 >b.out &&
	test_cmp a.out b.out
'

test_expect_success 'tsmom: momentum sign times the volatility target' '
	# closes 100 110 100 110 115.5, lookback 2, vol window 2, ppy 1:
	# the last row has momentum 115.5/100 - 1 > 0 and log returns
	# ln 1.1, ln 1.05 whose sample sd is their difference / sqrt 2.
	printf "close\n100\n110\n100\n110\n115.5\n" >in.csv &&
	bf-baseline tsmom --lookback 2 --vol-window 2 --periods-per-year 1 \
	    --vol-target 0.05 --max-leverage 3 <in.csv | cut -d, -f2 >out &&
	sed -n 2,5p out | tr "\n" " " >first &&
	printf "0 0 0 0 " >expect &&
	test_cmp expect first &&
	want=$(awk "BEGIN { printf \"%.12g\", 0.05 * sqrt(2) / (log(1.1) - log(1.05)) }") &&
	test_approx "$(tail -1 out)" "$want" 1e-9 &&
	bf-baseline tsmom --lookback 2 --vol-window 2 --periods-per-year 1 \
	    --vol-target 5 --max-leverage 3 <in.csv | tail -1 | cut -d, -f2 >out &&
	echo 3 >expect && test_cmp expect out
'

test_expect_success 'errors: usage 2, bad data 3 with the line' '
	test_must_fail code=2 bf-baseline <in.csv &&
	test_must_fail code=2 bf-baseline bogus <in.csv &&
	test_must_fail code=2 bf-baseline macross --fast 0 <in.csv &&
	printf "open\n1\n" >nc.csv &&
	test_must_fail code=3 bf-baseline hold <nc.csv 2>err &&
	test_grep "missing required column .close." err &&
	printf "close\n1\n-5\n" >neg.csv &&
	test_must_fail code=3 bf-baseline hold <neg.csv 2>err &&
	test_grep "stdin:3: column .close.: invalid price" err
'

test_done
