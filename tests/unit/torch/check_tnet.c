/* SPDX-License-Identifier: MIT */
/*
 * check_tnet.c - tests of the libtorch shim (shim/bf_torch.h) on small
 * generated data: every architecture and head trains a few steps and
 * lowers its loss on a learnable task; weights saved and loaded into a
 * network built with another seed give bit-identical outputs; training is
 * reproducible from the seed; weights of another architecture, a corrupt
 * buffer and a bad configuration are clean errors, not crashes.
 */
#include "compat.h"

#include <check.h>
#include <math.h>

#include "bf_torch.h"
#include "err.h"

Suite *tnet_suite(void);

enum { T = 12, F = 3, B = 32 };

static float xs[B * T * F], ys[B * 2];

/* A batch whose class / value follows the sign of the last input. */
static void
make_batch(int head)
{
	uint32_t st = 12345;

	for (int i = 0; i < B * T * F; i++) {
		st = st * 1664525u + 1013904223u;
		xs[i] = (float)((double)(st >> 8) / 16777216.0 - 0.5);
	}
	for (int b = 0; b < B; b++) {
		float last = xs[(b * T + T - 1) * F];
		if (head == BF_THEAD_CLASS) {
			ys[b] = last > 0.15f ? 2 : last < -0.15f ? 0 : 1;
		} else {
			ys[2 * b] = 3 * last;
			ys[2 * b + 1] = -2 * last;
		}
	}
}

static struct bf_tnet_cfg
cfg_for(int arch, int head, uint64_t seed)
{
	struct bf_tnet_cfg c;

	memset(&c, 0, sizeof(c));
	c.arch = arch;
	c.head = head;
	c.window = T;
	c.n_features = F;
	c.n_horizons = head == BF_THEAD_SPLITNORM ? 2 : 0;
	c.patch = 3;
	c.d_model = 8;
	c.n_heads = 2;
	c.n_layers = 1;
	c.d_ff = 16;
	c.dropout = 0.1;
	c.lr = 1e-2;
	c.weight_decay = 0;
	c.clip = 1;
	c.skew_penalty = 0.01;
	c.seed = seed;
	return c;
}

/* Train 'steps' steps; return the last loss. */
static double
train(struct bf_tnet *net, int steps)
{
	struct bf_err err = BF_ERR_INIT;
	double loss = NAN;

	for (int i = 0; i < steps; i++)
		ck_assert_msg(bf_tnet_train_step(net, xs, ys, B, &loss,
		    &err) == 0, "%s", err.msg);
	return loss;
}

/* Each architecture learns, saves and loads bit-exactly. */
static void
roundtrip(int arch, int head)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_tnet_cfg c = cfg_for(arch, head, 7), c2 = cfg_for(arch,
	    head, 99);
	struct bf_tnet *a, *b;
	float oa[B * 6], ob[B * 6];
	double before = 0, after = 0;
	char *buf = NULL;
	size_t len = 0;
	int no = bf_tnet_n_outputs(&c);

	make_batch(head);
	a = bf_tnet_new(&c, &err);
	ck_assert_msg(a != NULL, "%s", err.msg);
	ck_assert(bf_tnet_n_params(a) > 0);
	ck_assert_int_eq(bf_tnet_loss(a, xs, ys, B, &before, &err), 0);
	train(a, 60);
	ck_assert_int_eq(bf_tnet_loss(a, xs, ys, B, &after, &err), 0);
	ck_assert_msg(after < before, "loss %g -> %g", before, after);
	ck_assert_int_eq(bf_tnet_predict(a, xs, B, oa, &err), 0);
	ck_assert_int_eq(bf_tnet_save(a, &buf, &len, &err), 0);
	b = bf_tnet_new(&c2, &err);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(bf_tnet_predict(b, xs, B, ob, &err), 0);
	ck_assert(memcmp(oa, ob, sizeof(float) * (size_t)(B * no)) != 0);
	ck_assert_msg(bf_tnet_load(b, buf, len, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(bf_tnet_predict(b, xs, B, ob, &err), 0);
	ck_assert(memcmp(oa, ob, sizeof(float) * (size_t)(B * no)) == 0);
	/* A batch of one gives that sample's row. */
	ck_assert_int_eq(bf_tnet_predict(b, xs + (B - 1) * T * F, 1, ob,
	    &err), 0);
	for (int k = 0; k < no; k++)
		ck_assert_float_eq_tol(ob[k], oa[(B - 1) * no + k], 1e-5);
	free(buf);
	bf_tnet_free(a);
	bf_tnet_free(b);
}

START_TEST(test_short_class)
{
	roundtrip(BF_TNET_SHORT, BF_THEAD_CLASS);
}
END_TEST

START_TEST(test_long_splitnorm)
{
	roundtrip(BF_TNET_LONG, BF_THEAD_SPLITNORM);
}
END_TEST

START_TEST(test_linear_both)
{
	roundtrip(BF_TNET_LINEAR, BF_THEAD_CLASS);
	roundtrip(BF_TNET_LINEAR, BF_THEAD_SPLITNORM);
}
END_TEST

START_TEST(test_reproducible)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_tnet_cfg c = cfg_for(BF_TNET_SHORT, BF_THEAD_CLASS, 5);
	struct bf_tnet *a, *b;
	float oa[B * 3], ob[B * 3];

	make_batch(BF_THEAD_CLASS);
	a = bf_tnet_new(&c, &err);
	train(a, 10);
	b = bf_tnet_new(&c, &err);
	train(b, 10);
	bf_tnet_predict(a, xs, B, oa, &err);
	bf_tnet_predict(b, xs, B, ob, &err);
	ck_assert(memcmp(oa, ob, sizeof(oa)) == 0);
	bf_tnet_free(a);
	bf_tnet_free(b);
}
END_TEST

START_TEST(test_refusals)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_tnet_cfg c = cfg_for(BF_TNET_SHORT, BF_THEAD_CLASS, 1);
	struct bf_tnet_cfg w = c, l = cfg_for(BF_TNET_LONG,
	    BF_THEAD_SPLITNORM, 1);
	struct bf_tnet *a, *b, *d;
	char *buf = NULL;
	size_t len = 0;
	float out[3];

	a = bf_tnet_new(&c, &err);
	ck_assert_int_eq(bf_tnet_save(a, &buf, &len, &err), 0);
	/* Another width: same names, other shapes. */
	w.d_model = 16;
	w.d_ff = 32;
	b = bf_tnet_new(&w, &err);
	ck_assert_int_eq(bf_tnet_load(b, buf, len, &err), BF_EDATA);
	ck_assert(strstr(err.msg, "architecture") != NULL);
	d = bf_tnet_new(&l, &err);
	ck_assert_int_eq(bf_tnet_load(d, buf, len, &err), BF_EDATA);
	/* Damaged archives. */
	ck_assert_int_eq(bf_tnet_load(a, buf, len / 2, &err), BF_EDATA);
	ck_assert_int_eq(bf_tnet_load(a, "garbage", 7, &err), BF_EDATA);
	/* (A flipped byte inside tensor data loads silently: the model
	 * file's CRC-32 catches that, see check_mfile.c.) */
	/* Bad configurations and arguments. */
	c.patch = 5;
	ck_assert_ptr_null(bf_tnet_new(&c, &err));
	ck_assert_int_eq(err.code, BF_EUSAGE);
	ck_assert_int_eq(bf_torch_set_threads(0, &err), BF_EUSAGE);
	ck_assert_int_eq(bf_torch_set_threads(1, &err), 0);
	ck_assert_int_eq(bf_tnet_train_step(a, xs, ys, 0, NULL, &err),
	    BF_EUSAGE);
	/* A label out of range is a libtorch error, caught. */
	make_batch(BF_THEAD_CLASS);
	ys[0] = 7;
	{
		double loss;
		ck_assert_int_lt(bf_tnet_train_step(a, xs, ys, B, &loss, &err),
		    0);
		ck_assert(err.msg[0] != '\0');
	}
	ck_assert_int_eq(bf_tnet_predict(a, xs, 1, out, &err), 0);
	free(buf);
	bf_tnet_free(a);
	bf_tnet_free(b);
	bf_tnet_free(d);
	bf_tnet_free(NULL);
}
END_TEST

Suite *
tnet_suite(void)
{
	Suite *s = suite_create("tnet");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_short_class);
	tcase_add_test(tc, test_long_splitnorm);
	tcase_add_test(tc, test_linear_both);
	tcase_add_test(tc, test_reproducible);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	return s;
}
