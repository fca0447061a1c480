#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-infer on a slice of the real 1h BTCUSDT klines through bf-features
# (SHARED_DATA only): one epoch of the long model, a stream, and an
# evaluation whose every row is complete.

. "$(dirname "$0")/test-lib.sh"

OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
export OPENBLAS_CORETYPE

test_expect_success SHARED_DATA 'features of 2500 real hourly klines' '
	head -2501 "$SHARED_DATA/binance_um_BTCUSDT_1h_klines.csv" |
	    bf-features >f.csv &&
	test $(wc -l <f.csv) -eq 2501
'

test_expect_success SHARED_DATA 'train, run and eval the long model' '
	bf-infer train --model long --out l.model --epochs 1 --stride 8 \
	    --horizons 1d,7d --train-end 2019-11-30 -q <f.csv &&
	bf-infer run --model-file l.model <f.csv >out.csv &&
	tail -1 out.csv | awk -F, "{ exit !(\$NF ~ /^long-/) }" &&
	bf-infer eval --model-file l.model <f.csv >rep.csv &&
	test $(wc -l <rep.csv) -eq 11 &&
	awk -F, "NR > 1 && \$3 == \"1d\" { if (\$19 <= 0 || \$19 > 0.1) exit 1 }" rep.csv
'

test_done
