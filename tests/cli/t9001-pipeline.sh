#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The whole pipeline, fetch -> features -> risk -> sim, against the fake
# exchange's generated market: it runs, it is deterministic, every bar
# reaches the backtest, and the demo script works.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-fake-exchange.sh"

test_have_prereq FAKE_EXCHANGE && start_fake_exchange --weight-limit 0 --no-gaps

pipeline() {
	bf-fetch klines -s BTCUSDT -i 1h --start 2024-01-01 --end 2024-03-31T23:00:00Z >k.csv &&
	bf-fetch funding -s BTCUSDT --start 2024-01-01 --end 2024-03-31T23:00:00Z >f.csv &&
	bf-features --funding f.csv <k.csv >feat.csv &&
	awk -F, -v OFS=, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; print \$0, \"signal\"; next }
		{ s = \"\"; if (\$c[\"ema_50\"] != \"\") s = (\$c[\"close\"] > \$c[\"ema_50\"]) ? 1 : -1; print \$0, s }" \
		feat.csv >sig.csv &&
	bf-risk --sizing fixed --size 2 --stop-atr 3 <sig.csv >tgt.csv &&
	bf-sim --funding f.csv --trades trades.csv --summary summary.json <tgt.csv >eq.csv
}

test_expect_success FAKE_EXCHANGE 'the pipeline runs end to end' '
	pipeline &&
	test $(wc -l <k.csv) -eq 2185 &&
	test $(wc -l <eq.csv) -eq 2185 &&
	test $(wc -l <f.csv) -eq 274 &&
	jq -e ".bars == 2184 and .trades > 0 and .fees_paid > 0" summary.json
'

test_expect_success FAKE_EXCHANGE 'every stage keeps the columns before it' '
	head -n 1 k.csv >cols.k && head -n 1 feat.csv | cut -d, -f1-11 >cols.f &&
	test_cmp cols.k cols.f &&
	head -n 1 tgt.csv | grep -q "^$(head -n 1 sig.csv),"
'

test_expect_success FAKE_EXCHANGE 'the pipeline is deterministic' '
	mkdir first && mv k.csv f.csv feat.csv tgt.csv eq.csv trades.csv summary.json first/ &&
	pipeline &&
	for f in k.csv f.csv feat.csv tgt.csv eq.csv trades.csv summary.json; do
		cmp first/$f $f || return 1
	done
'

test_expect_success FAKE_EXCHANGE 'the same pipeline as NDJSON gives the same numbers' '
	bf-features -o json --funding f.csv <k.csv >feat.json &&
	bf-features -o csv --funding f.csv <feat.json >feat2.csv &&
	cmp feat.csv feat2.csv
'

test_expect_success FAKE_EXCHANGE 'the demo script runs' '
	SHARED_DATA=/nonexistent bf-demo --dir demo --start 2024-01-01 --end 2024-01-31T23:00:00Z >out 2>err &&
	test_grep "^final_equity" out &&
	test -s demo/summary.json
'

test_done
