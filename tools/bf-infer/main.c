/* SPDX-License-Identifier: MIT */
/*
 * bf-infer - train, run and judge the forecasting models (bf-infer(1)).
 *
 *	bf-infer train --model short|long --out FILE [options] < features
 *	bf-infer run   --model-file FILE < features > signals
 *	bf-infer eval  --model-file FILE [--start T] [--end T] < features
 *	    > report
 *
 * This file is the glue: the option table shared by the subcommands, the
 * BLAS set-up, and dispatch.  OpenBLAS 0.3.21 does not recognize recent
 * Xeons and falls back to SSE3 kernels, several times slower; it reads
 * OPENBLAS_CORETYPE only when it is loaded, so when that variable is unset
 * bf-infer sets it (SkylakeX with AVX-512, else Haswell with AVX2) and
 * re-executes itself once.  BF_INFER_NO_REEXEC=1 turns this off.
 */
#include "bf.h"

#include <math.h>
#include <unistd.h>

#include "infer.h"

static const char usage_text[] =
    "usage: bf-infer train --model short|long --out FILE [options] < features\n"
    "       bf-infer run --model-file FILE [options] < features > signals\n"
    "       bf-infer eval --model-file FILE [--start T] [--end T] < features > report\n"
    "\n"
    "Train, run and evaluate the forecasting models (bf-infer(1)).\n"
    "\n"
    "Options:\n"
    "      --arch NAME            train: transformer (short), tft (long) or linear\n"
    "      --batch N              train: mini-batch size (256)\n"
    "      --band-k X             train short: neutral band in vol units (0.431)\n"
    "      --cost X               train short: smallest neutral band, log return (0.001)\n"
    "      --d-model N            train: network width (32)\n"
    "      --dropout X            train: dropout rate (0.1 short, 0.1 long)\n"
    "      --end T                eval: last row of the test span (the last row)\n"
    "      --epochs N             train: most epochs (20)\n"
    "      --features LIST        train: feature columns, comma-separated\n"
    "                             (default: every numeric non-kline column)\n"
    "      --heads N              train: attention heads (4)\n"
    "      --horizons LIST        train: horizons (short 15m; long 1d,7d,30d)\n"
    "      --layers N             train short: encoder layers (2)\n"
    "      --lr X                 train: AdamW learning rate (0.001)\n"
    "      --min-confidence X     train short: least probability to signal (0.45)\n"
    "      --model KIND           train: short or long\n"
    "      --model-file FILE      run, eval: the model file\n"
    "      --out FILE             train: where to write the model file\n"
    "      --patch N              train: time steps per token (short 5, long 6)\n"
    "      --patience N           train: epochs without improvement (3)\n"
    "      --scores FILE          eval: also write each test row's loss per model\n"
    "      --seed N               train: random seed (1)\n"
    "      --start T              eval: first row of the test span\n"
    "                             (default: the first row after training)\n"
    "      --stride N             train: rows between samples (short 5, long 4)\n"
    "      --threads N            libtorch threads (1)\n"
    "      --train-end T          train: last row used (default: the last)\n"
    "      --train-start T        train: first row used (default: the first)\n"
    "      --val-frac X           train: validation share of samples (0.15)\n"
    "      --vol-halflife N       train: EWMA volatility half-life in bars\n"
    "                             (short 60, long 72)\n"
    "      --window N             train: input rows per sample (short 60, long 168)\n"
    BF_COMMON_HELP;

enum {
	OPT_ARCH = BF_OPT_TOOL,
	OPT_BATCH,
	OPT_BAND_K,
	OPT_COST,
	OPT_D_MODEL,
	OPT_DROPOUT,
	OPT_END,
	OPT_EPOCHS,
	OPT_FEATURES,
	OPT_HEADS,
	OPT_HORIZONS,
	OPT_LAYERS,
	OPT_LR,
	OPT_MIN_CONF,
	OPT_MODEL,
	OPT_MODEL_FILE,
	OPT_OUT,
	OPT_PATCH,
	OPT_PATIENCE,
	OPT_SCORES,
	OPT_SEED,
	OPT_START,
	OPT_STRIDE,
	OPT_THREADS,
	OPT_TRAIN_END,
	OPT_TRAIN_START,
	OPT_VAL_FRAC,
	OPT_VOL_HL,
	OPT_WINDOW
};

static const struct option longopts[] = {
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "band-k", required_argument, NULL, OPT_BAND_K },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "d-model", required_argument, NULL, OPT_D_MODEL },
	{ "dropout", required_argument, NULL, OPT_DROPOUT },
	{ "end", required_argument, NULL, OPT_END },
	{ "epochs", required_argument, NULL, OPT_EPOCHS },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "heads", required_argument, NULL, OPT_HEADS },
	{ "horizons", required_argument, NULL, OPT_HORIZONS },
	{ "layers", required_argument, NULL, OPT_LAYERS },
	{ "lr", required_argument, NULL, OPT_LR },
	{ "min-confidence", required_argument, NULL, OPT_MIN_CONF },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "model-file", required_argument, NULL, OPT_MODEL_FILE },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "patch", required_argument, NULL, OPT_PATCH },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "scores", required_argument, NULL, OPT_SCORES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "start", required_argument, NULL, OPT_START },
	{ "stride", required_argument, NULL, OPT_STRIDE },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "train-end", required_argument, NULL, OPT_TRAIN_END },
	{ "train-start", required_argument, NULL, OPT_TRAIN_START },
	{ "val-frac", required_argument, NULL, OPT_VAL_FRAC },
	{ "vol-halflife", required_argument, NULL, OPT_VOL_HL },
	{ "window", required_argument, NULL, OPT_WINDOW },
	BF_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* Parse an integer option in [lo, hi] or exit 2. */
static long long
opt_long(const char *name, long long lo, long long hi)
{
	long long v;

	if (bf_parse_long(optarg, lo, hi, &v) < 0)
		bf_usage_error("--%s: '%s' is not an integer in [%lld, %lld]",
		    name, optarg, lo, hi);
	return v;
}

/* Parse a number option in [lo, hi] or exit 2. */
static double
opt_double(const char *name, double lo, double hi)
{
	double v;

	if (bf_parse_double(optarg, &v) < 0 || v < lo || v > hi)
		bf_usage_error("--%s: '%s' is not a number in [%g, %g]", name,
		    optarg, lo, hi);
	return v;
}

/*
 * Make OpenBLAS use kernels this CPU has: set OPENBLAS_CORETYPE and
 * re-execute (it is read when the library loads).  Returns on failure.
 */
static void
blas_reexec(char *argv[])
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	const char *core = NULL;

	if (getenv("OPENBLAS_CORETYPE") != NULL ||
	    getenv("BF_INFER_NO_REEXEC") != NULL)
		return;
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		core = "SkylakeX";
	else if (__builtin_cpu_supports("avx2"))
		core = "Haswell";
	if (core == NULL)
		return;
	if (setenv("OPENBLAS_CORETYPE", core, 1) < 0 ||
	    setenv("BF_INFER_NO_REEXEC", "1", 1) < 0)
		return;
	execv("/proc/self/exe", argv);
	unsetenv("OPENBLAS_CORETYPE");	/* exec failed: go on as we are */
#else
	(void)argv;
#endif
}

int
cfg_threads(struct cmdopts *co, int flag, struct bf_err *err)
{
	long long n = flag;

	if (flag < 0 && bf_cfg_long(co->cfg, "model", "threads", 1, &n,
	    err) < 0)
		return BF_EUSAGE;
	if (n < 1 || n > 256)
		return bf_err_set(err, BF_EUSAGE,
		    "config: [model] threads: %lld is out of range", n);
	return bf_torch_set_threads((int)n, err);
}

int
main(int argc, char *argv[])
{
	struct cmdopts co;
	struct bf_err err = BF_ERR_INIT;
	const char *sub;
	int ch, rc;

	bf_setprogname("bf-infer");
	blas_reexec(argv);
	memset(&co, 0, sizeof(co));
	bf_opt_init(&co.common);
	co.epochs = co.seed = co.window = co.stride = co.batch = -1;
	co.d_model = co.layers = co.heads = co.patch = co.patience = -1;
	co.threads = -1;
	co.lr = co.dropout = co.val_frac = co.band_k = co.cost = NAN;
	co.min_conf = co.vol_hl = NAN;
	sub = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	if (sub != NULL) {
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ARCH: co.arch = optarg; break;
		case OPT_BAND_K: co.band_k = opt_double("band-k", 0, 100); break;
		case OPT_BATCH: co.batch = opt_long("batch", 1, 65536); break;
		case OPT_COST: co.cost = opt_double("cost", 0, 1); break;
		case OPT_D_MODEL: co.d_model = opt_long("d-model", 2, 4096); break;
		case OPT_DROPOUT: co.dropout = opt_double("dropout", 0, 0.9); break;
		case OPT_END: co.end = optarg; break;
		case OPT_EPOCHS: co.epochs = opt_long("epochs", 1, 100000); break;
		case OPT_FEATURES: co.features = optarg; break;
		case OPT_HEADS: co.heads = opt_long("heads", 1, 64); break;
		case OPT_HORIZONS: co.horizons = optarg; break;
		case OPT_LAYERS: co.layers = opt_long("layers", 1, 16); break;
		case OPT_LR: co.lr = opt_double("lr", 1e-7, 1); break;
		case OPT_MIN_CONF:
			co.min_conf = opt_double("min-confidence", 0, 1);
			break;
		case OPT_MODEL: co.model = optarg; break;
		case OPT_MODEL_FILE: co.model_file = optarg; break;
		case OPT_OUT: co.out = optarg; break;
		case OPT_PATCH: co.patch = opt_long("patch", 1, 10000); break;
		case OPT_PATIENCE:
			co.patience = opt_long("patience", 1, 100000);
			break;
		case OPT_SCORES: co.scores = optarg; break;
		case OPT_SEED: co.seed = opt_long("seed", 0, INT64_MAX); break;
		case OPT_START: co.start = optarg; break;
		case OPT_STRIDE: co.stride = opt_long("stride", 1, 1000000); break;
		case OPT_THREADS: co.threads = opt_long("threads", 1, 256); break;
		case OPT_TRAIN_END: co.train_end = optarg; break;
		case OPT_TRAIN_START: co.train_start = optarg; break;
		case OPT_VAL_FRAC:
			co.val_frac = opt_double("val-frac", 0.01, 0.9);
			break;
		case OPT_VOL_HL:
			co.vol_hl = opt_double("vol-halflife", 1, 1e6);
			break;
		case OPT_WINDOW: co.window = opt_long("window", 1, 100000); break;
		default:
			bf_opt_common(&co.common, ch, argv, usage_text);
		}
	}
	bf_opt_finish(&co.common);
	if (optind < argc)
		bf_usage_error("unexpected argument '%s'", argv[optind]);
	if (sub == NULL)
		bf_usage_error("missing subcommand: train, run or eval");
	co.cfg = bf_cfg_load(co.common.config, &err);
	if (co.cfg == NULL)
		bf_die_err(&err);
	if (strcmp(sub, "train") == 0)
		rc = cmd_train(&co);
	else if (strcmp(sub, "run") == 0)
		rc = cmd_run(&co);
	else if (strcmp(sub, "eval") == 0)
		rc = cmd_eval(&co);
	else
		bf_usage_error("unknown subcommand '%s' (train, run or eval)",
		    sub);
	bf_cfg_free(co.cfg);
	return rc;
}
