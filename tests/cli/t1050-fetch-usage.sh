#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch: bad input gets a clear message and the right exit status, and
# never reaches the network.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

test_expect_success 'no command, unknown command' '
	test_must_fail code=2 bf-fetch 2>err &&
	test_grep "missing command" err &&
	test_must_fail code=2 bf-fetch frobnicate -s BTCUSDT 2>err &&
	test_grep "unknown command .frobnicate." err
'

test_expect_success '--help lists the commands and every option' '
	bf-fetch --help >out &&
	test_grep "bf-fetch klines" out &&
	grep -q -e "--weight-budget" out &&
	bf-fetch klines --help >out2 &&
	test_cmp out out2
'

test_expect_success 'unknown interval' '
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 7m 2>err &&
	test_grep "interval .7m.: unknown" err
'

test_expect_success 'unparsable times, --start after --end' '
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 1h --start soon 2>err &&
	test_grep "start: time .soon." err &&
	test_must_fail code=2 bf-fetch funding -s BTCUSDT --end 2024-13-01 2>err &&
	test_grep "end:" err &&
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 1h \
		--start 2024-02-01 --end 2024-01-01 2>err &&
	test_grep "start 2024-02-01 is after --end 2024-01-01" err
'

test_expect_success 'missing symbol, bad options' '
	test_must_fail code=2 bf-fetch klines -i 1h 2>err &&
	test_grep "needs -s SYMBOL" err &&
	test_must_fail code=2 bf-fetch klines -s BTCUSDT 2>err &&
	test_grep "needs one -i" err &&
	test_must_fail code=2 bf-fetch depth -s BTCUSDT --levels 7 2>err &&
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 1h --price last2 2>err &&
	test_must_fail code=2 bf-fetch oi -s BTCUSDT --period 3m 2>err &&
	test_must_fail code=2 bf-fetch klines -s "BTC USDT" -i 1h 2>err &&
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 1h --weight-budget x 2>err &&
	test_must_fail code=2 bf-fetch trades -s BTCUSDT --source archive 2>err &&
	test_must_fail code=2 bf-fetch klines -s BTCUSDT -i 1h --base-url ftp://x 2>err &&
	test_grep "must start with http" err &&
	test_must_fail code=2 bf-fetch sync -s BTCUSDT -i 1h 2>err &&
	test_grep "needs --store" err
'

test_expect_success 'a bad configuration file' '
	printf "[exchange]\nretries = many\n" >bad.conf &&
	test_must_fail code=2 bf-fetch klines -c bad.conf -s BTCUSDT -i 1h 2>err &&
	test_grep "retries" err
'

# Real BTCUSDT data served by the fake exchange: the output is the file.
if test_have_prereq SHARED_DATA && test_have_prereq FAKE_EXCHANGE; then
	start_fake_exchange \
		--csv-klines "1h=$SHARED_DATA/binance_um_BTCUSDT_1h_klines_12col_2026-07-01_2026-07-07.csv" \
		--csv-funding "$SHARED_DATA/binance_um_BTCUSDT_funding.csv"
fi

test_expect_success SHARED_DATA 'real 1h klines come back exactly' '
	f="$SHARED_DATA/binance_um_BTCUSDT_1h_klines_12col_2026-07-01_2026-07-07.csv" &&
	bf-fetch klines -s BTCUSDT -i 1h --start 2026-07-01 \
		--end 2026-07-07T23:00:00Z >out.csv &&
	test_cmp "$f" out.csv
'

test_expect_success SHARED_DATA 'real funding history comes back exactly' '
	f="$SHARED_DATA/binance_um_BTCUSDT_funding.csv" &&
	bf-fetch funding -s BTCUSDT --start 2019-01-01 --end 2026-06-01 >out.csv &&
	test_cmp "$f" out.csv
'

test_done
