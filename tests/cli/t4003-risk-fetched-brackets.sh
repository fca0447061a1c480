#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Brackets fetched from the exchange replace the shipped ones: bf-fetch
# brackets against the fake exchange (three tiers of BTCUSDT's ladder),
# then bf-risk reads the file, in CSV and NDJSON, and its tiers decide
# the liquidation price and the leverage limit.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

test_have_prereq FAKE_EXCHANGE && start_fake_exchange
BF_API_KEY=fake-key
BF_API_SECRET=fake-secret
export BF_API_KEY BF_API_SECRET

test_expect_success FAKE_EXCHANGE 'bf-fetch brackets output is a brackets file' '
	bf-fetch brackets -s BTCUSDT >b.csv &&
	test "$(sed -n 1p b.csv)" = "symbol,bracket,initial_leverage,notional_floor,notional_cap,maint_margin_ratio,cum" &&
	bf-risk calc -o json --brackets b.csv --side long --entry 60000 --qty 1 \
	    --leverage 10 --margin isolated >rec.json &&
	test "$(jq -r .liq_price rec.json | awk "{ printf \"%.2f\", \$1 }")" = 54221.11 &&
	test "$(jq -r .max_leverage rec.json)" = 100
'

test_expect_success FAKE_EXCHANGE 'the fetched table ends at its last cap' '
	test_must_fail code=2 bf-risk calc --brackets b.csv --side long \
	    --entry 60000 --qty 60 --leverage 10 2>err &&
	test_grep "above the largest bracket" err
'

test_expect_success FAKE_EXCHANGE 'NDJSON brackets and the filter' '
	bf-fetch brackets -s BTCUSDT -o json >b.json &&
	printf "close,signal\n60000,1\n" >in.csv &&
	bf-risk --brackets b.json --leverage 10 --margin isolated --equity 60000 \
	    <in.csv >out.csv &&
	test "$(cut -d, -f7 out.csv | sed -n 2p | cut -c1-8)" = 54221.10
'

test_done
