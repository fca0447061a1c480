#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-features on bad input and bad usage: exit codes and messages.

. "$(dirname "$0")/test-lib.sh"

H=open_time,open,high,low,close,volume

test_expect_success 'missing required columns: exit 3 naming them' '
	printf "open_time,open,high\n1,2,3\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "missing required columns .low., .close., .volume." err
'

test_expect_success 'a non-numeric cell: exit 3 with its line' '
	printf "$H\n60000,1,2,1,1,5\n120000,1,2,x,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features --only rsi <in.csv 2>err &&
	test_grep "stdin:3: column .low.: invalid number .x." err
'

test_expect_success 'an empty required cell: exit 3' '
	printf "$H\n60000,1,2,1,,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "stdin:2: column .close.: missing value" err
'

test_expect_success 'unsorted or duplicate times: exit 3' '
	printf "$H\n120000,1,2,1,1,5\n60000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "stdin:3: open_time 60000 is not after" err &&
	printf "$H\n60000,1,2,1,1,5\n60000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "unsorted or duplicate" err
'

test_expect_success 'a gap warns, or fails with --strict' '
	printf "$H\n60000,1,2,1,1,5\n120000,1,2,1,1,5\n300000,1,2,1,1,5\n" >in.csv &&
	bf-features --only rsi <in.csv >out.csv 2>err &&
	test $(wc -l <out.csv) -eq 4 &&
	test_grep "warning: stdin:4: gap in open_time: 120000 to 300000 (1m)" err &&
	test_must_fail code=3 bf-features --strict <in.csv 2>err &&
	test_grep "stdin:4: gap in open_time" err
'

test_expect_success 'off the grid, and an interval nobody has: exit 3' '
	printf "$H\n60000,1,2,1,1,5\n120000,1,2,1,1,5\n150000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "off the 1m grid" err &&
	printf "$H\n0,1,2,1,1,5\n7000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "cannot infer the interval" err &&
	bf-features -i 1m --only rsi <"$SRC_DIR/tests/ta-ref/klines-low.csv" >/dev/null
'

test_expect_success 'bad prices: exit 3' '
	printf "$H\n60000,1,2,0,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "price must be positive" err &&
	printf "$H\n60000,1,1,2,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features <in.csv 2>err &&
	test_grep "high below low" err
'

test_expect_success 'usage errors: exit 2' '
	test_must_fail code=2 bf-features --only nope </dev/null 2>err &&
	test_grep "unknown feature .nope." err &&
	test_must_fail code=2 bf-features --only rsi:1 </dev/null 2>err &&
	test_grep "bad parameter .1." err &&
	test_must_fail code=2 bf-features --only funding </dev/null 2>err &&
	test_grep "needs --funding" err &&
	test_must_fail code=2 bf-features --resample 7m </dev/null &&
	test_must_fail code=2 bf-features -i 2m </dev/null &&
	test_must_fail code=2 bf-features --bogus </dev/null
'

test_expect_success 'taker_buy_ratio asked for without its column: exit 3' '
	printf "$H\n60000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=3 bf-features --only taker_buy_ratio <in.csv 2>err &&
	test_grep "taker_buy_volume" err
'

test_expect_success 'bad side files' '
	printf "$H\n60000,1,2,1,1,5\n" >in.csv &&
	test_must_fail code=1 bf-features --funding nosuch.csv <in.csv 2>err &&
	printf "time,rate\n1,2\n" >f.csv &&
	test_must_fail code=3 bf-features --funding f.csv <in.csv 2>err &&
	test_grep "missing required column .funding_time." err &&
	printf "funding_time,funding_rate\n100,0.1\n50,0.2\n" >f.csv &&
	test_must_fail code=3 bf-features --funding f.csv -i 1m <in.csv 2>err &&
	test_grep "f.csv:3: time 50 is not after" err
'

test_done
