#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bf-infer with the short model on small generated data: train a few
# steps, stream, evaluate; a file and a row-at-a-time pipe agree; no
# look-ahead; training is reproducible; foreign and damaged model files
# are refused with clear messages.

. "$(dirname "$0")/test-lib.sh"

# Fixed BLAS kernels and one thread make outputs bit-reproducible.
OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
export OPENBLAS_CORETYPE
SMALL="--window 12 --patch 3 --d-model 8 --heads 2 --layers 1 --stride 2 --epochs 2 --vol-halflife 5 --horizons 3m"

test_expect_success 'setup: 900 one-minute bars' '
	awk -v n=900 -v step=60000 -f "$TEST_DIR/gen-bars.awk" >bars.csv &&
	test $(wc -l <bars.csv) -eq 901
'

test_expect_success 'train writes a model file and reports progress' '
	bf-infer train --model short --out m.model $SMALL <bars.csv 2>err &&
	head -1 m.model >magic &&
	echo "bf-model 1" >expect &&
	test_cmp expect magic &&
	test_grep "epoch 1/2: train loss" err &&
	test_grep "^features=f1,f2$" m.model &&
	test_grep "^horizon_bars=3$" m.model
'

test_expect_success 'training is reproducible from the seed' '
	bf-infer train --model short --out m2.model $SMALL -q <bars.csv &&
	cmp m.model m2.model
'

test_expect_success 'run appends the signal columns, empty before the window fills' '
	bf-infer run --model-file m.model <bars.csv >out.csv &&
	head -1 out.csv >hdr &&
	echo "open_time,open,high,low,close,volume,symbol,f1,f2,p_up,p_down,p_neutral,signal,confidence,model_id" >expect &&
	test_cmp expect hdr &&
	test $(wc -l <out.csv) -eq 901 &&
	sed -n 2p out.csv | grep -q ",,,,,,\$" &&
	tail -1 out.csv | awk -F, "{ s = \$10 + \$11 + \$12; exit !(s > 0.999999 && s < 1.000001 && \$14 >= \$10 && \$15 ~ /^short-/) }"
'

test_expect_success 'a pipe delivering one row at a time gives the same bytes' '
	while IFS= read -r l; do printf "%s\n" "$l"; done <bars.csv |
	    bf-infer run --model-file m.model >pipe.csv &&
	cmp out.csv pipe.csv
'

test_expect_success 'no look-ahead: truncating the input keeps earlier rows' '
	head -401 bars.csv | bf-infer run --model-file m.model >short.csv &&
	head -401 out.csv >expect &&
	test_cmp expect short.csv
'

test_expect_success 'JSON in, JSON out' '
	awk -F, "NR==1{for(i=1;i<=NF;i++)h[i]=\$i;next}{printf \"{\";for(i=1;i<=NF;i++)printf \"%s\\\"%s\\\":%s\",(i>1?\",\":\"\"),h[i],(h[i]==\"symbol\"?\"\\\"\"\$i\"\\\"\":\$i);print \"}\"}" bars.csv >bars.json &&
	bf-infer run --model-file m.model <bars.json >out.json &&
	tail -1 out.json | jq -e ".model_id | startswith(\"short-\")" >/dev/null
'

test_expect_success 'eval reports the model against prior and logreg' '
	bf-infer train --model short --out half.model $SMALL -q --train-end 1700030000000 <bars.csv &&
	bf-infer eval --model-file half.model <bars.csv >rep.csv &&
	cut -d, -f2 rep.csv >models &&
	printf "model\nprior\nlogreg\nmodel\n" >expect &&
	test_cmp expect models &&
	awk -F, "NR==2 { exit !(\$33 != \"\" && \$11 == 0) }" rep.csv &&
	awk -F, "NR>1 { if (\$10 <= 0 || \$14 < 0 || \$14 > 1) exit 1 }" rep.csv
'

test_expect_success 'a model from another feature set is refused' '
	sed "1s/f2/other/" bars.csv >renamed.csv &&
	test_must_fail code=3 bf-infer run --model-file m.model <renamed.csv 2>err &&
	test_grep "no column .f2., a feature of model short-" err
'

test_expect_success 'rows of another interval are refused' '
	awk -v n=50 -v step=3600000 -f "$TEST_DIR/gen-bars.awk" >hourly.csv &&
	test_must_fail code=3 bf-infer run --model-file m.model <hourly.csv 2>err &&
	test_grep "rows 3600000 ms apart, but model short-.* on rows 60000 ms apart" err &&
	test_must_fail code=3 bf-infer eval --model-file m.model <hourly.csv 2>err &&
	test_grep "rows 3600000 ms apart" err
'

test_expect_success 'a truncated model file is refused' '
	head -c 3000 m.model >trunc.model &&
	test_must_fail code=3 bf-infer run --model-file trunc.model <bars.csv 2>err &&
	test_grep "trunc.model: truncated" err
'

test_expect_success 'a corrupt model file is refused' '
	size=$(wc -c <m.model) &&
	cp m.model bad.model &&
	printf "\377" | dd of=bad.model bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null &&
	test_must_fail code=3 bf-infer run --model-file bad.model <bars.csv 2>err &&
	test_grep "checksum mismatch" err &&
	test_must_fail code=3 bf-infer run --model-file bars.csv <bars.csv 2>err &&
	test_grep "not a bf model file" err
'

test_expect_success 'a bad number is a data error with its line' '
	awk -F, -v OFS=, "NR == 300 { \$8 = \"x1\" } 1" bars.csv >bad.csv &&
	test_must_fail code=3 bf-infer train --model short --out x $SMALL <bad.csv 2>err &&
	test_grep "stdin:300: column .f1.: not a number" err &&
	test_must_fail code=3 bf-infer run --model-file m.model <bad.csv >/dev/null 2>err &&
	test_grep "stdin:300: column .f1.: invalid number .x1." err &&
	awk -F, -v OFS=, "NR == 20 { \$5 = \"n/a\" } 1" bars.csv >badc.csv &&
	test_must_fail code=3 bf-infer eval --model-file m.model <badc.csv 2>err &&
	test_grep "stdin:20: column .close.: not a number" err
'

test_expect_success 'usage errors exit 2' '
	test_must_fail code=2 bf-infer 2>err &&
	test_grep "missing subcommand" err &&
	test_must_fail code=2 bf-infer train --model short <bars.csv &&
	test_must_fail code=2 bf-infer train --model medium --out x <bars.csv &&
	test_must_fail code=2 bf-infer run &&
	test_must_fail code=2 bf-infer fly
'

test_expect_success 'empty input: run writes nothing, train fails cleanly' '
	: >empty &&
	bf-infer run --model-file m.model <empty >out &&
	test ! -s out &&
	test_must_fail code=3 bf-infer train --model short --out x <empty
'

test_done
