#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-infer with the long model on small generated hourly data: train a
# few steps, stream the distribution columns (consistent quantiles,
# skew in range), evaluate against the volatility baselines.

. "$(dirname "$0")/test-lib.sh"

OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
export OPENBLAS_CORETYPE
SMALL="--window 24 --patch 6 --d-model 8 --heads 2 --stride 2 --epochs 2 --vol-halflife 5 --horizons 1h,6h"

test_expect_success 'setup: 700 hourly bars' '
	awk -v n=700 -v step=3600000 -f "$TEST_DIR/gen-bars.awk" >bars.csv
'

test_expect_success 'train the long model' '
	bf-infer train --model long --out l.model $SMALL -q \
	    --train-end 1701800000000 <bars.csv &&
	test_grep "^kind=long$" l.model &&
	test_grep "^horizons=1h,6h$" l.model &&
	test_grep "^horizon_bars=1,6$" l.model
'

test_expect_success 'run: mean, sd, skew and ordered quantiles per horizon' '
	bf-infer run --model-file l.model <bars.csv >out.csv &&
	head -1 out.csv | grep -q ",f2,mu_1h,sigma_1h,skew_1h,q10_1h,q50_1h,q90_1h,mu_6h,sigma_6h,skew_6h,q10_6h,q50_6h,q90_6h,model_id\$" &&
	awk -F, "NR > 1 && \$10 != \"\" { n++;
	    if (!(\$11 > 0 && \$12 > -0.9954 && \$12 < 0.9954 && \$13 < \$14 && \$14 < \$15 && \$17 > 0 && \$19 < \$21)) bad++ }
	    END { exit !(n > 600 && bad == 0) }" out.csv
'

test_expect_success 'eval: one row per model and horizon, baselines first' '
	bf-infer eval --model-file l.model <bars.csv >rep.csv &&
	cut -d, -f2,3 rep.csv >got &&
	cat >expect <<-\EOT &&
	model,horizon
	gauss_ewma,1h
	gauss_garch,1h
	t_garch,1h
	linear,1h
	model,1h
	gauss_ewma,6h
	gauss_garch,6h
	t_garch,6h
	linear,6h
	model,6h
	EOT
	test_cmp expect got &&
	awk -F, "NR > 1 { if (!(\$19 > 0 && \$25 >= 0 && \$25 <= 1)) exit 1 }" rep.csv &&
	awk -F, "NR == 4 { exit !(\$20 == 0 && \$33 != \"\") }" rep.csv
'

test_expect_success 'eval of a test span without outcomes fails cleanly' '
	test_must_fail code=3 bf-infer eval --model-file l.model \
	    --start 1702500000000 <bars.csv 2>err &&
	test_grep "too few to evaluate" err
'

test_done
