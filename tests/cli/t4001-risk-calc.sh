#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-risk calc: Binance's published liquidation examples (binance-usdm.md
# 11.5 and the FAQ numbers freqtrade's tests reproduce) to the cent,
# isolated and cross, one record per call, and every kind of bad flag
# (exit 2 with a message naming it).

. "$(dirname "$0")/test-lib.sh"

# field NAME ARGS...: one field of the calc record, rounded to cents
field() {
	f=$1
	shift
	bf-risk calc -o json "$@" >rec.json &&
	jq -r ".$f" rec.json >val.txt &&
	awk '{ printf "%.2f\n", $1 }' val.txt
}

test_expect_success 'isolated long 1 BTC at 60000, 10x: 54221.11' '
	test "$(field liq_price --side long --entry 60000 --qty 1 --leverage 10 --margin isolated)" = 54221.11
'

test_expect_success 'isolated short 2 BTC at 60000, 20x: 62711.44' '
	test "$(field liq_price --side short --entry 60000 --qty 2 --leverage 20 --margin isolated)" = 62711.44
'

test_expect_success 'the same short given by its wallet instead of leverage' '
	test "$(field liq_price --side short --entry 60000 --qty 2 --wallet 6000)" = 62711.44 &&
	test "$(jq -r .leverage rec.json)" = 20
'

test_expect_success 'cross long with other positions: 52110.55' '
	test "$(field liq_price --side long --entry 60000 --qty 1 --margin cross \
	    --wallet 8000 --other-mm 100 --other-upnl 200)" = 52110.55
'

test_expect_success 'Binance FAQ: isolated ETHUSDT with the FAQ bracket: 1114.78' '
	test "$(field liq_price --symbol ETHUSDT --side long --entry 1456.84 \
	    --qty 3683.979 --wallet 1535443.01 --mmr 0.1 --maint-amount 135365)" = 1114.78
'

test_expect_success 'Binance FAQ: cross ETHUSDT and BTCUSDT legs: 1153.26, 26316.89' '
	test "$(field liq_price --side long --entry 1456.84 --qty 3683.979 \
	    --margin cross --wallet 1535443.01 --mmr 0.1 --maint-amount 135365 \
	    --other-mm 71200.811444 --other-upnl -56354.56848)" = 1153.26 &&
	test "$(field liq_price --side long --entry 32481.98 --qty 109.488 \
	    --margin cross --wallet 1535443.01 --mmr 0.025 --maint-amount 16300 \
	    --other-mm 356512.508122 --other-upnl -448192.88514)" = 26316.89
'

test_expect_success 'cross hedge mode, long 1 at 60000 and short 0.5 at 62000: 38461.54' '
	test "$(field liq_price --side long --entry 60000 --qty 1 --margin cross \
	    --wallet 10000 --hedge-qty 0.5 --hedge-entry 62000)" = 38461.54 &&
	test "$(jq -r .liq_bracket rec.json)" = 1 &&
	test "$(field liq_price --side short --entry 62000 --qty 0.5 --margin cross \
	    --wallet 10000 --hedge-qty 1 --hedge-entry 60000)" = 38461.54 &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 \
	    --leverage 10 --margin isolated --hedge-qty 1 --hedge-entry 60000 2>err &&
	test_grep "add --margin cross" err
'

test_expect_success 'bracket at the liquidation price, not at entry' '
	test "$(field liq_price --side long --entry 60000 --qty 0.9 --wallet 10800)" = 48192.77 &&
	test "$(jq -r .bracket,.liq_bracket rec.json | tr "\n" " ")" = "2 1 " &&
	test "$(field liq_price --side short --entry 60000 --qty 9.5 --wallet 50000)" = 64941.04 &&
	test "$(jq -r .bracket,.liq_bracket rec.json | tr "\n" " ")" = "2 3 "
'

test_expect_success 'every metric of one record' '
	bf-risk calc --side long --entry 60000 --qty 2 --leverage 20 --margin isolated \
	    --stop 58000 --take-profit 66000 --atr 600 --vol 0.03 \
	    --funding-rate 0.0001 >out.csv &&
	cat >expect <<-\EOT &&
	symbol,side,margin,qty,entry,mark,notional,leverage,leverage_needed,max_leverage,wallet,equity,initial_margin,bracket,mmr,maint_amount,maint_margin,unrealized_pnl,margin_balance,margin_ratio,liq_price,liq_bracket,liq_distance,liq_distance_abs,liq_distance_atr,liq_prob,funding_cost_1h,funding_cost_1d,funding_cost_30d,funding_realized,stop_price,max_loss,max_loss_pct,take_profit,reward,reject_reason
	BTCUSDT,long,isolated,2,60000,60000,120000,20,20,100,6000,6000,6000,2,0.005,50,550,0,6000,0.0916666666667,57261.3065327,2,0.0456448911223,2738.69346734,4.56448911223,0.11939575324,1.5,36,1080,,58000,4000,66.6666666667,66000,12000,
	EOT
	test_cmp expect out.csv
'

test_expect_success 'no liquidation price for a long at 1x' '
	bf-risk calc -o json --side long --entry 60000 --qty 1 --leverage 1 >rec.json &&
	test "$(jq -r .liq_price rec.json)" = null
'

test_expect_success 'limits give reasons, not errors' '
	bf-risk calc -o json --side long --entry 60000 --qty 0.001 --leverage 50 \
	    --stop 59000 --max-loss-pct 1 --liq-floor-pct 5 >rec.json &&
	test "$(jq -r .reject_reason rec.json)" = "min_notional+liq_pct+max_loss"
'

test_expect_success 'realized funding over funding records' '
	printf "funding_time,symbol,funding_rate,mark_price\n1,BTCUSDT,0.0001,60000\n2,BTCUSDT,-0.00015,60000\n3,BTCUSDT,0.0002,\n" >f.csv &&
	bf-risk calc -o json --side long --entry 60000 --qty 0.5 --leverage 5 --funding f.csv >rec.json &&
	test_approx "$(jq -r .funding_realized rec.json)" -1.5
'

test_expect_success 'bad flags: exit 2 naming the flag' '
	test_must_fail code=2 bf-risk calc --side long --entry -5 --qty 1 --leverage 10 2>err &&
	test_grep "entry .-5.: must be a positive number" err &&
	test_must_fail code=2 bf-risk calc --side long --entry 0 --qty 1 --leverage 10 2>err &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 0 --leverage 10 2>err &&
	test_grep "qty" err &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 --leverage 0 2>err &&
	test_grep "leverage" err &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 --leverage -3 2>err &&
	test_must_fail code=2 bf-risk calc --side up --entry 60000 --qty 1 --leverage 3 2>err &&
	test_grep "must be long or short" err &&
	test_must_fail code=2 bf-risk calc --entry 60000 --qty 1 --leverage 3 2>err &&
	test_grep "needs --side" err &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 --leverage 3 --stop 61000 2>err &&
	test_grep "stop must be below" err &&
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 --leverage 3 --sizing kelly 2>err &&
	test_grep "for the filter" err
'

test_expect_success 'leverage above the bracket maximum: exit 2' '
	test_must_fail code=2 bf-risk calc --side long --entry 60000 --qty 1 --leverage 125 2>err &&
	test_grep "leverage 125 is above the maximum 100 of bracket 2" err &&
	bf-risk calc --side long --entry 60000 --qty 0.5 --leverage 125 >/dev/null
'

test_expect_success 'a bad brackets file: exit 3; a missing one: exit 2' '
	printf "notional_floor,notional_cap,initial_leverage,maint_margin_ratio,cum\n0,50000,125,0.004,0\n50000,1e6,100,0.005,70\n" >b.csv &&
	test_must_fail code=3 bf-risk calc --brackets b.csv --side long --entry 60000 --qty 1 --leverage 10 2>err &&
	test_grep "expected 50" err &&
	test_must_fail code=2 bf-risk calc --brackets nope.csv --side long --entry 60000 --qty 1 --leverage 10 2>err &&
	test_grep "nope.csv" err
'

test_done
