#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run-all.sh - run every tests/cli/t[0-9]*.sh and sum their results into
# one closing line "N passed, N failed".  Each script is bounded in time
# (BF_TEST_TIMEOUT seconds, default 300).  Arguments are passed on (-v, -i).
# A pattern in T selects scripts: T='t1*' tests/cli/run-all.sh
dir=$(cd "$(dirname "$0")" && pwd)
: "${BF_TEST_TIMEOUT:=300}"
pass=0
fail=0
skip=0
failed_scripts=
for t in "$dir"/${T:-t[0-9]*}.sh; do
	[ -f "$t" ] || continue
	out=$(timeout -k 10 "$BF_TEST_TIMEOUT" sh "$t" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^# .*: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	skip=$((skip + ${s:-0}))
	if [ $rc -ne 0 ]; then
		[ -z "$f" ] || [ "$f" -eq 0 ] && fail=$((fail + 1))
		failed_scripts="$failed_scripts $(basename "$t")"
	fi
done
[ -n "$failed_scripts" ] && echo "failed scripts:$failed_scripts"
if [ $skip -gt 0 ]; then
	echo "cli: $pass passed, $fail failed, $skip skipped"
else
	echo "cli: $pass passed, $fail failed"
fi
[ $fail -eq 0 ]
