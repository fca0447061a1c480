#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-sim on the real BTCUSDT hourly bars and funding history (only when
# ../shared/data is there): the accounting identities that must hold on
# any data.  The trades' PnL adds up to the equity change, their funding
# to the funding paid, their fees to the fees paid; and a long held
# through 2020-2022 pays funding (rates were mostly positive).

. "$(dirname "$0")/test-lib.sh"

K="$SHARED_DATA/binance_um_BTCUSDT_1h_klines.csv"
F="$SHARED_DATA/binance_um_BTCUSDT_funding.csv"

sums() {	# sums TRADES SUMMARY: "pnl fees funding" of both, 4 decimals
	awk -F, 'NR > 1 { p += $7; f += $8; u += $9 }
		END { printf "%.4f %.4f %.4f\n", p, f, u }' "$1"
	jq -r '"\(.final_equity - .initial_equity) \(.fees_paid) \(.funding_paid)"' "$2" |
	    awk '{ printf "%.4f %.4f %.4f\n", $1, $2, $3 }'
}

test_expect_success SHARED_DATA 'tsmom on 6 years of hours: the books balance' '
	bf-baseline tsmom <"$K" |
	    bf-sim --funding "$F" --slippage-bps 1 --trades t.csv --summary s.json >eq.csv &&
	sums t.csv s.json >both &&
	test $(sort -u both | wc -l) -eq 1 &&
	test $(wc -l <eq.csv) -eq $(wc -l <"$K")
'

test_expect_success SHARED_DATA 'macross at 3x in isolated margin: the books balance' '
	bf-baseline macross -l 3 <"$K" |
	    bf-sim -l 5 --margin isolated --funding "$F" --trades t.csv \
	    --summary s.json --no-equity &&
	sums t.csv s.json >both &&
	test $(sort -u both | wc -l) -eq 1
'

test_expect_success SHARED_DATA 'a long pays funding over 2020-2022' '
	awk -F, "NR == 1 || (\$1 >= 1577836800000 && \$1 < 1672531200000)" "$K" |
	    bf-baseline hold -l 0.5 | bf-sim --funding "$F" --summary s.json --no-equity &&
	jq -e ".funding_paid > 0 and .liquidations == 0 and .trades == 1" s.json
'

test_done
