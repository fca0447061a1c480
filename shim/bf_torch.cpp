// SPDX-License-Identifier: MIT
/*
 * bf_torch.cpp - the networks behind bf_torch.h, in libtorch's C++ API.
 *
 * Three architectures, sized for a 2-core CPU (spec/forecasting.md §5):
 *
 *  short  - the window is cut into patches of 'patch' steps; each patch
 *           (patch * F numbers) is embedded linearly, a learned position
 *           vector is added, and a post-norm Transformer encoder
 *           (n_layers, n_heads, d_ff) runs over the tokens; the mean token,
 *           layer-normalized, feeds the head.
 *  long   - a compact Temporal Fusion Transformer: a gated residual
 *           network (GRN) per time step gives softmax variable-selection
 *           weights over the F inputs; the weighted inputs are embedded,
 *           grouped into patches of 'patch' steps and run through one
 *           LSTM, with a gated skip and LayerNorm; a static-free enrichment
 *           GRN; one interpretable multi-head attention layer in which the
 *           last step attends over all steps (heads share the value
 *           projection and their attention weights are averaged); a gated
 *           skip, a position-wise GRN and the head.
 *  linear - the last step's features and the window mean, concatenated,
 *           into one linear layer: multinomial logistic regression for the
 *           classifier, a linear split-normal model for the forecaster.
 *
 * Heads: 3 logits with cross-entropy, or per horizon a split normal
 * (whose output layer starts at zero: the EWMA Gaussian baseline)
 * (mode m, ln sigma1 left, ln sigma2 right, both clamped to [-7, 7])
 * trained by its negative log-likelihood plus skew_penalty * (ln s2 -
 * ln s1)^2, which shrinks the skew toward 0 where data cannot identify it.
 *
 * Every extern "C" entry point wraps its body in try/catch; exceptions
 * become a struct bf_err (filled here directly, so this file needs none of
 * libbf's C functions).  Weights are saved as a libtorch archive of named
 * tensors plus a configuration stamp, and loading checks every name and
 * shape before copying anything (torch::load(module) would silently accept
 * other shapes: spec/toolchain.md §3).
 */
#include <torch/torch.h>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "bf_torch.h"

namespace {

using torch::Tensor;
namespace nn = torch::nn;
namespace F = torch::nn::functional;

/* Fill 'err' (may be NULL) with 'code' and a message; return 'code'. */
int
seterr(struct bf_err *err, int code, const char *fmt, ...)
{
	if (err == nullptr)
		return code;
	va_list ap;
	va_start(ap, fmt);
	err->code = code;
	err->upstream = 0;
	err->line = 0;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	/* Keep messages one line: libtorch's contain newlines. */
	for (char *p = err->msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return code;
}

/* Turn the exception being handled into 'err'; returns the code. */
int
caught(struct bf_err *err, const char *where)
{
	try {
		throw;
	} catch (const c10::Error &e) {
		return seterr(err, BF_EFAIL, "%s: libtorch: %s", where,
		    e.what_without_backtrace());
	} catch (const std::bad_alloc &) {
		return seterr(err, BF_ENOMEM, "%s: out of memory", where);
	} catch (const std::exception &e) {
		return seterr(err, BF_EFAIL, "%s: %s", where, e.what());
	} catch (...) {
		return seterr(err, BF_EFAIL, "%s: unknown C++ exception", where);
	}
}

/*
 * A gated residual network: LayerNorm(skip(a) + GLU(W1 ELU(W2 a))), with
 * skip a linear map when the widths differ.
 */
struct GRNImpl : nn::Module {
	nn::Linear fc1{nullptr}, fc2{nullptr}, gate{nullptr}, skip{nullptr};
	nn::LayerNorm ln{nullptr};

	GRNImpl(int64_t in, int64_t hid, int64_t out)
	{
		fc1 = register_module("fc1", nn::Linear(in, hid));
		fc2 = register_module("fc2", nn::Linear(hid, hid));
		gate = register_module("gate", nn::Linear(hid, 2 * out));
		ln = register_module("ln",
		    nn::LayerNorm(nn::LayerNormOptions({out})));
		if (in != out)
			skip = register_module("skip", nn::Linear(in, out));
	}

	Tensor
	forward(const Tensor &a)
	{
		Tensor h = fc2(torch::elu(fc1(a)));
		Tensor g = F::glu(gate(h), F::GLUFuncOptions(-1));
		return ln((skip ? skip(a) : a) + g);
	}
};
TORCH_MODULE(GRN);

/*
 * Zero a split-normal head: the network then starts at m = 0 and
 * sigma1 = sigma2 = 1 in vol units, which is the EWMA Gaussian baseline,
 * and learns departures from it only as far as they pay on the data.
 */
void
zero_init(nn::Linear &l)
{
	torch::NoGradGuard ng;
	l->weight.zero_();
	l->bias.zero_();
}

/* The common face of the three networks. */
struct Net : nn::Module {
	virtual Tensor fwd(const Tensor &x) = 0;
};

/* The short-term patch Transformer. */
struct ShortNet : Net {
	nn::Linear embed{nullptr}, head{nullptr};
	nn::TransformerEncoder enc{nullptr};
	nn::LayerNorm norm{nullptr};
	Tensor pos;
	int64_t ntok, tokw;

	ShortNet(const bf_tnet_cfg &c, int64_t nout)
	{
		ntok = c.window / c.patch;
		tokw = (int64_t)c.patch * c.n_features;
		embed = register_module("embed", nn::Linear(tokw, c.d_model));
		pos = register_parameter("pos",
		    torch::randn({1, ntok, (int64_t)c.d_model}) * 0.02);
		nn::TransformerEncoderLayerOptions lo(c.d_model, c.n_heads);
		lo.dim_feedforward(c.d_ff).dropout(c.dropout);
		enc = register_module("enc", nn::TransformerEncoder(
		    nn::TransformerEncoderOptions(lo, c.n_layers)));
		norm = register_module("norm", nn::LayerNorm(
		    nn::LayerNormOptions({(int64_t)c.d_model})));
		head = register_module("head", nn::Linear(c.d_model, nout));
	}

	Tensor
	fwd(const Tensor &x) override
	{
		int64_t b = x.size(0);
		Tensor h = embed(x.reshape({b, ntok, tokw})) + pos;
		h = enc->forward(h.transpose(0, 1)).transpose(0, 1);
		return head(norm(h.mean(1)));
	}
};

/* The long-term TFT-style forecaster. */
struct LongNet : Net {
	GRN vsn{nullptr}, enrich{nullptr}, post{nullptr};
	nn::Linear inproj{nullptr}, patchproj{nullptr}, lgate{nullptr};
	nn::Linear wq{nullptr}, wk{nullptr}, wv{nullptr}, wo{nullptr};
	nn::Linear agate{nullptr}, head{nullptr};
	nn::LSTM lstm{nullptr};
	nn::LayerNorm ln1{nullptr}, ln2{nullptr};
	nn::Dropout drop{nullptr};
	int64_t ntok, d, nh, dk, nf;

	LongNet(const bf_tnet_cfg &c, int64_t nout)
	{
		d = c.d_model;
		nh = c.n_heads;
		dk = d / nh;
		nf = c.n_features;
		ntok = c.window / c.patch;
		vsn = register_module("vsn", GRN(nf, d, nf));
		inproj = register_module("inproj", nn::Linear(nf, d));
		patchproj = register_module("patchproj",
		    nn::Linear((int64_t)c.patch * d, d));
		lstm = register_module("lstm", nn::LSTM(
		    nn::LSTMOptions(d, d).batch_first(true)));
		lgate = register_module("lgate", nn::Linear(d, 2 * d));
		ln1 = register_module("ln1",
		    nn::LayerNorm(nn::LayerNormOptions({d})));
		enrich = register_module("enrich", GRN(d, d, d));
		wq = register_module("wq", nn::Linear(d, d));
		wk = register_module("wk", nn::Linear(d, d));
		wv = register_module("wv", nn::Linear(d, dk));
		wo = register_module("wo", nn::Linear(dk, d));
		agate = register_module("agate", nn::Linear(d, 2 * d));
		ln2 = register_module("ln2",
		    nn::LayerNorm(nn::LayerNormOptions({d})));
		post = register_module("post", GRN(d, d, d));
		drop = register_module("drop", nn::Dropout(c.dropout));
		head = register_module("head", nn::Linear(d, nout));
		zero_init(head);
	}

	Tensor
	fwd(const Tensor &x) override
	{
		int64_t b = x.size(0), t = x.size(1);
		/* Variable selection: softmax weights over the F inputs. */
		Tensor w = torch::softmax(vsn(x), -1);
		Tensor e = inproj(x * w * (double)nf);
		Tensor p = patchproj(e.reshape({b, ntok, t / ntok * d}));
		Tensor l = std::get<0>(lstm->forward(p));
		Tensor h = ln1(p + F::glu(lgate(drop(l)),
		    F::GLUFuncOptions(-1)));
		h = enrich(h);
		/* Interpretable attention: the last step queries every step. */
		Tensor last = h.select(1, ntok - 1);
		Tensor q = wq(last).view({b, nh, 1, dk});
		Tensor k = wk(h).view({b, ntok, nh, dk}).permute({0, 2, 3, 1});
		/* a: [b, nh, 1, ntok] */
		Tensor a = torch::softmax(torch::matmul(q, k) /
		    std::sqrt((double)dk), -1);
		Tensor o = torch::bmm(a.mean(1), wv(h)).squeeze(1);
		Tensor z = ln2(last + F::glu(agate(drop(wo(o))),
		    F::GLUFuncOptions(-1)));
		return head(post(z));
	}
};

/* Logistic regression / linear forecaster on (last step, window mean). */
struct LinearNet : Net {
	nn::Linear lin{nullptr};

	LinearNet(const bf_tnet_cfg &c, int64_t nout)
	{
		lin = register_module("lin",
		    nn::Linear(2 * (int64_t)c.n_features, nout));
		if (c.head == BF_THEAD_SPLITNORM)
			zero_init(lin);
	}

	Tensor
	fwd(const Tensor &x) override
	{
		return lin(torch::cat({x.select(1, x.size(1) - 1), x.mean(1)},
		    -1));
	}
};

bool threads_set = false;

} /* namespace */

struct bf_tnet {
	bf_tnet_cfg cfg;
	std::shared_ptr<Net> net;
	std::unique_ptr<torch::optim::AdamW> opt;
	int nout, ntgt;

	/* The head's output: raw logits, or (m, ln s1, ln s2) clamped. */
	Tensor
	forward(const Tensor &x)
	{
		Tensor o = net->fwd(x);
		if (cfg.head == BF_THEAD_CLASS)
			return o;
		o = o.view({o.size(0), cfg.n_horizons, 3});
		Tensor ls = o.slice(2, 1, 3).clamp(-7.0, 7.0);
		return torch::cat({o.slice(2, 0, 1), ls}, 2).view(
		    {o.size(0), nout});
	}

	/* The mean loss of outputs 'o' against targets 'y'. */
	Tensor
	loss(const Tensor &o, const Tensor &y)
	{
		if (cfg.head == BF_THEAD_CLASS)
			return F::cross_entropy(o,
			    y.view({-1}).to(torch::kLong));
		Tensor v = o.view({o.size(0), cfg.n_horizons, 3});
		Tensor m = v.select(2, 0), l1 = v.select(2, 1),
		       l2 = v.select(2, 2);
		Tensor dv = y - m;
		Tensor ls = torch::where(dv < 0, l1, l2);
		Tensor nll = torch::log(torch::exp(l1) + torch::exp(l2)) +
		    0.5 * std::log(2 * M_PI) - std::log(2.0) +
		    0.5 * dv * dv * torch::exp(-2.0 * ls);
		return nll.mean() +
		    cfg.skew_penalty * (l2 - l1).pow(2).mean();
	}

	/* Inputs as a tensor over the caller's memory (not copied). */
	Tensor
	xin(const float *x, int b)
	{
		return torch::from_blob(const_cast<float *>(x),
		    {b, cfg.window, cfg.n_features}, torch::kFloat);
	}

	Tensor
	yin(const float *y, int b)
	{
		return torch::from_blob(const_cast<float *>(y), {b, ntgt},
		    torch::kFloat);
	}

	/* The configuration stamp stored with the weights. */
	Tensor
	stamp()
	{
		return torch::tensor({(int64_t)cfg.arch, (int64_t)cfg.head,
		    (int64_t)cfg.window, (int64_t)cfg.n_features,
		    (int64_t)cfg.n_horizons, (int64_t)cfg.patch,
		    (int64_t)cfg.d_model, (int64_t)cfg.n_heads,
		    (int64_t)cfg.n_layers, (int64_t)cfg.d_ff}, torch::kLong);
	}
};

extern "C" {

int
bf_torch_set_threads(int n, struct bf_err *err)
{
	try {
		if (n < 1 || n > 256)
			return seterr(err, BF_EUSAGE,
			    "threads: %d is out of range (1-256)", n);
		torch::set_num_threads(n);
		threads_set = true;
		return 0;
	} catch (...) {
		return caught(err, "threads");
	}
}

int
bf_tnet_n_outputs(const struct bf_tnet_cfg *cfg)
{
	return cfg->head == BF_THEAD_CLASS ? 3 : 3 * cfg->n_horizons;
}

int
bf_tnet_n_targets(const struct bf_tnet_cfg *cfg)
{
	return cfg->head == BF_THEAD_CLASS ? 1 : cfg->n_horizons;
}

/* Check a configuration; returns 0 or BF_EUSAGE with a message. */
static int
check_cfg(const struct bf_tnet_cfg *c, struct bf_err *err)
{
	if (c->arch < BF_TNET_SHORT || c->arch > BF_TNET_LINEAR)
		return seterr(err, BF_EUSAGE, "model: unknown architecture %d",
		    c->arch);
	if (c->head != BF_THEAD_CLASS && c->head != BF_THEAD_SPLITNORM)
		return seterr(err, BF_EUSAGE, "model: unknown head %d", c->head);
	if (c->window < 1 || c->window > 100000 || c->n_features < 1 ||
	    c->n_features > 10000)
		return seterr(err, BF_EUSAGE,
		    "model: window %d or feature count %d out of range",
		    c->window, c->n_features);
	if (c->head == BF_THEAD_SPLITNORM && (c->n_horizons < 1 ||
	    c->n_horizons > BF_TNET_MAX_HORIZONS))
		return seterr(err, BF_EUSAGE, "model: %d horizons (1-%d)",
		    c->n_horizons, BF_TNET_MAX_HORIZONS);
	if (c->arch == BF_TNET_LINEAR)
		return 0;
	if (c->patch < 1 || c->window % c->patch != 0)
		return seterr(err, BF_EUSAGE,
		    "model: patch %d does not divide the window %d", c->patch,
		    c->window);
	if (c->d_model < 2 || c->d_model > 4096 || c->n_heads < 1 ||
	    c->d_model % c->n_heads != 0)
		return seterr(err, BF_EUSAGE,
		    "model: d_model %d is not a multiple of heads %d",
		    c->d_model, c->n_heads);
	if (c->arch == BF_TNET_SHORT && (c->n_layers < 1 ||
	    c->n_layers > 64 || c->d_ff < 1))
		return seterr(err, BF_EUSAGE, "model: layers %d, d_ff %d",
		    c->n_layers, c->d_ff);
	if (!(c->dropout >= 0 && c->dropout < 1) || !(c->lr > 0) ||
	    !(c->weight_decay >= 0) || !(c->clip >= 0) ||
	    !(c->skew_penalty >= 0))
		return seterr(err, BF_EUSAGE,
		    "model: dropout, lr, weight_decay, clip or skew_penalty out of range");
	return 0;
}

struct bf_tnet *
bf_tnet_new(const struct bf_tnet_cfg *cfg, struct bf_err *err)
{
	try {
		if (check_cfg(cfg, err) < 0)
			return nullptr;
		if (!threads_set) {
			torch::set_num_threads(1);
			threads_set = true;
		}
		std::unique_ptr<bf_tnet> t(new bf_tnet());
		t->cfg = *cfg;
		t->nout = bf_tnet_n_outputs(cfg);
		t->ntgt = bf_tnet_n_targets(cfg);
		torch::manual_seed(cfg->seed);
		switch (cfg->arch) {
		case BF_TNET_SHORT:
			t->net = std::make_shared<ShortNet>(*cfg, t->nout);
			break;
		case BF_TNET_LONG:
			t->net = std::make_shared<LongNet>(*cfg, t->nout);
			break;
		default:
			t->net = std::make_shared<LinearNet>(*cfg, t->nout);
			break;
		}
		t->opt.reset(new torch::optim::AdamW(t->net->parameters(),
		    torch::optim::AdamWOptions(cfg->lr).weight_decay(
		    cfg->weight_decay)));
		return t.release();
	} catch (...) {
		caught(err, "model");
		return nullptr;
	}
}

void
bf_tnet_free(struct bf_tnet *net)
{
	try {
		delete net;
	} catch (...) {
		/* Nothing to report to: freeing cannot fail visibly. */
	}
}

long
bf_tnet_n_params(const struct bf_tnet *net)
{
	try {
		long n = 0;
		for (const auto &p : net->net->parameters())
			n += (long)p.numel();
		return n;
	} catch (...) {
		return -1;
	}
}

int
bf_tnet_train_step(struct bf_tnet *net, const float *x, const float *y,
    int b, double *loss, struct bf_err *err)
{
	try {
		if (b < 1)
			return seterr(err, BF_EUSAGE, "train: empty batch");
		net->net->train();
		net->opt->zero_grad();
		Tensor l = net->loss(net->forward(net->xin(x, b)),
		    net->yin(y, b));
		l.backward();
		if (net->cfg.clip > 0)
			nn::utils::clip_grad_norm_(net->net->parameters(),
			    net->cfg.clip);
		net->opt->step();
		*loss = l.item<double>();
		if (!std::isfinite(*loss))
			return seterr(err, BF_EFAIL,
			    "train: the loss is not finite (diverged)");
		return 0;
	} catch (...) {
		return caught(err, "train");
	}
}

int
bf_tnet_loss(struct bf_tnet *net, const float *x, const float *y, int b,
    double *sum, struct bf_err *err)
{
	try {
		if (b < 1)
			return 0;
		torch::NoGradGuard ng;
		net->net->eval();
		Tensor l = net->loss(net->forward(net->xin(x, b)),
		    net->yin(y, b));
		*sum += l.item<double>() * b;
		return 0;
	} catch (...) {
		return caught(err, "loss");
	}
}

int
bf_tnet_predict(struct bf_tnet *net, const float *x, int b, float *out,
    struct bf_err *err)
{
	try {
		if (b < 1)
			return 0;
		c10::InferenceMode im;
		net->net->eval();
		Tensor o = net->forward(net->xin(x, b)).contiguous();
		std::memcpy(out, o.data_ptr<float>(),
		    sizeof(float) * (size_t)b * (size_t)net->nout);
		return 0;
	} catch (...) {
		return caught(err, "predict");
	}
}

int
bf_tnet_save(struct bf_tnet *net, char **buf, size_t *len,
    struct bf_err *err)
{
	try {
		torch::serialize::OutputArchive ar;
		std::string s;

		ar.write("stamp", net->stamp());
		for (const auto &p : net->net->named_parameters())
			ar.write("p." + p.key(), p.value());
		ar.save_to([&s](const void *p, size_t n) -> size_t {
			s.append((const char *)p, n);
			return n;
		});
		char *m = (char *)std::malloc(s.size() ? s.size() : 1);
		if (m == nullptr)
			return seterr(err, BF_ENOMEM, "save: out of memory");
		std::memcpy(m, s.data(), s.size());
		*buf = m;
		*len = s.size();
		return 0;
	} catch (...) {
		return caught(err, "save");
	}
}

int
bf_tnet_load(struct bf_tnet *net, const void *buf, size_t len,
    struct bf_err *err)
{
	try {
		torch::serialize::InputArchive ar;
		std::map<std::string, Tensor> got;
		Tensor st;

		try {
			ar.load_from((const char *)buf, len);
		} catch (...) {
			return seterr(err, BF_EDATA,
			    "weights: not a readable libtorch archive");
		}
		if (!ar.try_read("stamp", st) || !st.defined() ||
		    !st.sizes().equals(net->stamp().sizes()) ||
		    !torch::equal(st, net->stamp()))
			return seterr(err, BF_EDATA,
			    "weights: saved for another architecture");
		for (const auto &p : net->net->named_parameters()) {
			Tensor t;
			if (!ar.try_read("p." + p.key(), t) || !t.defined())
				return seterr(err, BF_EDATA,
				    "weights: tensor '%s' is missing",
				    p.key().c_str());
			if (!t.sizes().equals(p.value().sizes()) ||
			    t.scalar_type() != p.value().scalar_type())
				return seterr(err, BF_EDATA,
				    "weights: tensor '%s' has another shape",
				    p.key().c_str());
			got[p.key()] = t;
		}
		torch::NoGradGuard ng;
		for (auto &p : net->net->named_parameters())
			p.value().copy_(got[p.key()]);
		return 0;
	} catch (...) {
		return caught(err, "load");
	}
}

} /* extern "C" */
