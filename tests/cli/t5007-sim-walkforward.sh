#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-walkforward: window bounds (expanding and rolling, purge, a short
# last window), the per-window files, placeholders and environment, and
# the chained and combined out-of-sample backtests.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'a 100-row hourly series' '
	awk "BEGIN { print \"open_time,open,high,low,close\"
		for (i = 0; i < 100; i++) { p = 100 + i % 7
			printf \"%d,%d,%d,%d,%d\n\", i * 3600000, p, p + 1, p - 1, p } }" >in.csv
'

test_expect_success 'expanding windows with a purge gap' '
	bf-walkforward -i in.csv --train 40 --test 20 --purge 5 --out wf -- \
	    "bf-baseline hold <{test} >{signals}" 2>err &&
	printf "1 1 40 46 65\n2 1 60 66 85\n3 1 80 86 100\n" >expect &&
	test_cmp expect wf/windows.txt &&
	test $(wc -l <wf/w002/train.csv) -eq 61 &&
	test $(wc -l <wf/w003/test.csv) -eq 16 &&
	sed -n 2p wf/w001/test.csv | cut -d, -f1 >t &&
	echo 162000000 >expect && test_cmp expect t &&
	test -s wf/w001/summary.json && test -s wf/w003/trades.csv &&
	test $(wc -l <wf/oos-equity.csv) -eq 56 &&
	test $(wc -l <wf/windows.csv) -eq 4 &&
	test_grep "3 windows" err
'

test_expect_success 'each window starts from the previous final equity' '
	e1=$(jq .final_equity wf/w001/summary.json) &&
	e2=$(jq .initial_equity wf/w002/summary.json) &&
	test_approx "$e1" "$e2" 1e-11
'

test_expect_success 'rolling windows and durations' '
	bf-walkforward -i in.csv --train 1d --test 12h --step 1d --mode rolling \
	    --out rw --no-sim -- "bf-baseline hold <{test}" 2>/dev/null &&
	printf "1 1 24 25 36\n2 25 48 49 60\n3 49 72 73 84\n4 73 96 97 100\n" >expect &&
	test_cmp expect rw/windows.txt &&
	test -s rw/w004/signals.csv && test ! -e rw/w001/summary.json
'

test_expect_success 'placeholders and environment reach the command' '
	bf-walkforward -i in.csv --train 80 --test 20 --out pe --no-sim -- \
	    "echo {window} \$BF_WF_WINDOW \$BF_WF_TEST_START \$BF_WF_TRAIN_END >{model} &&
	     test {train} = \$BF_WF_TRAIN && test {dir} = \$(pwd) &&
	     cmp {input} \$BF_WF_INPUT && cmp {input} ../../in.csv &&
	     cp {test} {signals}" 2>/dev/null &&
	echo "1 1 288000000 284400000" >expect &&
	test_cmp expect pe/w001/model &&
	test_grep "\"test_start\": 288000000" pe/w001/params.json
'

test_expect_success 'a failing command or bad options stop it' '
	test_must_fail code=1 bf-walkforward -i in.csv --train 40 --test 20 \
	    --out f1 -- false 2>err &&
	test_grep "window 1: the command failed" err &&
	test_must_fail code=2 bf-walkforward -i in.csv --test 20 -- true &&
	test_must_fail code=2 bf-walkforward -i in.csv --train 4x --test 20 -- true &&
	test_must_fail code=2 bf-walkforward -i in.csv --train 4 --test 2 \
	    --mode sideways -- true &&
	test_must_fail code=1 bf-walkforward -i in.csv --train 200 --test 2 -- true
'

test_done
