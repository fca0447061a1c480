#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch stream against the fake exchange's WebSocket side: closed
# candles only (unless --include-open), each once and in order across
# reconnects; mark price, aggregate trades, book ticker and depth; --count
# and --duration end it.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

test_have_prereq FAKE_EXCHANGE &&
	/usr/bin/python3 -c "import websockets" 2>/dev/null &&
	test_set_prereq WEBSOCKETS
test_have_prereq WEBSOCKETS &&
	start_fake_exchange --ws-port-file "$TRASH/ws.port" --ws-drop-after 8

test_expect_success WEBSOCKETS 'closed 1m candles, each once, in order' '
	timeout 30 bf-fetch stream -s BTCUSDT --kline 1m --count 6 \
		--ws-url "$FAKE_WS_URL" -v >out.csv 2>err &&
	test $(wc -l <out.csv) -eq 7 &&
	head -n 1 out.csv | grep -x "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume" &&
	awk -F, "NR>2 && \$1 - p != 60000 {exit 1} {p=\$1}" out.csv &&
	test_grep "[2-9] connections" err
'

test_expect_success WEBSOCKETS '--include-open gives the updates too' '
	timeout 30 bf-fetch stream -s BTCUSDT --kline 1m --count 6 \
		--include-open --ws-url "$FAKE_WS_URL" >out.csv &&
	test $(wc -l <out.csv) -eq 7 &&
	test $(cut -d, -f1 out.csv | sort -u | wc -l) -lt 7
'

test_expect_success WEBSOCKETS 'mark price, aggregate trades, book ticker' '
	timeout 30 bf-fetch stream -s BTCUSDT --mark --count 3 \
		--ws-url "$FAKE_WS_URL" >mark.csv &&
	head -n 1 mark.csv | grep -x "time,symbol,mark_price,index_price,funding_rate,next_funding_time" &&
	test $(wc -l <mark.csv) -eq 4 &&
	timeout 30 bf-fetch stream -s btcusdt --aggtrade --count 20 \
		--ws-url "$FAKE_WS_URL" -o json >agg.json &&
	test $(jq -r .agg_id agg.json | sort -u | wc -l) -eq 20 &&
	timeout 30 bf-fetch stream -s BTCUSDT --book --count 4 \
		--ws-url "$FAKE_WS_URL" >book.csv &&
	head -n 1 book.csv | grep -x "time,symbol,update_id,bid_price,bid_qty,ask_price,ask_qty"
'

test_expect_success WEBSOCKETS 'depth snapshots in long form' '
	timeout 30 bf-fetch stream -s BTCUSDT --depth --levels 5 --count 2 \
		--ws-url "$FAKE_WS_URL" >out.csv &&
	test $(wc -l <out.csv) -eq 21
'

test_expect_success WEBSOCKETS '--duration ends the stream' '
	timeout 30 bf-fetch stream -s BTCUSDT --book --duration 1s \
		--ws-url "$FAKE_WS_URL" >out.csv &&
	test $(wc -l <out.csv) -ge 2
'

test_expect_success 'usage: one stream, a known interval, a ws URL' '
	test_must_fail code=2 bf-fetch stream -s BTCUSDT 2>err &&
	test_grep "stream needs" err &&
	test_must_fail code=2 bf-fetch stream -s BTCUSDT --mark --book 2>err &&
	test_must_fail code=2 bf-fetch stream -s BTCUSDT --kline 2m 2>err &&
	test_must_fail code=2 bf-fetch stream -s BTCUSDT --mark \
		--ws-url http://x 2>err &&
	test_grep "ws:// or wss://" err
'

test_expect_success 'an unreachable stream fails after the retries' '
	timeout 60 bf-fetch stream -s BTCUSDT --mark --retries 1 \
		--ws-url ws://127.0.0.1:9 2>err;
	test $? -eq 1 &&
	test_grep "connection attempts" err
'

test_done
