#!/bin/sh
# SPDX-License-Identifier: MIT
#
# fetch.sh - bf-fetch throughput: a year of 1m klines (525 600 rows) from
# the local fake exchange (tests/fake-exchange) with the rate limiter off
# (--weight-budget 0, fake --weight-limit 0).  The first run includes the
# fake exchange generating the data; the second is served from its cache,
# so its wall time is the client's.  Client CPU is bf-fetch's own user +
# system time.  Also: the same year as NDJSON, and `sync` into a store
# (gzip level 6).  The real data in ../shared/data is not needed: the
# fake exchange generates klines of the same shape.
dir=$(cd "$(dirname "$0")" && pwd)
: "${BF_BUILD:=$dir/../build}"
fake="$dir/../tests/fake-exchange/fake-exchange"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
timeout 600 /usr/bin/python3 "$fake" --port-file "$tmp/port" \
	--weight-limit 0 --cache >"$tmp/fake.log" 2>&1 &
pid=$!
n=0
while [ ! -s "$tmp/port" ]; do
	n=$((n + 1))
	[ $n -gt 100 ] && { echo "fetch.sh: fake exchange did not start"; exit 1; }
	sleep 0.1
done
url="http://127.0.0.1:$(cat "$tmp/port")"
fetch="$BF_BUILD/bin/bf-fetch"

# run LABEL ARGS...: time one bf-fetch run and print the figures.
run() {
	label=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$fetch" "$@" \
		--base-url "$url" --weight-budget 0 >"$tmp/out" || exit 1
	rows=$1
	read -r wall user sys <"$tmp/time"
	awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" \
	    -v r="$ROWS" 'BEGIN {
		c = u + s; if (c <= 0) c = 0.005;
		printf "%-34s rows %d  wall %.2f s  client cpu %.2f s  %.2f M rows/s of client cpu\n",
		    l, r, w, c, r / c / 1e6 }'
}

Y="--start 2023-01-01 --end 2023-12-31T23:59:59.999Z"
ROWS=525600
# shellcheck disable=SC2086
run "klines 1m, 1 year, CSV (cold)" klines -s BTCUSDT -i 1m $Y
got=$(($(wc -l <"$tmp/out") - 1))
[ "$got" -eq $ROWS ] || { echo "fetch.sh: $got rows, want $ROWS"; exit 1; }
# shellcheck disable=SC2086
run "klines 1m, 1 year, CSV (warm)" klines -s BTCUSDT -i 1m $Y
# shellcheck disable=SC2086
run "klines 1m, 1 year, NDJSON (warm)" klines -s BTCUSDT -i 1m $Y -o json
# shellcheck disable=SC2086
run "sync 1m, 1 year, gzip store (warm)" sync --store "$tmp/store" \
	-s BTCUSDT -i 1m $Y
