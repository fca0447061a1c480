#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Stops and take-profits, checked by hand (data/sim/stops.csv), no
# slippage, taker 0.05 %, step 0.001:
#
#  bar 1  buys 10000 / 100 = 100 at the open 100, fee 5; stop 95, tp 110.
#  bar 2  touches both the stop (low 94) and the take-profit (high 112):
#         the adverse one first, so the stop fills at 95: realized -500,
#         fee 4.75; trade pnl -500 - 5 - 4.75 = -509.75.
#  bar 3  the target is still 1 (unchanged): no re-entry.
#  bar 4  short: equity 9490.25 / 100 = 94.9025, stepped to 94.902, fee
#         4.7451; the take-profit 90 is reached (low 89): 94.902 bought
#         at 90, fee 4.27059, realized 949.02; pnl 940.00431.
#  bar 6  long 10430.25431 / 92 = 113.372 at 92, fee 5.215112, stop 90.
#  bar 7  opens at 85, through the stop: filled at the open, realized
#         113.372 x -7 = -793.604, fee 4.81831; pnl -803.637422.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'stop, take-profit and gap fills' '
	bf-sim --slippage-bps 0 --trades t.csv --summary s.json \
	    <"$DATA/sim/stops.csv" >eq.csv &&
	cat >expect <<-\EOT &&
	entry_time,exit_time,side,qty,entry_price,exit_price,pnl,fees,funding,reason
	3600000,7200000,long,100,100,95,-509.75,9.75,0,stop
	14400000,14400000,short,94.902,100,90,940.00431,9.01569,0,take_profit
	21600000,25200000,long,113.372,92,85,-803.637422,10.033422,0,stop
	EOT
	test_cmp expect t.csv &&
	tail -1 eq.csv >last &&
	echo "25200000,86,0,0,9626.616888,0,9626.616888,28.799112,0,-0.0770486891417" >expect &&
	test_cmp expect last &&
	test_grep "\"stops\": 2" s.json &&
	test_grep "\"take_profits\": 1" s.json &&
	test_grep "\"max_consecutive_losses\": 1" s.json
'

test_expect_success 'slippage moves stop fills against the trader' '
	bf-sim --slippage-bps 10 --tick 0 --trades t.csv \
	    <"$DATA/sim/stops.csv" >/dev/null &&
	sed -n 2p t.csv | cut -d, -f5,6 >px &&
	echo "100.1,94.905" >expect &&
	test_cmp expect px
'

test_done
