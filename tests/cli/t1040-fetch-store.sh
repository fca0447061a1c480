#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch sync and cat: the monthly store resumes, is idempotent, survives
# SIGKILL at any moment (the re-run yields the same files), and cat streams
# any range back exactly as a direct fetch gives it.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

S=1698796800000     # 2023-11-01
M=1704067199999     # 2023-12-31T23:59:59.999
E=1709251199999     # 2024-02-29T23:59:59.999

# A digest of every file of a store, by name.
store_sum() {
	(cd "$1" && find . -type f | sort | xargs sha256sum)
}

test_have_prereq FAKE_EXCHANGE && start_fake_exchange

test_expect_success FAKE_EXCHANGE 'first sync needs --start' '
	test_must_fail code=2 bf-fetch sync --store st -s BTCUSDT -i 1h 2>err &&
	test_grep "first sync needs --start" err
'

test_expect_success FAKE_EXCHANGE 'sync, then cat gives the fetched rows' '
	bf-fetch sync --store st -s BTCUSDT -i 1h -i 1d --start $S --end $M &&
	ls st/BTCUSDT/klines-1h >months &&
	printf "2023-11.csv.gz\n2023-12.csv.gz\n" >mexp &&
	test_cmp mexp months &&
	bf-fetch klines -s BTCUSDT -i 1h --start $S --end $M >expect.csv &&
	bf-fetch cat --store st -s BTCUSDT -i 1h >out.csv &&
	test_cmp expect.csv out.csv &&
	gzip -t st/BTCUSDT/klines-1h/2023-11.csv.gz &&
	bf-fetch cat --store st -s BTCUSDT -i 1d >d.csv &&
	test $(wc -l <d.csv) -eq 62
'

test_expect_success FAKE_EXCHANGE 'a re-run is idempotent' '
	store_sum st >before &&
	bf-fetch sync --store st -s BTCUSDT -i 1h -i 1d --start $S --end $M -v 2>err &&
	store_sum st >after &&
	test_cmp before after &&
	test_grep "0 new rows" err
'

test_expect_success FAKE_EXCHANGE 'resuming equals one sync over the whole range' '
	bf-fetch sync --store st -s BTCUSDT -i 1h --end $E &&
	bf-fetch sync --store one -s BTCUSDT -i 1h --start $S --end $E &&
	store_sum st/BTCUSDT/klines-1h >a &&
	store_sum one/BTCUSDT/klines-1h >b &&
	test_cmp a b
'

test_expect_success FAKE_EXCHANGE 'cat: a range across months, JSON' '
	bf-fetch klines -s BTCUSDT -i 1h --start 2023-12-30T05:00:00Z \
		--end 2024-01-02T07:00:00Z -o json >expect.json &&
	bf-fetch cat --store st -s BTCUSDT -i 1h --start 2023-12-30T05:00:00Z \
		--end 2024-01-02T07:00:00Z -o json >out.json &&
	test_cmp expect.json out.json
'

test_expect_success FAKE_EXCHANGE 'funding and mark price series' '
	bf-fetch sync --store st -s BTCUSDT --series funding --start $S --end $E &&
	bf-fetch funding -s BTCUSDT --start $S --end $E >expect.csv &&
	bf-fetch cat --store st -s BTCUSDT --series funding >out.csv &&
	test_cmp expect.csv out.csv &&
	bf-fetch sync --store st -s BTCUSDT -i 4h --price mark --start $S --end $E &&
	test -d st/BTCUSDT/mark-4h &&
	bf-fetch klines -s BTCUSDT -i 4h --price mark --start $S --end $E >expect.csv &&
	bf-fetch cat --store st -s BTCUSDT -i 4h --series mark >out.csv &&
	test_cmp expect.csv out.csv
'

test_expect_success FAKE_EXCHANGE 'SIGKILL at random moments, re-run: the same store' '
	bf-fetch sync --store ref -s BTCUSDT -i 1m --start $S --end $E &&
	store_sum ref >want &&
	for delay in 0.05 0.2 0.4 0.7 1.0; do
		rm -rf k &&
		{ bf-fetch sync --store k -s BTCUSDT -i 1m --start $S --end $E &
		  pid=$!; } &&
		sleep $delay &&
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		for f in k/BTCUSDT/klines-1m/*.csv.gz; do
			[ -e "$f" ] || continue
			gzip -t "$f" || return 1
		done &&
		bf-fetch sync --store k -s BTCUSDT -i 1m --start $S --end $E &&
		store_sum k >got &&
		test_cmp want got || return 1
	done
'

test_expect_success FAKE_EXCHANGE 'sync from the bulk archive: the same store' '
	bf-fetch sync --store arch -s BTCUSDT -i 1h --start $S --end $E \
		--source archive --archive-url "$FAKE_URL" &&
	store_sum arch/BTCUSDT/klines-1h >a &&
	store_sum one/BTCUSDT/klines-1h >b &&
	test_cmp a b &&
	fake_ctl stats | grep -q "\"/data/\": [1-9]"
'

test_expect_success FAKE_EXCHANGE 'a store that is not a directory is an error' '
	echo x >file &&
	test_must_fail code=1 bf-fetch sync --store file/sub -s BTCUSDT -i 1h \
		--start $S --end $M 2>err &&
	test_grep "store file" err
'

test_expect_success FAKE_EXCHANGE 'cat of a series not in the store' '
	test_must_fail code=2 bf-fetch cat --store st -s ETHUSDT -i 1h 2>err &&
	test_grep "no such series" err
'

test_done
