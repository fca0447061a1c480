#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Funding at the series' own times, on mark price, checked by hand
# (data/sim/funding-bars.csv, 4h bars; no fees, no slippage).  Long 1 BTC
# bought at 10000 on the 04:00 bar, closed at the 16:00 bar's open.
#
#  00:00  rate 0.01 %: flat, nothing paid.
#  08:00  rate 0.01 %, the series' mark 10150: the long pays 1.015.
#  09:00  rate -0.02 %, inside the 08:00 bar (an irregular interval): settled
#         at the 12:00 open on the mark of the bar before (10190): the
#         long receives 2.038.
#  16:00  rate 0.03 %, at a bar's open: paid by the position held before
#         that bar's order fills (still long), on the mark of the bar
#         before (10310): 3.093.
#  20:00  flat again: nothing.
#
# Funding 1.015 - 2.038 + 3.093 = 2.07; trade pnl 300 - 2.07 = 297.93.
# With the events in the rows' own columns and no mark in them, the
# 08:00 event uses the 04:00 bar's mark 10105: 1.0105, total 2.0655.

. "$(dirname "$0")/test-lib.sh"

test_expect_success '--funding joins a funding series' '
	bf-sim --fee-taker 0 --slippage-bps 0 --funding "$DATA/sim/funding.csv" \
	    --trades t.csv --summary s.json <"$DATA/sim/funding-bars.csv" >eq.csv &&
	cut -d, -f9 eq.csv | tr "\n" " " >got &&
	printf "funding 0 0 1.015 -1.023 2.07 2.07 " >expect &&
	test_cmp expect got &&
	sed -n 2p t.csv >got &&
	echo "14400000,57600000,long,1,10000,10300,297.93,0,2.07,signal" >expect &&
	test_cmp expect got &&
	test_grep "\"funding_paid\": 2.07," s.json
'

test_expect_success 'funding columns in the rows' '
	bf-sim --fee-taker 0 --slippage-bps 0 --summary s.json \
	    <"$DATA/sim/funding-cols.csv" >eq.csv &&
	test_grep "\"funding_paid\": 2.0655," s.json
'

test_expect_success 'a short receives positive funding' '
	sed "s/,1\$/,-1/" "$DATA/sim/funding-bars.csv" >short.csv &&
	bf-sim --fee-taker 0 --slippage-bps 0 --funding "$DATA/sim/funding.csv" \
	    --summary s.json <short.csv >/dev/null &&
	test_grep "\"funding_paid\": -2.07," s.json
'

test_expect_success 'a funding series out of order is bad data' '
	printf "funding_time,funding_rate\n100,0.0001\n50,0.0001\n" >bad.csv &&
	test_must_fail code=3 bf-sim --funding bad.csv \
	    <"$DATA/sim/funding-bars.csv" 2>err &&
	test_grep "bad.csv:3: funding_time 50 is not after" err
'

test_done
