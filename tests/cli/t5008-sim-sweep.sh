#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-sweep: the grid (lists and ranges), placeholders, one table row per
# run with failures recorded, real bf-sim runs, and --sshloginfile with
# this machine as the only host.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'a 2 x 3 grid of a fake run' '
	bf-sweep -j 2 --out sw -p a=1,2 -p b=10:30:10 -- \
	    "echo \"{\\\"sum\\\": \$(({a} + {b})), \\\"dir\\\": \\\"\$(basename {dir})\\\"}\" >{summary}" 2>err &&
	cat >expect <<-\EOT &&
	run,a,b,status,sum,dir
	0001,1,10,ok,11,"run-0001"
	0002,1,20,ok,21,"run-0002"
	0003,1,30,ok,31,"run-0003"
	0004,2,10,ok,12,"run-0004"
	0005,2,20,ok,22,"run-0005"
	0006,2,30,ok,32,"run-0006"
	EOT
	test_cmp expect sw/results.csv &&
	test_grep "6 runs" err
'

test_expect_success 'a failed run is a row, not the end' '
	bf-sweep --out sf -p x=1,2,3 -- \
	    "test {x} -ne 2 && echo \"{\\\"x\\\": {x}}\" >{summary}" 2>/dev/null &&
	sed -n 3p sf/results.csv >row &&
	echo "0002,2,failed," >expect &&
	test_cmp expect row
'

test_expect_success 'real backtests, spread with an sshloginfile' '
	awk "BEGIN { print \"open_time,open,high,low,close\"
		for (i = 0; i < 300; i++) { p = 100 + 10 * sin(i / 9)
			printf \"%d,%.2f,%.2f,%.2f,%.2f\n\", i * 3600000, p, p + 1, p - 1, p } }" >in.csv &&
	echo : >hosts &&
	bf-sweep -i in.csv --sshloginfile hosts --out real -p fast=3,5 -p slow=20 -- \
	    "bf-baseline macross --fast {fast} --slow {slow} <{input} |
	     bf-sim --no-equity --summary {summary}" 2>/dev/null &&
	test $(grep -c ",ok," real/results.csv) -eq 2 &&
	head -1 real/results.csv | grep "^run,fast,slow,status,bars,.*,sharpe," &&
	test_grep "\"fast\": \"5\"" real/run-0002/params.json
'

test_expect_success 'usage errors' '
	test_must_fail code=2 bf-sweep -- true &&
	test_must_fail code=2 bf-sweep -p "bad name=1" -- true &&
	test_must_fail code=2 bf-sweep -p x=1 &&
	test_must_fail code=2 bf-sweep -p x=1 -j 0 -- true
'

test_done
