#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The record layer through the rec-pass test program: passthrough is
# byte-exact for canonical CSV, and formats convert both ways.

. "$(dirname "$0")/test-lib.sh"

PASS="$BF_BUILD/bench/rec-pass"

test_expect_success 'canonical CSV passes through byte for byte' '
	printf "open_time,open,close,symbol\n1,10.50,11,BTCUSDT\n2,,12,\"a,b\"\n" >in.csv &&
	"$PASS" <in.csv >out.csv &&
	test_cmp in.csv out.csv
'

test_expect_success 'CSV to JSON and back' '
	printf "t,p,s\n1,0.0010,x\n2,,\"q\"\"\"\n" >in.csv &&
	"$PASS" -o json <in.csv >out.json &&
	printf "{\"t\":1,\"p\":0.0010,\"s\":\"x\"}\n{\"t\":2,\"p\":null,\"s\":\"q\\\\\"\"}\n" >expect.json &&
	test_cmp expect.json out.json &&
	"$PASS" -o csv <out.json >back.csv &&
	test_cmp in.csv back.csv
'

test_expect_success 'empty input gives empty output' '
	: >empty &&
	"$PASS" <empty >out &&
	test_must_be_empty() { test ! -s "$1"; } &&
	test_must_be_empty out
'

test_done
