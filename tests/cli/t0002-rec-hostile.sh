#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Hostile input to the record layer: each case gives the documented
# result or a one-line error naming the line, exit 3, never a crash or a
# hang.  Live flushing, closed pipes and full disks.

. "$(dirname "$0")/test-lib.sh"

PASS="$BF_BUILD/bench/rec-pass"

# expect_data_error NAME 'MESSAGE': stdin from file NAME; column v numeric.
expect_data_error() {
	test_must_fail code=3 "$PASS" -n v <"$1" >/dev/null 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "$2" err
}

test_expect_success 'header only gives header only' '
	printf "a,b\n" >in && "$PASS" <in >out && test_cmp in out
'

test_expect_success 'duplicate header names' '
	printf "a,b,a\n1,2,3\n" >in &&
	expect_data_error in "^rec-pass: stdin:1: duplicate column .a.$"
'

test_expect_success 'ragged rows' '
	printf "a,b\n1,2\n3\n" >in &&
	expect_data_error in "stdin:3: 1 fields, the header has 2"
'

test_expect_success 'quoted commas, quotes and newlines round-trip' '
	printf "a,b\n\"1,5\",\"x\"\"y\"\n\"l1\nl2\",z\n" >in &&
	"$PASS" <in >out && test_cmp in out &&
	"$PASS" -o json <in >out.json &&
	printf "{\"a\":\"1,5\",\"b\":\"x\\\\\"y\"}\n{\"a\":\"l1\\\\nl2\",\"b\":\"z\"}\n" >expect &&
	test_cmp expect out.json
'

test_expect_success 'NUL byte' '
	printf "a\n1\n2\0\n" >in &&
	expect_data_error in "stdin:3: NUL byte in field 1"
'

test_expect_success 'invalid UTF-8 passes through CSV' '
	printf "a\n\377\376\n" >in && "$PASS" <in >out && test_cmp in out
'

test_expect_success 'a 2 MiB line is an error, not a hang' '
	{ echo a; head -c 2097152 /dev/zero | tr "\0" x; echo; } >in &&
	expect_data_error in "stdin:2: record longer than 1048576 bytes"
'

test_expect_success 'non-object JSON lines' '
	printf "{\"a\":1}\n[1]\n" >in &&
	expect_data_error in "stdin:2: not a JSON object"
'

test_expect_success 'numbers: 1e309 and nan are invalid, -0 is zero' '
	printf "v\n1e309\n" >in &&
	expect_data_error in "stdin:2: column .v.: invalid number .1e309." &&
	printf "v\nnan\n" >in &&
	expect_data_error in "invalid number .nan." &&
	printf "v\n-0\n" >in && "$PASS" -n v <in >out && test_cmp in out
'

test_expect_success 'empty and blank-only input' '
	: >in && "$PASS" <in >out && test ! -s out &&
	printf "\n\n" >in && "$PASS" <in >out && test ! -s out
'

test_expect_success 'a record reaches a pipe before the input ends' '
	mkfifo fifo &&
	{ (printf "a,b\n1,2\n"; sleep 3; printf "3,4\n") >fifo & } &&
	{ "$PASS" <fifo >out & } &&
	sleep 1.5 &&
	printf "a,b\n1,2\n" >expect &&
	test_cmp expect out &&
	wait &&
	printf "a,b\n1,2\n3,4\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a closed pipe ends quietly' '
	seq 1 200000 | sed "1s/^/n\n/" >in &&
	"$PASS" <in 2>err | head -n 1 >out &&
	echo n >expect && test_cmp expect out &&
	test ! -s err
'

test_expect_success 'a full disk is an error' '
	test ! -w /dev/full ||
	{ printf "a\n1\n" >in &&
	  test_must_fail code=1 "$PASS" <in >/dev/full 2>err &&
	  test_grep "write error: No space left on device" err; }
'

test_done
