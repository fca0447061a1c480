#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch --source archive: monthly and daily Binance Vision zips from the
# fake exchange, checksums verified, files with and without a header, and
# the REST tail: the result equals a REST-only fetch.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

NOW=$(($(date +%s) * 1000))
HOUR=$((NOW / 3600000 * 3600000))
# Three months back, from the first of the month.
START=$(date -u -d "$(date -u +%Y-%m-01) -3 months" +%Y-%m-%d)
# Files of the month after START have a header, older ones none.
HDR=$(date -u -d "$START +1 month" +%Y-%m)

test_have_prereq FAKE_EXCHANGE && start_fake_exchange --header-since "$HDR"

test_expect_success FAKE_EXCHANGE 'klines: archive + REST tail = REST' '
	bf-fetch klines -s BTCUSDT -i 1h --start $START --end $((HOUR - 1)) \
		>rest.csv &&
	fake_ctl reset &&
	bf-fetch klines -s BTCUSDT -i 1h --start $START --end $((HOUR - 1)) \
		--source archive --archive-url "$FAKE_URL" >arch.csv &&
	test_cmp rest.csv arch.csv &&
	fake_ctl stats >stats &&
	grep -q "\"/data/\": [1-9]" stats &&
	test $(wc -l <arch.csv) -gt 2000
'

test_expect_success FAKE_EXCHANGE 'mark price klines from the archive, 1d' '
	bf-fetch klines -s BTCUSDT -i 1d --price mark --start $START \
		--end $((HOUR - 1)) >rest.csv &&
	bf-fetch klines -s BTCUSDT -i 1d --price mark --start $START \
		--end $((HOUR - 1)) --source archive --archive-url "$FAKE_URL" >arch.csv &&
	test_cmp rest.csv arch.csv
'

test_expect_success FAKE_EXCHANGE 'a range inside one old month' '
	bf-fetch klines -s BTCUSDT -i 15m --start 2021-03-03T10:00:00Z \
		--end 2021-03-05 >rest.csv &&
	bf-fetch klines -s BTCUSDT -i 15m --start 2021-03-03T10:00:00Z \
		--end 2021-03-05 --source archive --archive-url "$FAKE_URL" >arch.csv &&
	test_cmp rest.csv arch.csv &&
	test $(wc -l <arch.csv) -eq 154
'

test_expect_success FAKE_EXCHANGE 'a maintenance gap in an archive file is reported' '
	bf-fetch klines -s BTCUSDT -i 1h --start 2020-02-08 --end 2020-02-10 \
		--source archive --archive-url "$FAKE_URL" >arch.csv 2>err &&
	test_grep "gap: 1581213600000 1581217200000 2 " err
'

test_expect_success FAKE_EXCHANGE 'funding: the archive has no mark price' '
	bf-fetch funding -s BTCUSDT --start $START --end $((HOUR - 1)) >rest.csv &&
	bf-fetch funding -s BTCUSDT --start $START --end $((HOUR - 1)) \
		--source archive --archive-url "$FAKE_URL" >arch.csv &&
	cut -d, -f1-3 rest.csv >a && cut -d, -f1-3 arch.csv >b &&
	test_cmp a b &&
	test $(wc -l <arch.csv) -gt 200 &&
	sed -n 2p arch.csv | grep ",$" &&
	tail -n 1 arch.csv | grep -v ",$"
'

test_expect_success FAKE_EXCHANGE 'open interest from the daily metrics files' '
	s=$(( (NOW - 20 * 86400000) / 86400000 * 86400000 )) &&
	bf-fetch oi -s BTCUSDT --period 1h --start $s --end $((HOUR - 1)) >rest.csv &&
	bf-fetch oi -s BTCUSDT --period 1h --start $s --end $((HOUR - 1)) \
		--source archive --archive-url "$FAKE_URL" >arch.csv &&
	test_cmp rest.csv arch.csv &&
	test $(wc -l <arch.csv) -gt 400
'

test_expect_success FAKE_EXCHANGE 'a checksum mismatch is an error' '
	fake_ctl reset &&
	fake_ctl "fault?spec=badsum" &&
	test_must_fail code=1 bf-fetch klines -s BTCUSDT -i 1h --start $START \
		--end $((HOUR - 1)) --source archive --archive-url "$FAKE_URL" \
		>out.csv 2>err &&
	test_grep "checksum mismatch" err
'

# The same files served from a directory, as --archive-dir does.
if test_have_prereq FAKE_EXCHANGE; then
	d=vision/data/futures/um/monthly/klines/BTCUSDT/1d
	mkdir -p $d &&
	curl -sf -o $d/BTCUSDT-1d-2022-01.zip \
		"$FAKE_URL/data/futures/um/monthly/klines/BTCUSDT/1d/BTCUSDT-1d-2022-01.zip" &&
	(cd $d && sha256sum BTCUSDT-1d-2022-01.zip >BTCUSDT-1d-2022-01.zip.CHECKSUM)
	bf-fetch klines -s BTCUSDT -i 1d --start 2022-01-01 \
		--end 2022-01-31T23:59:59.999Z >rest.csv
	start_fake_exchange --archive-dir "$TRASH/vision"
fi

test_expect_success FAKE_EXCHANGE 'archive files from a directory' '
	bf-fetch klines -s BTCUSDT -i 1d --start 2022-01-01 \
		--end 2022-01-31T23:59:59.999Z --source archive \
		--archive-url "$FAKE_URL" >arch.csv &&
	test_cmp rest.csv arch.csv &&
	test $(wc -l <arch.csv) -eq 32 &&
	fake_ctl stats | grep -q "\"/data/\": 2"
'

test_done
