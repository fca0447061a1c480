#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch klines against the fake exchange: every row exactly once, in
# order, with the exchange's exact text, over page boundaries, for all
# interval kinds and price kinds; gaps reported; the open candle left out.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

NOW=$(($(date +%s) * 1000))

test_have_prereq FAKE_EXCHANGE && start_fake_exchange

test_expect_success FAKE_EXCHANGE '1h over a maintenance gap: exact rows, gap reported' '
	bf-fetch klines -s BTCUSDT -i 1h --start 2020-02-08T20:00:00Z \
		--end 2020-02-09T10:00:00Z --gaps gaps.csv >out.csv 2>err &&
	"$EXPECT" klines klines BTCUSDT 1h 1581192000000 1581242400000 $NOW >expect.csv &&
	test_cmp expect.csv out.csv &&
	test_grep "gap: 1581213600000 1581217200000 2 " err &&
	printf "start,end,bars\n1581213600000,1581217200000,2\n" >gexpect &&
	test_cmp gexpect gaps.csv
'

test_expect_success FAKE_EXCHANGE '1m over four pages: every row once, in order' '
	bf-fetch klines -s BTCUSDT -i 1m --start 1704067200000 \
		--end 1704401999999 >out.csv &&
	"$EXPECT" klines klines BTCUSDT 1m 1704067200000 1704401999999 $NOW >expect.csv &&
	test_cmp expect.csv out.csv &&
	test $(wc -l <out.csv) -eq 5581
'

test_expect_success FAKE_EXCHANGE 'a range starting and ending inside candles' '
	bf-fetch klines -s ETHUSDT -i 15m --start 1704067200001 \
		--end 1704074399999 >out.csv &&
	"$EXPECT" klines klines ETHUSDT 15m 1704067200001 1704074399999 $NOW >expect.csv &&
	test_cmp expect.csv out.csv &&
	test $(wc -l <out.csv) -eq 8
'

for iv in 3m 2h 8h 1d 3d 1w 1M; do
	test_expect_success FAKE_EXCHANGE "interval $iv over a long range" '
		bf-fetch klines -s BTCUSDT -i '$iv' --start 2021-01-01 \
			--end 2023-12-31T23:59:59.999Z >out.csv 2>err &&
		"$EXPECT" klines klines BTCUSDT '$iv' 1609459200000 1704067199999 $NOW >expect.csv &&
		test_cmp expect.csv out.csv
	'
done

for kind in mark index premium; do
	test_expect_success FAKE_EXCHANGE "--price $kind" '
		bf-fetch klines -s BTCUSDT -i 4h --price '$kind' \
			--start 2023-06-01 --end 2023-09-01 >out.csv &&
		"$EXPECT" klines '$kind' BTCUSDT 4h 1685577600000 1693526400000 $NOW >expect.csv &&
		test_cmp expect.csv out.csv
	'
done

test_expect_success FAKE_EXCHANGE 'the open candle is left out unless --include-open' '
	bf-fetch klines -s BTCUSDT -i 1d --start -3d >closed.csv &&
	bf-fetch klines -s BTCUSDT -i 1d --start -3d --include-open >open.csv &&
	test $(wc -l <closed.csv) -eq 3 &&
	test $(wc -l <open.csv) -eq 4 &&
	today=$(( $(date +%s) / 86400 * 86400000 )) &&
	tail -n 1 open.csv | grep "^$today," &&
	! grep "^$today," closed.csv
'

test_expect_success FAKE_EXCHANGE 'without --start: the last 500 closed candles' '
	bf-fetch klines -s BTCUSDT -i 1h >out.csv &&
	test $(wc -l <out.csv) -eq 501
'

test_expect_success FAKE_EXCHANGE 'JSON output keeps the exact number text' '
	bf-fetch klines -s BTCUSDT -i 1h --start 2024-01-01 \
		--end 2024-01-01T02:00:00Z -o json >out.json &&
	test $(wc -l <out.json) -eq 3 &&
	jq -r "[.open_time, .open, .trades] | @csv" out.json >got &&
	head -n 1 out.json | grep "\"close_time\":1704070799999," &&
	cut -d, -f1 got | head -n 1 | grep -x 1704067200000
'

test_expect_success FAKE_EXCHANGE 'a lower-case symbol is upper-cased' '
	bf-fetch klines -s btcusdt -i 1d --start 2024-01-01 --end 2024-01-03 >out.csv &&
	test $(wc -l <out.csv) -eq 4
'

# A server that pages smaller than asked (at most 700 rows): nothing lost.
test_have_prereq FAKE_EXCHANGE && start_fake_exchange --page-cap 700

test_expect_success FAKE_EXCHANGE 'a server paging smaller than asked loses nothing' '
	bf-fetch klines -s BTCUSDT -i 1m --start 1704067200000 \
		--end 1704401999999 >out.csv &&
	"$EXPECT" klines klines BTCUSDT 1m 1704067200000 1704401999999 $NOW >expect.csv &&
	test_cmp expect.csv out.csv &&
	bf-fetch funding -s BTCUSDT --start 2019-09-01 --end 1704067199999 >fout.csv &&
	"$EXPECT" funding BTCUSDT 1567296000000 1704067199999 >fexpect.csv &&
	test_cmp fexpect.csv fout.csv
'

test_done
