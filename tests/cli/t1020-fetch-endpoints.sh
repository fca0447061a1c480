#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-fetch funding, oi, premium, depth, trades, aggtrades, info and
# brackets against the fake exchange: schemas, exact text, paging.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

test_have_prereq FAKE_EXCHANGE && start_fake_exchange

test_expect_success FAKE_EXCHANGE 'funding over many pages, jittered times included' '
	bf-fetch funding -s BTCUSDT --start 2019-09-01 --end 1704067199999 >out.csv &&
	"$EXPECT" funding BTCUSDT 1567296000000 1704067199999 >expect.csv &&
	test_cmp expect.csv out.csv &&
	test $(wc -l <out.csv) -gt 4000 &&
	grep -q "^[0-9]*2,BTCUSDT," out.csv &&
	grep -q ",BTCUSDT,[-0-9.]*,$" out.csv
'

test_expect_success FAKE_EXCHANGE 'open interest history by period' '
	bf-fetch oi -s BTCUSDT --period 1h --start -2d >out.csv &&
	head -n 1 out.csv >hdr &&
	echo "time,symbol,open_interest,open_interest_value" >hexp &&
	test_cmp hexp hdr &&
	n=$(($(wc -l <out.csv) - 1)) && test $n -ge 46 && test $n -le 48 &&
	awk -F, "NR>2 && \$1 - p != 3600000 {exit 1} {p=\$1}" out.csv &&
	bf-fetch oi -s BTCUSDT --period 5m --start -3d >out5.csv &&
	n=$(($(wc -l <out5.csv) - 1)) && test $n -ge 860 && test $n -le 864 &&
	awk -F, "NR>2 && \$1 - p != 300000 {exit 1} {p=\$1}" out5.csv
'

test_expect_success FAKE_EXCHANGE 'oi --now' '
	bf-fetch oi -s BTCUSDT --now -o json >out.json &&
	jq -e ".symbol == \"BTCUSDT\" and .open_interest > 0 and .open_interest_value == null" out.json
'

test_expect_success FAKE_EXCHANGE 'premium index' '
	bf-fetch premium -s BTCUSDT >out.csv &&
	test $(wc -l <out.csv) -eq 2 &&
	head -n 1 out.csv | grep -x "time,symbol,mark_price,index_price,funding_rate,next_funding_time" &&
	tail -n 1 out.csv | grep ",BTCUSDT,[0-9.]*,[0-9.]*,0.00010000,[0-9]*$"
'

test_expect_success FAKE_EXCHANGE 'depth in long form' '
	bf-fetch depth -s BTCUSDT --levels 5 >out.csv &&
	test $(wc -l <out.csv) -eq 11 &&
	awk -F, "NR>1 {print \$2, \$3}" out.csv | tr "\n" " " >sides &&
	printf "bid 1 bid 2 bid 3 bid 4 bid 5 ask 1 ask 2 ask 3 ask 4 ask 5 " >sexp &&
	test_cmp sexp sides &&
	awk -F, "NR==2{b=\$4} NR==7{a=\$4} END{exit !(a > b)}" out.csv
'

test_expect_success FAKE_EXCHANGE 'recent trades' '
	bf-fetch trades -s BTCUSDT --limit 7 -o json >out.json &&
	test $(wc -l <out.json) -eq 7 &&
	jq -e "has(\"quote_qty\") and (.is_buyer_maker == \"true\" or .is_buyer_maker == \"false\")" out.json >/dev/null
'

test_expect_success FAKE_EXCHANGE 'aggregate trades over hours: every trade once' '
	bf-fetch aggtrades -s BTCUSDT --start 1704067200000 \
		--end 1704078000000 >out.csv &&
	"$EXPECT" aggtrades BTCUSDT 1704067200000 1704078000000 >expect.csv &&
	test_cmp expect.csv out.csv &&
	test $(wc -l <out.csv) -gt 40000
'

test_expect_success FAKE_EXCHANGE 'aggregate trades across the maintenance gap' '
	bf-fetch aggtrades -s BTCUSDT --start 1581210000000 \
		--end 1581222000000 >out.csv &&
	"$EXPECT" aggtrades BTCUSDT 1581210000000 1581222000000 >expect.csv &&
	test_cmp expect.csv out.csv
'

test_expect_success FAKE_EXCHANGE 'symbol filters' '
	bf-fetch info -s BTCUSDT -o json >out.json &&
	jq -e ".tick_size == 0.10 and .step_size == 0.001 and .min_notional == 100 and .status == \"TRADING\"" out.json &&
	grep -q "\"tick_size\":0.10," out.json &&
	test_must_fail code=1 bf-fetch info -s NOPE 2>err &&
	test_grep "Invalid symbol (-1121)" err
'

test_expect_success FAKE_EXCHANGE 'brackets: signed, numbers keep their text' '
	BF_API_KEY=fake-key BF_API_SECRET=fake-secret \
		bf-fetch brackets -s BTCUSDT >out.csv &&
	cat >expect.csv <<-\EOT &&
	symbol,bracket,initial_leverage,notional_floor,notional_cap,maint_margin_ratio,cum
	BTCUSDT,1,125,0,50000,0.004,0.0
	BTCUSDT,2,100,50000,600000,0.005,50.0
	BTCUSDT,3,75,600000,3000000,0.0065,950.0
	EOT
	test_cmp expect.csv out.csv
'

test_expect_success FAKE_EXCHANGE 'brackets: no key is a usage error, a bad secret a refusal' '
	test_must_fail code=2 bf-fetch brackets -s BTCUSDT 2>err &&
	test_grep "BF_API_KEY" err &&
	BF_API_KEY=fake-key BF_API_SECRET=wrong-secret-value \
		test_must_fail code=1 bf-fetch brackets -s BTCUSDT 2>err &&
	test_grep "Signature for this request is not valid (-1022)" err &&
	! grep -q wrong-secret-value err
'

# A server clock 8 s ahead: the first signed request is refused (-1021),
# bf-fetch measures the offset and signs again.
test_have_prereq FAKE_EXCHANGE && start_fake_exchange --clock-skew-ms 8000

test_expect_success FAKE_EXCHANGE 'brackets: a skewed clock is measured and corrected' '
	BF_API_KEY=fake-key BF_API_SECRET=fake-secret \
		bf-fetch brackets -s BTCUSDT -v >out.csv 2>err &&
	test $(wc -l <out.csv) -eq 4 &&
	fake_ctl stats | grep -q "\"/fapi/v1/time\": 1" &&
	fake_ctl stats | grep -q "\"/fapi/v1/leverageBracket\": 2"
'

test_have_prereq FAKE_EXCHANGE && start_fake_exchange --clock-skew-ms -8000

test_expect_success FAKE_EXCHANGE 'brackets: a server clock behind ours too' '
	BF_API_KEY=fake-key BF_API_SECRET=fake-secret \
		bf-fetch brackets -s ETHUSDT >out.csv &&
	test $(wc -l <out.csv) -eq 4
'

test_done
