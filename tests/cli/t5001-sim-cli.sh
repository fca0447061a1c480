#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-sim's command line and its refusal of bad input: usage errors exit
# 2, bad data exit 3 with the line number, absurd targets are clipped
# with a warning.

. "$(dirname "$0")/test-lib.sh"

bars() {
	printf 'open_time,open,high,low,close,target\n'
	printf '0,100,101,99,100,1\n3600000,100,101,99,100,1\n'
}

test_expect_success 'help lists every long option' '
	bf-sim --help >out &&
	for o in equity fee-maker fee-taker fee-liquidation slippage-bps \
	    slippage-model slippage-k margin leverage order rebalance symbol \
	    brackets funding step tick min-notional periods-per-year trades \
	    summary no-equity liq-price; do
		grep -q -- "--$o" out || { echo "missing --$o"; return 1; }
	done
'

test_expect_success 'bad option values are usage errors' '
	bars >in.csv &&
	test_must_fail code=2 bf-sim --margin wide <in.csv 2>err &&
	test_grep "margin" err &&
	test_must_fail code=2 bf-sim --leverage 0.5 <in.csv 2>err &&
	test_must_fail code=2 bf-sim --leverage 200 <in.csv 2>err &&
	test_grep "leverage" err &&
	test_must_fail code=2 bf-sim --equity -5 <in.csv &&
	test_must_fail code=2 bf-sim --order stop <in.csv &&
	test_must_fail code=2 bf-sim --brackets nonexistent.csv <in.csv
'

test_expect_success 'empty input gives empty output' '
	: >empty &&
	bf-sim <empty >out &&
	test ! -s out
'

test_expect_success 'header only gives the equity header' '
	printf "open_time,open,high,low,close,target\n" >in.csv &&
	bf-sim <in.csv >out &&
	echo "time,close,position,entry_price,wallet_balance,unrealized_pnl,equity,fees,funding,drawdown" >expect &&
	test_cmp expect out
'

test_expect_success 'a missing column is a data error' '
	printf "open_time,open,high,low,close\n0,1,1,1,1\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:1: missing required column .target." err
'

test_expect_success 'time must increase' '
	printf "open_time,open,high,low,close,target\n0,1,1,1,1,0\n60000,1,1,1,1,0\n60000,1,1,1,1,0\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:4: time 60000 is not after" err
'

test_expect_success 'negative, missing and inconsistent prices are refused' '
	printf "open_time,open,high,low,close,target\n0,1,1,1,1,0\n60000,-1,1,1,1,0\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:3: column .open.: price must be positive" err &&
	printf "open_time,open,high,low,close,target\n0,1,1,1,,0\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:2: column .close.: missing value" err &&
	printf "open_time,open,high,low,close,target\n0,5,4,3,4,0\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:2: open and close must lie within" err
'

test_expect_success 'a target of nan or text is refused' '
	printf "open_time,open,high,low,close,target\n0,1,1,1,1,nan\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err &&
	test_grep "stdin:2: column .target.: invalid number" err &&
	printf "open_time,open,high,low,close,target\n0,1,1,1,1,long\n" >in.csv &&
	test_must_fail code=3 bf-sim <in.csv 2>err
'

test_expect_success 'an absurd target is clipped to the leverage with a warning' '
	printf "open_time,open,high,low,close,target\n0,100,100,100,100,1e6\n60000,100,100,100,100,1e6\n" >in.csv &&
	bf-sim -l 5 --slippage-bps 0 --fee-taker 0 --summary s.json <in.csv >out 2>err &&
	test_grep "stdin:2: target 1e+06 clipped" err &&
	tail -1 out | cut -d, -f3 >pos &&
	echo 500 >expect &&
	test_cmp expect pos &&
	test_grep "\"targets_clipped\": 1" s.json
'

test_expect_success 'a missing target makes no order' '
	printf "open_time,open,high,low,close,target\n0,100,100,100,100,\n60000,100,100,100,100,\n" >in.csv &&
	bf-sim <in.csv >out &&
	tail -1 out | cut -d, -f3 >pos &&
	echo 0 >expect &&
	test_cmp expect pos
'

test_expect_success 'NDJSON in, NDJSON out; -o csv converts' '
	printf "{\"open_time\":0,\"open\":100,\"high\":100,\"low\":100,\"close\":100,\"target\":1}\n" >in.json &&
	bf-sim <in.json >out &&
	test_grep "^{\"time\":0,\"close\":100," out &&
	bf-sim -o csv <in.json >out.csv &&
	test_grep "^time,close," out.csv
'

test_expect_success 'orders below min notional are skipped, closing ones are not' '
	printf "open_time,open,high,low,close,target\n0,100,100,100,100,0.005\n60000,100,100,100,100,0.5\n120000,100,100,100,100,0\n180000,100,100,100,100,0\n" >in.csv &&
	bf-sim --slippage-bps 0 --min-notional 100 --summary s.json <in.csv >out &&
	cut -d, -f3 out | tr "\n" " " >pos &&
	printf "position 0 0 50 0 " >expect &&
	test_cmp expect pos &&
	test_grep "\"orders_skipped\": 1" s.json
'

test_done
