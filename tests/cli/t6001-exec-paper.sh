#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-exec --mode paper: the same fills as bf-sim on the same rows, a
# journal that survives kill -9 and a torn write, the kill switch, the
# circuit breakers, and the Prometheus metrics.

. "$(dirname "$0")/test-lib.sh"

# 400 hourly bars with targets that change, some missing, stops on
# some, and funding every 8 hours announced in the rows' own columns.
bars() {
	awk -v n=400 -v step=3600000 -f "$SRC_DIR/tests/cli/gen-bars.awk" |
	awk -F, 'BEGIN { OFS = "," }
	NR == 1 {
		print $1, $2, $3, $4, $5, $6, "target", "stop_price",
		    "funding_time", "funding_rate"
		next
	}
	{
		k = NR % 9
		t = k < 3 ? 1.5 : k < 6 ? -1 : k < 8 ? 0.5 : 0
		if (NR % 13 == 0) t = ""
		s = ""
		if (NR % 17 == 0 && t > 0) s = sprintf("%.1f", $5 * 0.998)
		ft = $1 - ($1 % 28800000) + 28800000
		fr = sprintf("%.6f", ((NR * 7) % 11 - 4) / 10000)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%.0f,%s\n", $1, $2, $3, $4, $5,
		    $6, t, s, ft, fr
	}'
}

# Per-bar position from the events (file $1) checked against bf-sim's
# equity stream (file $2), and the fees summed.
same_fills() {
	awk -F, 'NR == FNR {
		if (FNR > 1) { pos[$1] += ($5 == "BUY" ? $7 : -$7); fee += $12 }
		next
	}
	FNR == 1 { next }
	{
		cum += pos[$1]; d = cum - $3; if (d < 0) d = -d
		if (d > 1e-9) { print "bar " $1 ": " cum " != " $3; bad = 1 }
		f = $8
	}
	END {
		d = f - fee; if (d < 0) d = -d
		if (d > 1e-6 * f) { print "fees " fee " != " f; bad = 1 }
		exit bad
	}' "$1" "$2"
}

test_expect_success 'help lists every long option' '
	bf-exec --help >out &&
	for o in mode symbol journal run-id metrics-listen kill-file \
	    max-daily-loss max-notional max-orders-per-day equity fee-maker \
	    fee-taker fee-liquidation slippage-bps margin leverage order \
	    rebalance brackets step tick min-notional; do
		grep -q -- "--$o" out || { echo "missing --$o"; return 1; }
	done
'

test_expect_success 'bad option values are usage errors' '
	bars >in.csv &&
	test_must_fail code=2 bf-exec --mode moon <in.csv 2>err &&
	test_grep "mode" err &&
	test_must_fail code=2 bf-exec --run-id "a-b" <in.csv 2>err &&
	test_grep "run id" err &&
	test_must_fail code=2 bf-exec --max-daily-loss 2 <in.csv &&
	test_must_fail code=2 bf-exec --metrics-listen nowhere <in.csv
'

test_expect_success 'bad rows are data errors with the line' '
	printf "open_time,open,high,low,close,target\n0,1,1,1,1,0\n0,1,1,1,1,0\n" |
	test_must_fail code=3 bf-exec 2>err &&
	test_grep "stdin:3: time 0 is not after" err
'

test_expect_success 'paper fills are bf-sim fills, bar by bar (market)' '
	bars >in.csv &&
	bf-exec --slippage-bps 3 <in.csv >ev.csv &&
	bf-sim --slippage-bps 3 <in.csv >eq.csv &&
	test $(wc -l <ev.csv) -gt 100 &&
	grep -q STOP_MARKET ev.csv &&
	same_fills ev.csv eq.csv
'

test_expect_success 'paper fills are bf-sim fills (limit, always, isolated)' '
	bf-exec --order limit --rebalance always --margin isolated \
	    -l 5 <in.csv >ev.csv &&
	bf-sim --order limit --rebalance always --margin isolated \
	    -l 5 <in.csv >eq.csv &&
	grep -q ",LIMIT," ev.csv &&
	same_fills ev.csv eq.csv
'

test_expect_success 'config/bf.conf states the built-in defaults' '
	bf-exec --run-id c1 <in.csv >def.csv &&
	bf-exec --run-id c1 -c "$SRC_DIR/config/bf.conf" <in.csv >conf.csv &&
	test_cmp def.csv conf.csv &&
	BF_EXEC_MAX_NOTIONAL=5000 bf-exec --run-id c1 <in.csv >env.csv &&
	! cmp -s def.csv env.csv
'

test_expect_success 'JSON in, JSON events out' '
	awk -F, "NR > 1 && NR < 40 { printf \"{\\\"open_time\\\":%s,\\\"open\\\":%s,\\\"high\\\":%s,\\\"low\\\":%s,\\\"close\\\":%s,\\\"target\\\":%s}\\n\", \$1, \$2, \$3, \$4, \$5, (\$7 == \"\" ? \"null\" : \$7) }" in.csv >in.json &&
	bf-exec <in.json >ev.json &&
	jq -e -s "length > 5 and all(.[]; .status == \"FILLED\" and (.qty | type) == \"number\")" ev.json
'

test_expect_success 'a journal survives kill -9 and resumes where it stopped' '
	bf-exec --run-id r1 --journal full.jnl -u <in.csv >full.csv &&
	{ head -n 201 in.csv; sleep 30; } |
	bf-exec --run-id r1 --journal part.jnl -u >part1.csv &
	n=0 &&
	while [ "$(grep -c "\"kind\":\"bar\"" part.jnl 2>/dev/null)" != 200 ]; do
		n=$((n + 1)); [ $n -lt 100 ] || return 1; sleep 0.1
	done &&
	pkill -9 -f "bf-exec --run-id r1 --journal part.jnl" ;
	wait ;
	bf-exec --journal part.jnl -u <in.csv >part2.csv 2>err &&
	{ cat part1.csv; tail -n +2 part2.csv; } >joined.csv &&
	test_cmp full.csv joined.csv &&
	test_cmp full.jnl part.jnl
'

test_expect_success 'a torn write is cut off at the last whole bar' '
	cp full.jnl torn.jnl &&
	grep "\"kind\":\"order\"" full.jnl | tail -n 1 >tail.jnl &&
	printf "{\"kind\":\"bar\",\"ti" >>tail.jnl &&
	cat tail.jnl >>torn.jnl &&
	bf-exec --journal torn.jnl <in.csv >out.csv 2>err &&
	test_grep "cut off $(wc -c <tail.jnl) bytes" err &&
	test_grep "events without their bar dropped" err &&
	test_cmp full.jnl torn.jnl &&
	test $(wc -l <out.csv) -eq 1
'

test_expect_success 'a journal written with other settings is refused' '
	test_must_fail code=2 bf-exec --journal full.jnl --slippage-bps 9 \
	    <in.csv 2>err &&
	test_grep "other settings" err &&
	test_must_fail code=2 bf-exec --journal full.jnl --run-id zz \
	    <in.csv 2>err &&
	test_grep "run id" err
'

test_expect_success 'two processes cannot share a journal' '
	{ sleep 3; } | bf-exec --journal full.jnl >/dev/null 2>&1 &
	sleep 0.5 &&
	test_must_fail code=1 bf-exec --journal full.jnl <in.csv 2>err ;
	rc=$? ; wait ; test $rc -eq 0 &&
	test_grep "in use by another process" err
'

test_expect_success 'the kill switch flattens at the next open and stops' '
	rm -f kill &&
	test_must_fail code=1 sh -c "{ head -n 51 in.csv; sleep 1; touch kill; tail -n +52 in.csv; } |
	    bf-exec --kill-file kill >ev.csv 2>err" &&
	test_grep "kill switch" err &&
	t=$(sed -n 52p in.csv | cut -d, -f1) &&
	tail -n 1 ev.csv | grep -q "^$t,.*,kill_switch$" &&
	awk -F, "NR > 1 { p += (\$5 == \"BUY\" ? \$7 : -\$7) } END { exit (p < 1e-9 && p > -1e-9) ? 0 : 1 }" ev.csv &&
	test_must_fail code=1 bf-exec --kill-file kill <in.csv 2>err &&
	test_grep "not starting" err
'

test_expect_success 'max daily loss: flat for the rest of the day' '
	{
		echo open_time,open,high,low,close,target
		echo 0,100,100,100,100,2
		echo 3600000,100,100,90,90,2
		echo 7200000,90,90,90,90,2
		echo 10800000,90,90,90,90,-1
		echo 14400000,90,90,90,90,1
		echo 86400000,90,90,90,90,1
		echo 90000000,90,90,90,90,1
	} >day.csv &&
	bf-exec --max-daily-loss 0.1 --fee-taker 0 <day.csv >ev.csv 2>err &&
	test_grep "max daily loss" err &&
	cut -d, -f1,5,13 ev.csv >got &&
	printf "time,side,reason\n3600000,BUY,signal\n7200000,SELL,max_daily_loss\n86400000,BUY,signal\n" >want &&
	test_cmp want got
'

test_expect_success 'max notional caps every fill' '
	bf-exec --max-notional 5000 <in.csv >ev.csv &&
	awk -F, "NR > 1 && \$13 == \"signal\" { n++ } END { exit n > 10 ? 0 : 1 }" ev.csv &&
	bf-exec --max-notional 5000 <in.csv | awk -F, "NR > 1 {
		p += (\$5 == \"BUY\" ? \$7 : -\$7); v = p * \$11; if (v < 0) v = -v
		if (\$13 == \"signal\" && v > 5000 * 1.001) { print; bad = 1 } }
		END { exit bad }"
'

test_expect_success 'max orders per day holds changed targets' '
	bf-exec --max-orders-per-day 2 <in.csv >ev.csv &&
	awk -F, "NR > 1 && \$13 == \"signal\" { d = int(\$1 / 86400000); n[d]++ }
		END { for (d in n) if (n[d] > 2) exit 1 }" ev.csv
'

test_expect_success 'Prometheus metrics while trading' '
	{ cat in.csv; sleep 3; } |
	bf-exec -v --metrics-listen 127.0.0.1:0 >ev.csv 2>err &
	n=0 &&
	while ! grep -q "port [0-9]" err; do
		n=$((n + 1)); [ $n -lt 50 ] || return 1; sleep 0.1
	done &&
	port=$(sed -n "s/.*(port \([0-9]*\)).*/\1/p" err) &&
	sleep 0.5 &&
	curl -sf --max-time 5 "http://127.0.0.1:$port/metrics" >m.txt &&
	wait &&
	for k in rows_total orders_total fills_total errors_total equity \
	    position pnl halted last_event_timestamp_seconds; do
		grep -q "^bf_exec_$k{mode=\"paper\",symbol=\"BTCUSDT\"} " m.txt ||
		{ echo "no $k"; return 1; }
	done &&
	grep -q "^bf_exec_rows_total{.*} 400$" m.txt &&
	if command -v promtool >/dev/null; then promtool check metrics <m.txt; fi
'

test_done
