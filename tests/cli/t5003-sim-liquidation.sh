#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Liquidation on mark price, checked by hand (data/sim/liq.csv): 1000
# USDT, target 10 at 10x, bought at 50000 without slippage: 0.2 BTC,
# fee 0.2 x 50000 x 0.05 % = 5, wallet 995.  Notional 10000 is in
# BTCUSDT bracket 1 (MMR 0.4 %, cum 0), so in cross margin
#
#	LP = (995 - 0.2 x 50000) / (0.2 x 0.004 - 0.2) = 45205.8232932
#
# Bar 2's last price falls to 45000 but its mark low is 45500: no
# liquidation.  Bar 3's mark low 45100 crosses LP: the position closes at
# LP, realizing 0.2 x (LP - 50000) = -958.835341; 36.164659 is left,
# less than the clearance fee 0.2 x LP x 1.25 % = 113.01, so the fee
# takes it all and the wallet ends at 0.  Isolated margin 1000 (=
# 10000 / 10): LP = (1000 - 10000) / (0.0008 - 0.2) = 45180.7228916.
# A 0.2 BTC short at 50000 without fees: LP = (1000 + 10000) /
# (0.0008 + 0.2) = 54780.876494.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'cross: liquidated at the liquidation price on mark low' '
	bf-sim -e 1000 -l 10 --slippage-bps 0 --trades t.csv --summary s.json \
	    <"$DATA/sim/liq.csv" >eq.csv &&
	cat >expect <<-\EOT &&
	entry_time,exit_time,side,qty,entry_price,exit_price,pnl,fees,funding,reason
	3600000,10800000,long,0.2,50000,45205.8232932,-1000,41.1646586345,0,liquidation
	EOT
	test_cmp expect t.csv &&
	sed -n 4p eq.csv >row &&
	echo "7200000,46000,0.2,50000,995,-798,197,5,0,-0.803" >expect &&
	test_cmp expect row &&
	test_grep "\"liquidations\": 1" s.json &&
	test_grep "\"final_equity\": 0," s.json
'

test_expect_success '--liq-price shows the price before it is reached' '
	bf-sim -e 1000 -l 10 --slippage-bps 0 --liq-price \
	    <"$DATA/sim/liq.csv" | cut -d, -f11 | tr "\n" " " >got &&
	printf "liq_price  45205.8232932 45205.8232932   " >expect &&
	test_cmp expect got
'

test_expect_success 'isolated: the isolated margin sets the price' '
	bf-sim -e 1000 -l 10 --margin isolated --slippage-bps 0 --trades t.csv \
	    <"$DATA/sim/liq.csv" >/dev/null &&
	sed -n 2p t.csv | cut -d, -f6,10 >got &&
	echo "45180.7228916,liquidation" >expect &&
	test_cmp expect got
'

test_expect_success 'without mark columns the last-price low liquidates' '
	cut -d, -f1-5,9 "$DATA/sim/liq.csv" >last.csv &&
	bf-sim -e 1000 -l 10 --slippage-bps 0 --trades t.csv <last.csv >/dev/null &&
	sed -n 2p t.csv | cut -d, -f2,10 >got &&
	echo "7200000,liquidation" >expect &&
	test_cmp expect got
'

test_expect_success 'a short is liquidated on the mark high' '
	cat >in.csv <<-\EOT &&
	open_time,open,high,low,close,mark_high,mark_low,target
	0,50000,50000,50000,50000,50000,50000,-10
	60000,50000,50000,50000,50000,50000,50000,-10
	120000,50000,56000,49000,55000,55500,49000,-10
	EOT
	bf-sim -e 1000 -l 10 --slippage-bps 0 --fee-taker 0 --trades t.csv \
	    <in.csv >/dev/null &&
	sed -n 2p t.csv | cut -d, -f3,6,10 >got &&
	echo "short,54780.876494,liquidation" >expect &&
	test_cmp expect got
'

test_expect_success '--brackets overrides the shipped brackets' '
	# One tier, MMR 1 %: LP = (995 - 10000) / (0.2 x 0.01 - 0.2).
	cat >br.csv <<-\EOT &&
	bracket,notional_floor,notional_cap,initial_leverage,maint_margin_ratio,cum
	1,0,1000000000,50,0.01,0
	EOT
	bf-sim -e 1000 -l 10 --slippage-bps 0 --brackets br.csv --trades t.csv \
	    <"$DATA/sim/liq.csv" >/dev/null &&
	sed -n 2p t.csv | cut -d, -f6 >got &&
	echo 45479.7979798 >expect &&
	test_cmp expect got &&
	test_must_fail code=2 bf-sim -l 60 --brackets br.csv \
	    <"$DATA/sim/liq.csv" 2>err &&
	test_grep "above the brackets" err
'

test_done
