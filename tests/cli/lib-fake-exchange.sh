# SPDX-License-Identifier: MIT
#
# lib-fake-exchange.sh - start and stop the fake exchange for a CLI test
# (source it after test-lib.sh).
#
#	start_fake_exchange [fake-exchange options...]
#
# (at the top level of the script, not inside a test: test bodies run in
# subshells, whose variables and children do not outlive them)
#
# starts tests/fake-exchange/fake-exchange on 127.0.0.1 on a free port,
# waits (at most 10 s) until it listens, and sets FAKE_URL and
# BF_BASE_URL; it runs without a weight limit unless the options set one
# (--weight-limit N).  It is stopped when the script exits (trap), and lives at
# most FAKE_TIMEOUT seconds (default 300) in any case.  fake_ctl PATH
# queries its control endpoints (stats, fault?spec=..., reset).  With
# --ws-port-file "$TRASH/ws.port" it serves WebSocket streams too, at
# FAKE_WS_URL.
# The fake exchange needs /usr/bin/python3; without it the prerequisite
# FAKE_EXCHANGE is missing and the tests that need it are skipped.

FAKE_DIR="$SRC_DIR/tests/fake-exchange"
FAKE_PID=
# Never the real exchange: a closed port until the fake one runs.
FAKE_URL=http://127.0.0.1:9
BF_BASE_URL=$FAKE_URL
export BF_BASE_URL
# Tests fetch far more than 2400 weight a minute: neither side limits it
# unless a test asks (the budget itself is tested in check_market.c).
BF_EXCHANGE_WEIGHT_BUDGET=0
export BF_EXCHANGE_WEIGHT_BUDGET
EXPECT="$FAKE_DIR/expect"

if [ -x /usr/bin/python3 ] && command -v curl >/dev/null 2>&1; then
	test_set_prereq FAKE_EXCHANGE
fi

stop_fake_exchange() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}

start_fake_exchange() {
	stop_fake_exchange
	rm -f "$TRASH/fake.port" "$TRASH/ws.port"
	timeout "${FAKE_TIMEOUT:-300}" /usr/bin/python3 "$FAKE_DIR/fake-exchange" \
		--port-file "$TRASH/fake.port" --weight-limit 0 "$@" \
		>"$TRASH/fake.log" 2>&1 &
	FAKE_PID=$!
	n=0
	while [ ! -s "$TRASH/fake.port" ]; do
		n=$((n + 1))
		if [ $n -gt 100 ] || ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "fake exchange did not start:" >&2
			cat "$TRASH/fake.log" >&2
			FAKE_PID=
			return 1
		fi
		sleep 0.1
	done
	FAKE_URL="http://127.0.0.1:$(cat "$TRASH/fake.port")"
	if [ -s "$TRASH/ws.port" ]; then
		FAKE_WS_URL="ws://127.0.0.1:$(cat "$TRASH/ws.port")"
		export FAKE_WS_URL
	fi
	BF_BASE_URL=$FAKE_URL
	export BF_BASE_URL FAKE_URL
}

fake_ctl() {
	curl -sf --max-time 5 "$FAKE_URL/_ctl/$1"
}

# fake_stat KEY: one number from /_ctl/stats.
fake_stat() {
	fake_ctl stats | sed -n "s/.*\"$1\": \\([0-9]*\\).*/\\1/p"
}

trap stop_fake_exchange EXIT
