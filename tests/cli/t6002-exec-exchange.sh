#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-exec against the fake exchange: signed one-shot commands with exact
# quantities and prices, idempotent cancels, -4116 adopted, and stream
# mode that never places an order twice, through lost answers, a
# restart, and a crash in the middle of a placement; the kill switch.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

BF_API_KEY=fake-key
BF_API_SECRET=fake-secret
export BF_API_KEY BF_API_SECRET

if test_have_prereq FAKE_EXCHANGE; then
	start_fake_exchange || exit 1
fi

# The fake exchange's account: jq expression over its state.
state() {
	curl -sf --max-time 5 "$FAKE_URL/_ctl/trading/state" | jq -r "$1"
}

# 20 hourly rows whose targets change.
rows() {
	awk -v n=20 -v step=3600000 -f "$SRC_DIR/tests/cli/gen-bars.awk" |
	awk -F, 'BEGIN { OFS = "," }
	NR == 1 { print $1, $2, $3, $4, $5, "target"; next }
	{ k = NR % 5; print $1, $2, $3, $4, $5, (k < 2 ? 0.5 : k < 4 ? -0.3 : 0) }'
}

test_expect_success 'live needs its flag, one-shot commands a mode' '
	test_must_fail code=2 bf-exec --mode live </dev/null 2>err &&
	test_grep "i-understand-live" err &&
	test_must_fail code=2 bf-exec positions 2>err &&
	test_grep "mode testnet" err &&
	test_must_fail code=2 bf-exec launch 2>err
'

test_expect_success FAKE_EXCHANGE 'no key, no trading' '
	test_must_fail code=2 env -u BF_API_KEY bf-exec positions \
	    --mode testnet 2>err &&
	test_grep "BF_API_KEY" err
'

test_expect_success FAKE_EXCHANGE 'a market order: the step decides the text' '
	fake_ctl trading/reset >/dev/null &&
	bf-exec order --mode testnet --side buy --qty 0.0105 -v >ev.csv 2>err &&
	test_grep "quantity 0.0105 sent as 0.010" err &&
	test "$(state ".orders[0].origQty")" = 0.010 &&
	tail -n 1 ev.csv | grep -q ",BUY,MARKET,0.010,,FILLED,0.010," &&
	bf-exec positions --mode testnet >pos.csv &&
	test "$(sed -n 2p pos.csv | cut -d, -f1,2)" = BTCUSDT,0.010
'

test_expect_success FAKE_EXCHANGE 'a limit order rests; cancels are idempotent' '
	bf-exec order --mode testnet --side BUY --qty 0.01 --type LIMIT \
	    --price 20000.07 --client-order-id lim-1 >ev.csv &&
	test "$(state ".orders[-1].price")" = 20000.0 &&
	tail -n 1 ev.csv | grep -q ",lim-1,.*,LIMIT,0.010,20000.0,NEW," &&
	bf-exec status --mode testnet --client-order-id lim-1 >st.csv &&
	tail -n 1 st.csv | grep -q ",NEW," &&
	id=$(tail -n 1 st.csv | cut -d, -f3) &&
	bf-exec cancel --mode testnet --order-id "$id" >c1.csv &&
	tail -n 1 c1.csv | grep -q ",CANCELED," &&
	bf-exec cancel --mode testnet --client-order-id lim-1 >c2.csv &&
	tail -n 1 c2.csv | grep -q ",CANCELED,"
'

test_expect_success FAKE_EXCHANGE 'a resend of an open order (-4116) adopts it' '
	bf-exec order --mode testnet --side BUY --qty 0.01 --type LIMIT \
	    --price 20000 --client-order-id dup-1 >a.csv &&
	n=$(state ".orders | length") &&
	bf-exec order --mode testnet --side BUY --qty 0.01 --type LIMIT \
	    --price 20000 --client-order-id dup-1 --reconcile-delay 0 >b.csv &&
	test "$(state ".orders | length")" = "$n" &&
	test "$(tail -n 1 a.csv | cut -d, -f3)" = "$(tail -n 1 b.csv | cut -d, -f3)"
'

test_expect_success FAKE_EXCHANGE 'refusals carry the exchange code' '
	test_must_fail code=1 bf-exec order --mode testnet --side BUY \
	    --qty 0.001 2>err &&
	test_grep "(-4164)" err &&
	test_must_fail code=1 env BF_API_SECRET=wrong bf-exec positions \
	    --mode testnet 2>err &&
	test_grep "Signature for this request is not valid (-1022)" err
'

test_expect_success FAKE_EXCHANGE 'flatten cancels and closes' '
	bf-exec flatten --mode testnet >ev.csv &&
	tail -n 1 ev.csv | grep -q ",SELL,MARKET,0.010,,FILLED,.*,flatten$" &&
	test "$(state ".positions.BTCUSDT")" = 0.000 &&
	test "$(state "[.orders[] | select(.status == \"NEW\")] | length")" = 0 &&
	bf-exec flatten --mode testnet -v >ev.csv 2>err &&
	test_grep "nothing to close" err
'

test_expect_success FAKE_EXCHANGE 'secrets never appear' '
	BF_API_SECRET=fake-secret bf-exec positions --mode testnet -v -v \
	    >out 2>err &&
	! grep -q fake-secret out err
'

test_expect_success FAKE_EXCHANGE 'stream mode: one order per changed target' '
	fake_ctl trading/reset >/dev/null &&
	rows >in.csv &&
	bf-exec --mode testnet --run-id s1 --journal s1.jnl <in.csv >ev.csv &&
	test $(tail -n +2 ev.csv | wc -l) -eq 12 &&
	test "$(state ".placements")" = 12 &&
	test "$(state ".orders | length")" = 12 &&
	sum=$(awk -F, "NR > 1 { p += (\$5 == \"BUY\" ? \$7 : -\$7) }
	    END { printf \"%.3f\", p }" ev.csv) &&
	test "$(state ".positions.BTCUSDT")" = "$sum" &&
	grep -q "^1700000000000,bfs1-1700000000000-0,[0-9]*,BTCUSDT,SELL," ev.csv
'

test_expect_success FAKE_EXCHANGE 'a restart on the same rows places nothing' '
	bf-exec --mode testnet --journal s1.jnl -v <in.csv >ev2.csv 2>err &&
	test $(wc -l <ev2.csv) -eq 1 &&
	test_grep "skipped 20 rows" err &&
	test "$(state ".placements")" = 12
'

test_expect_success FAKE_EXCHANGE 'lost answers are looked up, never resent blindly' '
	fake_ctl trading/reset >/dev/null &&
	for k in timeout lost503 e1007 e503 hidden; do
		fake_ctl "trading/fault?kind=$k" >/dev/null || return 1
	done &&
	bf-exec --mode testnet --run-id s2 --timeout 1000 \
	    --reconcile-delay 50 <in.csv >ev.csv 2>err &&
	test_grep "found by lookup" err &&
	test_grep "not on the exchange: sent again" err &&
	test $(tail -n +2 ev.csv | wc -l) -eq 12 &&
	test "$(state ".orders | length")" = 12 &&
	test "$(state ".placements")" = 13 &&
	test "$(state "[.orders[].clientOrderId] | unique | length")" = 12
'

test_expect_success FAKE_EXCHANGE 'a crash during a placement is settled at restart' '
	fake_ctl trading/reset >/dev/null &&
	fake_ctl "trading/fault?kind=timeout" >/dev/null &&
	rm -f s3.jnl &&
	bf-exec --mode testnet --run-id s3 --journal s3.jnl <in.csv \
	    >/dev/null 2>&1 &
	n=0 &&
	while ! grep -q "\"kind\":\"intent\"" s3.jnl 2>/dev/null; do
		n=$((n + 1)); [ $n -lt 100 ] || return 1; sleep 0.05
	done &&
	kill -9 $! && wait $! ;
	test "$(state ".placements")" = 1 &&
	bf-exec --mode testnet --journal s3.jnl <in.csv >ev.csv 2>err &&
	test_grep "sent by an earlier run, found on the exchange" err &&
	test $(tail -n +2 ev.csv | wc -l) -eq 12 &&
	test "$(state ".orders | length")" = 12 &&
	test "$(state ".placements")" = 12
'

test_expect_success FAKE_EXCHANGE 'the kill switch flattens and stops' '
	fake_ctl trading/reset >/dev/null &&
	rm -f kill &&
	test_must_fail code=1 sh -c "{ head -n 2 in.csv; sleep 1; touch kill; tail -n +3 in.csv; } |
	    bf-exec --mode testnet --kill-file kill >ev.csv 2>err" &&
	test_grep "kill switch" err &&
	tail -n 1 ev.csv | grep -q ",kill_switch$" &&
	test "$(state ".positions.BTCUSDT")" = 0.000
'

test_done
