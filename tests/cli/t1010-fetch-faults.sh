#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch under faults: 429 with and without Retry-After, 5xx, dropped
# connections, malformed and slow answers are waited out or retried and
# the output is still every row exactly once; 418 and refusals stop with
# the exchange's message and exit 1; retries are bounded.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

NOW=$(($(date +%s) * 1000))
S=1704067200000
E=1704335999999
fetch() {
	bf-fetch klines -s BTCUSDT -i 1m --start $S --end $E "$@"
}

test_have_prereq FAKE_EXCHANGE && start_fake_exchange

test_expect_success FAKE_EXCHANGE 'the reference answer' '
	"$EXPECT" klines klines BTCUSDT 1m $S $E $NOW >expect.csv &&
	test $(wc -l <expect.csv) -eq 4481
'

test_expect_success FAKE_EXCHANGE '429 with Retry-After is waited out, then no duplicates' '
	fake_ctl reset &&
	fake_ctl "fault?spec=429,retry_after=2,after=1" &&
	t0=$(date +%s%N) &&
	fetch -v >out.csv 2>err &&
	t1=$(date +%s%N) &&
	test_cmp expect.csv out.csv &&
	test $(( (t1 - t0) / 1000000 )) -ge 1900 &&
	test "$(fake_stat violations)" = 0 &&
	test "$(fake_stat rate_limited)" = 1 &&
	test_grep "1 rate limited" err
'

test_expect_success FAKE_EXCHANGE '5xx, drops, malformed and slow answers are retried' '
	fake_ctl reset &&
	fake_ctl "fault?spec=500" &&
	fake_ctl "fault?spec=502,after=1" &&
	fake_ctl "fault?spec=503,after=1" &&
	fake_ctl "fault?spec=drop,after=2" &&
	fake_ctl "fault?spec=badjson,after=2" &&
	fake_ctl "fault?spec=504" &&
	fetch -v >out.csv 2>err &&
	test_cmp expect.csv out.csv &&
	test "$(fake_stat faults)" = 6 &&
	# curl itself resends once on a connection the server dropped
	grep "requests (\(5\|6\) retried" err
'

test_expect_success FAKE_EXCHANGE 'a slow answer past --timeout is retried' '
	fake_ctl reset &&
	fake_ctl "fault?spec=slow,ms=3000" &&
	fetch --timeout 1 -v >out.csv 2>err &&
	test_cmp expect.csv out.csv &&
	test_grep "1 retried" err
'

test_expect_success FAKE_EXCHANGE 'retries are bounded' '
	fake_ctl reset &&
	fake_ctl "fault?spec=503,count=5" &&
	test_must_fail code=1 fetch --retries 2 >out.csv 2>err &&
	test_grep "HTTP 503 (after 3 tries)" err
'

test_expect_success FAKE_EXCHANGE '418 stops at once with the exchange message' '
	fake_ctl reset &&
	fake_ctl "fault?spec=418,after=1" &&
	test_must_fail code=1 fetch >out.csv 2>err &&
	test_grep "IP banned by the exchange: Way too many requests; IP banned until" err &&
	test "$(fake_stat requests)" = 2
'

test_expect_success FAKE_EXCHANGE 'refusals: code and message, exit 1, no output' '
	test_must_fail code=1 bf-fetch klines -s NOSUCH -i 1h >out 2>err &&
	test_grep "bf-fetch: symbol NOSUCH: Invalid symbol (-1121)" err &&
	test ! -s out &&
	test_must_fail code=1 bf-fetch funding -s NOSUCH >out 2>err &&
	test_grep "(-1121)" err
'

test_expect_success 'an unreachable exchange fails after the retries' '
	test_must_fail code=1 bf-fetch klines -s BTCUSDT -i 1h \
		--base-url http://127.0.0.1:9 --retries 1 2>err &&
	test_grep "after 2 tries" err
'

# The exchange's own limit: 25 weight per 2 s window (pages weigh 10).
test_have_prereq FAKE_EXCHANGE &&
	start_fake_exchange --weight-limit 25 --window-seconds 2 --ban-after 1

test_expect_success FAKE_EXCHANGE 'the weight limit: 429s waited out, never a ban' '
	fetch -v >out.csv 2>err &&
	test_cmp expect.csv out.csv &&
	test "$(fake_stat violations)" = 0 &&
	test "$(fake_stat banned)" = 0 &&
	test "$(fake_stat rate_limited)" -ge 1 &&
	test "$(fake_stat weight_max)" -le 25
'

test_expect_success FAKE_EXCHANGE 'a client that ignores 429 gets 418' '
	fake_ctl reset &&
	for i in 1 2 3 4; do
		curl -s -o /dev/null -w "%{http_code}\n" \
			"$FAKE_URL/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1500"
	done >codes &&
	grep -q 418 codes &&
	test "$(fake_stat banned)" = 1 &&
	test_must_fail code=1 fetch 2>err &&
	test_grep "IP banned" err
'

test_have_prereq FAKE_EXCHANGE &&
	start_fake_exchange --fault-rate 0.3 --seed 7 \
	    --fault-kinds 429,500,502,503,drop,badjson

test_expect_success FAKE_EXCHANGE 'random 429s and 5xx: still exact' '
	bf-fetch klines -s BTCUSDT -i 1m --start $S --end $E --retries 20 \
		-v >out.csv 2>err &&
	test_cmp expect.csv out.csv &&
	test "$(fake_stat violations)" = 0 &&
	test "$(fake_stat faults)" -gt 0 &&
	bf-fetch funding -s BTCUSDT --start 2021-01-01 --end 1704067199999 \
		--retries 20 >fout.csv &&
	"$EXPECT" funding BTCUSDT 1609459200000 1704067199999 >fexpect.csv &&
	test_cmp fexpect.csv fout.csv
'

test_done
