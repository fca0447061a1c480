#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The bf-risk filter: each signal form and sizing rule on hand-computed
# rows, warm-up rows, refusals (keep and flat), passthrough, NDJSON, and
# bad input (exit 3 with the line number) and bad options (exit 2).

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'fixed sizing on signal, ATR stop and take-profit, 5x isolated' '
	printf "open_time,close,signal,atr_14\n1,60000,,\n2,60000,1,600\n3,61000,-0.5,610\n4,62000,0,600\n" >in.csv &&
	bf-risk --stop-atr 2 --tp-atr 4 --leverage 5 --margin isolated <in.csv >out.csv &&
	cat >expect <<-\EOT &&
	open_time,close,signal,atr_14,target,stop_price,take_profit,leverage,liq_price,liq_distance,liq_prob,funding_cost_1d,max_loss,reject_reason,liq_distance_atr
	1,60000,,,,,,,,,,,,,
	2,60000,1,600,1,58800,62400,5,48192.7710843,0.196787148594,,3,200,,19.6787148594
	3,61000,-0.5,610,-0.5,62220,58560,5,72908.3665339,0.195219123506,,-1.5,100,,19.5219123506
	4,62000,0,600,0,,,,,,,0,0,,
	EOT
	test_cmp expect out.csv
'

test_expect_success 'kelly on p_up/p_down: (p t - q s) / ((p + q) t s), halved, capped' '
	printf "close,p_up,p_down\n100,0.5,0.3\n100,0.3,0.5\n100,0.2,0.4\n100,0.1,0.1\n" >in.csv &&
	bf-risk --sizing kelly --stop-pct 2 --tp-pct 3 --cap 0 --min-notional 0 <in.csv >out.csv &&
	cut -d, -f4 out.csv >t &&
	printf "target\n9.375\n-9.375\n-11.1111111111\n4.16666666667\n" >expect &&
	test_cmp expect t &&
	printf "close,p_up,p_down\n100,0.3,0.3\n" >in.csv &&
	bf-risk --sizing kelly --stop-pct 2 --tp-pct 2 <in.csv >out.csv &&
	test "$(cut -d, -f4-6 out.csv | sed -n 2p)" = "0,,"
'

test_expect_success 'kelly and vol targeting on mu_H/sigma_H' '
	printf "close,mu_1d,sigma_1d\n60000,0.002,0.03\n60000,-0.004,0.03\n" >in.csv &&
	bf-risk --sizing kelly --kelly-fraction 1 --cap 0 <in.csv >out.csv &&
	cut -d, -f4 out.csv >t &&
	printf "target\n2.22222222222\n-4.44444444444\n" >expect &&
	test_cmp expect t &&
	bf-risk --sizing vol --target-vol 0.3 --cap 0 <in.csv >out.csv &&
	awk -F, "NR == 2 { print \$4 }" out.csv >t &&
	test_approx "$(cat t)" "$(awk "BEGIN { printf \"%.12g\", 0.3 / (0.03 * sqrt(365)) }")" 1e-11
'

test_expect_success 'risk sizing: 1 % of equity at a 2 % stop is 0.5x' '
	printf "close,signal\n100,-1\n" >in.csv &&
	bf-risk --sizing risk --risk-pct 1 --stop-pct 2 <in.csv >out.csv &&
	test "$(cut -d, -f3-6 out.csv | sed -n 2p)" = "-0.5,102,,1" &&
	test "$(cut -d, -f11 out.csv | sed -n 2p)" = 100
'

test_expect_success 'leverage sizing: size x L^(1 - damp)' '
	printf "close,signal\n100,1\n" >in.csv &&
	bf-risk --sizing leverage --size 0.1 --leverage 16 --lev-damp 0.5 <in.csv >out.csv &&
	test "$(cut -d, -f3 out.csv | sed -n 2p)" = 0.4
'

test_expect_success 'liq_prob from sigma_H over the liq horizon' '
	printf "close,mu_1d,sigma_1d\n60000,0.01,0.04\n" >in.csv &&
	bf-risk --sizing fixed --size 2 --leverage 10 --margin isolated --liq-horizon 4d <in.csv >out.csv &&
	lp=$(cut -d, -f8 out.csv | sed -n 2p) &&
	want=$(awk -v lp="$lp" "BEGIN { x = log(60000 / lp) / (0.04 * 2); printf \"%.12g\", 2 * (1 - 0.5 * (1 + erf_(x / sqrt(2)))) }
	    function erf_(z,  t, y) { t = 1 / (1 + 0.3275911 * z); y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-z * z); return y }") &&
	test_approx "$(cut -d, -f10 out.csv | sed -n 2p)" "$want" 1e-6
'

test_expect_success 'refusals: keep the previous target, or go flat' '
	printf "close,signal\n60000,0.5\n60000,1\n60000,0.004\n" >in.csv &&
	bf-risk --leverage 20 --margin isolated --max-notional 8000 <in.csv >keep.csv &&
	cut -d, -f3,12 keep.csv >t &&
	printf "target,reject_reason\n0.5,\n0.5,max_notional\n0.5,min_notional\n" >expect &&
	test_cmp expect t &&
	bf-risk --leverage 50 --margin isolated --liq-floor-pct 2 --on-reject flat <in.csv >flat.csv &&
	cut -d, -f3,12 flat.csv >t &&
	printf "target,reject_reason\n0,liq_pct\n0,liq_pct\n0,min_notional+liq_pct\n" >expect &&
	test_cmp expect t
'

test_expect_success 'leverage above a bracket maximum is refused per row' '
	printf "close,signal\n60000,1\n60000,-10\n" >in.csv &&
	bf-risk --leverage 100 --size 1 --cap 0 --equity 100000 <in.csv >out.csv &&
	cut -d, -f3,12 out.csv >t &&
	printf "target,reject_reason\n1,\n1,leverage\n" >expect &&
	test_cmp expect t
'

test_expect_success 'NDJSON in, NDJSON out; existing target column replaced in place' '
	printf "{\"close\":100,\"target\":9,\"signal\":1}\n" >in.json &&
	bf-risk --leverage 2 --min-notional 0 <in.json >out.json &&
	test "$(jq -c "[.close,.target,.signal,.leverage,.reject_reason]" out.json)" = "[100,1,1,2,null]"
'

test_expect_success 'empty input and header only' '
	: >empty && bf-risk <empty >out && test ! -s out &&
	printf "close,signal\n" >h.csv && bf-risk <h.csv >out &&
	test "$(cat out)" = "close,signal,target,stop_price,take_profit,leverage,liq_price,liq_distance,liq_prob,funding_cost_1d,max_loss,reject_reason"
'

test_expect_success 'bad data: exit 3 with the line number' '
	printf "close,signal\n100,1\n-5,1\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "stdin:3: column .close.: must be positive" err &&
	printf "close,signal\n0,1\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "stdin:2:" err &&
	printf "close,p_up,p_down\n100,1.2,0\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "stdin:2: column .p_up.: must be a probability" err &&
	printf "close,signal\n100,abc\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "stdin:2: column .signal.: invalid number" err
'

test_expect_success 'missing columns: exit 3 naming them' '
	printf "price,signal\n100,1\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "stdin:1: missing required column .close." err &&
	printf "close,x\n100,1\n" >in.csv &&
	test_must_fail code=3 bf-risk <in.csv >/dev/null 2>err &&
	test_grep "missing required column .signal." err &&
	printf "close,signal\n100,1\n" >in.csv &&
	test_must_fail code=3 bf-risk --stop-atr 2 <in.csv >/dev/null 2>err &&
	test_grep "missing required column .atr_14." err
'

test_expect_success 'bad options: exit 2' '
	printf "close,signal\n100,1\n" >in.csv &&
	test_must_fail code=2 bf-risk --sizing martingale <in.csv 2>err &&
	test_grep "must be kelly, fixed, vol, risk or leverage" err &&
	test_must_fail code=2 bf-risk --leverage 200 <in.csv 2>err &&
	test_grep "above the maximum 125" err &&
	test_must_fail code=2 bf-risk --leverage -1 <in.csv 2>err &&
	test_must_fail code=3 bf-risk --sizing kelly <in.csv 2>err &&
	test_grep "kelly sizing needs" err &&
	test_must_fail code=2 bf-risk --sizing kelly --form signal <in.csv 2>err &&
	test_grep "kelly sizing needs --form prob or mu" err &&
	test_must_fail code=2 bf-risk --sizing risk <in.csv 2>err &&
	test_must_fail code=2 bf-risk --entry 5 <in.csv 2>err &&
	test_grep "is for bf-risk calc" err &&
	test_must_fail code=2 bf-risk --stop-pct 2 --stop-atr 1 <in.csv 2>err
'

test_expect_success 'configuration: [risk] keys, flags win, bad value exit 2' '
	printf "[risk]\nsizing = risk\nrisk_pct = 2\nstop_pct = 4\n" >c.conf &&
	printf "close,signal\n100,1\n" >in.csv &&
	bf-risk -c c.conf <in.csv >out.csv &&
	test "$(cut -d, -f3 out.csv | sed -n 2p)" = 0.5 &&
	bf-risk -c c.conf --risk-pct 1 <in.csv >out.csv &&
	test "$(cut -d, -f3 out.csv | sed -n 2p)" = 0.25 &&
	BF_RISK_RISK_PCT=3 bf-risk -c c.conf <in.csv >out.csv &&
	test "$(cut -d, -f3 out.csv | sed -n 2p)" = 0.75 &&
	printf "[risk]\ncap = lots\n" >bad.conf &&
	test_must_fail code=2 bf-risk -c bad.conf <in.csv 2>err &&
	test_grep "\[risk\] cap" err
'

test_expect_success 'config/bf.conf states the built-in defaults' '
	printf "close,signal,atr_14,mu_1d,sigma_1d\n60000,1,600,0.01,0.03\n61000,-1,610,-0.01,0.03\n" >in.csv &&
	bf-risk <in.csv >plain.csv &&
	bf-risk -c "$SRC_DIR/config/bf.conf" <in.csv >conf.csv &&
	test_cmp plain.csv conf.csv &&
	bf-risk --sizing kelly <in.csv >plain.csv &&
	bf-risk -c "$SRC_DIR/config/bf.conf" --sizing kelly <in.csv >conf.csv &&
	test_cmp plain.csv conf.csv
'

test_done
