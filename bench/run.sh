#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh - run every benchmark script bench/*.sh (not this one) in order.
# Each prints its figures on stdout.  BF_BUILD is the build directory;
# SHARED_DATA the real data set when present (else scripts generate data).
# A pattern in B selects scripts: B='rec*' bench/run.sh
dir=$(cd "$(dirname "$0")" && pwd)
: "${BF_BUILD:=$dir/../build}"
# ../shared/data beside the checkout (or beside a worktree's parent).
if [ -z "${SHARED_DATA:-}" ]; then
	SHARED_DATA=$(cd "$dir/../.." && pwd)/shared/data
	[ -d "$SHARED_DATA" ] || SHARED_DATA=$(cd "$dir/../../.." && pwd)/shared/data
fi
PATH="$BF_BUILD/bin:$dir/../scripts:$PATH"
export BF_BUILD SHARED_DATA PATH
status=0
for b in "$dir"/${B:-*}.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || status=1
done
exit $status
