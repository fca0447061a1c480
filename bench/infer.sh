#!/bin/sh
# SPDX-License-Identifier: MIT
#
# infer.sh - bf-infer speed: training samples per second of both models,
# the wall time of a long-model retrain on 5 years of hourly rows, and
# the per-row latency of `bf-infer run` with the short model (median and
# 99th percentile, as `bf-infer run -v` measures it: from reading a row
# to writing its output).
#
# Uses bf-features on the real klines in $SHARED_DATA when present, else
# generated bars of the same length (2 features).  One libtorch thread;
# OPENBLAS_CORETYPE defaults to Haswell (bf-infer(1), ENVIRONMENT).
set -eu
: "${OPENBLAS_CORETYPE:=Haswell}"
export OPENBLAS_CORETYPE
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

m1=$SHARED_DATA/binance_um_BTCUSDT_1m_klines_2025-05-04_2025-06-24.csv
h1=$SHARED_DATA/binance_um_BTCUSDT_1h_klines.csv
if [ -r "$m1" ] && [ -r "$h1" ]; then
	src="real klines through bf-features"
	bf-features <"$m1" >"$tmp/m.csv"
	bf-features <"$h1" >"$tmp/h.csv"
else
	src="generated bars (2 features)"
	awk -v n=73139 -v step=60000 -f "$dir/../tests/cli/gen-bars.awk" >"$tmp/m.csv"
	awk -v n=58623 -v step=3600000 -f "$dir/../tests/cli/gen-bars.awk" >"$tmp/h.csv"
fi
echo "input: $src; OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE, 1 thread"

# speed LOG: the mean training samples/s over the epochs of LOG.
speed() {
	sed -n 's/.*, \([0-9]*\) samples\/s.*/\1/p' "$1" |
	    awk '{ s += $1; n++ } END { printf "%.0f", n ? s / n : 0 }'
}

# Short model: 3 epochs at the default stride, then the stream filter.
bf-infer train --model short --out "$tmp/s.model" --epochs 3 --patience 3 \
    <"$tmp/m.csv" 2>"$tmp/s.log"
params=$(sed -n 's/.*model: \([0-9]*\) parameters.*/\1/p' "$tmp/s.log")
echo "short train: $params parameters, $(speed "$tmp/s.log") samples/s"
bf-infer run -v --model-file "$tmp/s.model" <"$tmp/m.csv" >/dev/null 2>"$tmp/r.log"
sed -n 's/.*info: /short run: /p' "$tmp/r.log"

# Long model: a full retrain (defaults: up to 20 epochs, early stopping)
# on the first 5 years of hourly rows.
first=$(awk -F, 'NR == 2 { print $1; exit }' "$tmp/h.csv")
last=$(awk -v f="$first" 'BEGIN { printf "%.0f", f + 5 * 365.25 * 86400000 }')
t0=$(date +%s.%N)
bf-infer train --model long --out "$tmp/l.model" --train-end "$last" \
    <"$tmp/h.csv" 2>"$tmp/l.log"
t1=$(date +%s.%N)
params=$(sed -n 's/.*model: \([0-9]*\) parameters.*/\1/p' "$tmp/l.log")
epochs=$(grep -c 'epoch [1-9]' "$tmp/l.log")
echo "long train (5 years of 1h rows): $params parameters, $(speed "$tmp/l.log") samples/s, $epochs epochs, $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s wall"
bf-infer run -v --model-file "$tmp/l.model" <"$tmp/h.csv" >/dev/null 2>"$tmp/r.log"
sed -n 's/.*info: /long run: /p' "$tmp/r.log"

# The worst case: all 20 epochs, no early stop.
t0=$(date +%s.%N)
bf-infer train --model long --out "$tmp/l.model" --train-end "$last" \
    --patience 20 <"$tmp/h.csv" 2>"$tmp/l.log"
t1=$(date +%s.%N)
echo "long train, 20 epochs without early stopping: $(speed "$tmp/l.log") samples/s, $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s wall"
