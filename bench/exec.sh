#!/bin/sh
# SPDX-License-Identifier: MIT
#
# exec.sh - bf-exec's speed: paper mode throughput end to end on one
# million 1m bars (the 1m klines of ../shared/data repeated with shifted
# times when present, else a generated random walk; the target flips
# between -1, 0 and 1 every 500 bars), beside bf-sim on the same rows;
# paper mode with the journal (an fsync per bar) on 20000 of them; and
# against the fake exchange on loopback, the time per row that makes an
# order in stream mode (account, position, the order, its fills: four
# signed requests, 16 of weight: 100 rows stay inside the 1800 a minute
# of the weight budget), and a one-shot order end to end (a process: clock,
# exchangeInfo, the order, its fills).  Best of three for throughput,
# medians for latency.
set -u
exec_bin="$BF_BUILD/bin/bf-exec"
sim="$BF_BUILD/bin/bf-sim"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
n=1000000

src="$SHARED_DATA/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv"
if [ -f "$src" ]; then
	what="1m klines of ../shared/data, repeated"
	awk -F, -v OFS=, -v n=$n 'NR == 1 { print $0, "target"; next }
		{ row[++k] = $0; t0 = (k == 1 ? $1 : t0) }
		END {
			for (i = 0; i < n; i++) {
				split(row[i % k + 1], f, ",")
				f[1] = sprintf("%.0f", t0 + i * 60000)
				s = f[1]
				for (j = 2; j <= 11; j++) s = s "," f[j]
				print s, (int(i / 500) % 3) - 1
			}
		}' "$src" >"$tmp/bars.csv"
else
	what="generated 1m random walk"
	awk -v n=$n 'BEGIN {
		srand(7); t = 1746372780000; p = 95000
		print "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_volume,taker_buy_quote_volume,target"
		for (i = 0; i < n; i++) {
			o = p; p += (rand() - 0.5) * 40; h = (o > p ? o : p) + rand() * 10
			l = (o < p ? o : p) - rand() * 10; v = rand() * 100
			printf "%.0f,%.1f,%.1f,%.1f,%.1f,%.3f,,,,,,%d\n", t, o, h, l, p, v, (int(i / 500) % 3) - 1
			t += 60000
		}
	}' >"$tmp/bars.csv"
fi
head -n 20001 "$tmp/bars.csv" >"$tmp/bars20k.csv"

# best ROWS INPUT CMD...: the best of three runs of CMD < INPUT, as rows
# per second of wall time.
best() {
	rows=$1 in=$2
	shift 2
	for _ in 1 2 3; do
		rm -f "$tmp/j.jnl"
		t0=$(date +%s.%N)
		"$@" <"$in" >/dev/null || exit 1
		t1=$(date +%s.%N)
		echo "$t0 $t1"
	done | awk -v n="$rows" '{
		w = n / ($2 - $1); if (w > bw) bw = w
	} END {
		if (bw >= 1e6) printf "%.2f M rows/s\n", bw / 1e6
		else printf "%.0f rows/s\n", bw
	}'
}

echo "input: $what, $n bars"
echo "bf-sim, equity stream: $(best $n "$tmp/bars.csv" "$sim")"
echo "bf-exec paper, events: $(best $n "$tmp/bars.csv" "$exec_bin" --run-id b1)"
echo "bf-exec paper, events + guards + metrics listener: $(best $n "$tmp/bars.csv" \
    "$exec_bin" --run-id b1 --max-daily-loss 0.5 --max-notional 1e9 \
    --metrics-listen 127.0.0.1:0)"
echo "bf-exec paper, journal (fsync per bar), 20000 bars: $(best 20000 \
    "$tmp/bars20k.csv" "$exec_bin" --run-id b1 --journal "$tmp/j.jnl")"
"$exec_bin" --run-id b1 --journal "$tmp/j.jnl" <"$tmp/bars20k.csv" >/dev/null
t0=$(date +%s.%N)
"$exec_bin" --journal "$tmp/j.jnl" <"$tmp/bars20k.csv" >/dev/null
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN {
	printf "restart: replay of a 20000-bar journal and skip: %.0f ms\n", (b - a) * 1000 }'

# The fake exchange on loopback.
if [ ! -x /usr/bin/python3 ]; then
	echo "no /usr/bin/python3: exchange latency not measured"
	exit 0
fi
timeout 300 /usr/bin/python3 "$top/tests/fake-exchange/fake-exchange" \
    --weight-limit 0 --port-file "$tmp/port" >"$tmp/fake.log" 2>&1 &
fake_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
BF_BASE_URL="http://127.0.0.1:$(cat "$tmp/port")"
BF_API_KEY=fake-key
BF_API_SECRET=fake-secret
export BF_BASE_URL BF_API_KEY BF_API_SECRET
rows=100
awk -v n=$rows 'BEGIN {
	print "open_time,open,high,low,close,target"
	for (i = 0; i < n; i++)
		printf "%.0f,100,100,100,100,%s\n", 1700000000000 + i * 60000, (i % 2 ? "-0.5" : "0.5")
}' >"$tmp/flip.csv"
t0=$(date +%s.%N)
"$exec_bin" --mode testnet --run-id x1 <"$tmp/flip.csv" >"$tmp/ev.csv" || exit 1
t1=$(date +%s.%N)
orders=$(($(wc -l <"$tmp/ev.csv") - 1))
awk -v a="$t0" -v b="$t1" -v n=$rows -v o="$orders" 'BEGIN {
	printf "stream mode on the fake exchange: %d rows, %d orders, %.2f ms per row (4 signed requests)\n", n, o, (b - a) * 1000 / n }'
for i in $(seq 1 21); do
	t0=$(date +%s.%N)
	"$exec_bin" order --mode testnet --side BUY --qty 0.01 >/dev/null || exit 1
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'
done | sort -n | awk '{ v[NR] = $1 } END {
	printf "one-shot order, whole process (4 requests): median %.1f ms, min %.1f ms\n", v[int((NR + 1) / 2)], v[1] }'
