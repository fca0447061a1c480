#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Golden files pin three complete backtests of 400 synthetic hourly bars
# (data/sim/golden/bars.csv: mark prices, stops, take-profits, a target
# of 12 that is clipped): market orders in cross margin; limit orders in
# isolated margin with range slippage and every-bar rebalancing; volume
# slippage with an irregular funding series.  Any change to a fill, a
# fee, a funding payment or a metric shows here as a diff.  And the same
# input gives byte-identical output every time.

. "$(dirname "$0")/test-lib.sh"

G="$DATA/sim/golden"

run() {
	name=$1
	shift
	bf-sim --trades "$name.trades.csv" --summary "$name.summary.json" \
	    "$@" <"$G/bars.csv" >"$name.equity.csv" 2>/dev/null
}

check() {
	for f in equity.csv trades.csv summary.json; do
		test_cmp "$G/$1.$f" "$1.$f" || return 1
	done
}

test_expect_success 'market orders, cross margin' '
	run market -l 10 --slippage-bps 2 &&
	check market
'

test_expect_success 'limit orders, isolated margin, range slippage' '
	run limit -l 10 --rebalance always --order limit --margin isolated \
	    --slippage-model range --slippage-k 0.1 &&
	check limit
'

test_expect_success 'volume slippage and a funding series' '
	run funding -l 20 --rebalance always --slippage-model volume \
	    --slippage-k 0.5 --funding "$G/funding.csv" &&
	check funding
'

test_expect_success 'identical inputs give byte-identical outputs' '
	mkdir again && cd again &&
	run funding -l 20 --rebalance always --slippage-model volume \
	    --slippage-k 0.5 --funding "$G/funding.csv" &&
	cd .. &&
	cmp funding.equity.csv again/funding.equity.csv &&
	cmp funding.trades.csv again/funding.trades.csv &&
	cmp funding.summary.json again/funding.summary.json
'

test_expect_success 'the equity stream ends at the summary figures' '
	tail -1 market.equity.csv | cut -d, -f7 >eq &&
	sed -n "s/.*\"final_equity\": \([^,]*\),/\1/p" market.summary.json >fin &&
	test_cmp eq fin &&
	awk -F, "NR>1 {s += \$7} END {printf \"%.6f\n\", s}" market.trades.csv >sum &&
	awk -F, "NR>1 {print \$7}" market.equity.csv | tail -1 |
	    awk "{printf \"%.6f\n\", \$1 - 10000}" >gain &&
	test_cmp sum gain
'

test_done
