/* SPDX-License-Identifier: MIT */
/*
 * num.c - decimal text <-> double, exact and fast.  See num.h.
 *
 * Parsing.  The digits are gathered into a 64-bit integer mantissa w and
 * a decimal exponent q, so the text means w * 10^q.  When w <= 2^53 and
 * 10^|q| is itself a double (|q| <= 22), both operands are exact and one
 * IEEE multiplication or division rounds correctly: that is Clinger's
 * fast path, and it gives the very double strtod gives.  A mantissa that
 * leaves room (w * 10^(q-22) <= 2^53) extends it to q <= 22 + 15.
 * Everything else (more than about 15 significant digits, huge or tiny
 * exponents) goes to strtod, which is correctly rounded in glibc.
 *
 * Formatting.  A finite double is exactly m * 2^e with integer m < 2^53.
 * %.Pg wants the P-digit integer D = round(|v| * 10^k), k = P - 1 - X,
 * where X is the decimal exponent of |v| after rounding, and rounding is
 * to nearest with ties to even on the exact binary value.  We compute D
 * with exact 128-bit integer arithmetic as a quotient N / M plus the
 * remainder:
 *   k >= 0:  N = m * 5^k * 2^(e+k), and M = 1 or a power of two;
 *   k < 0:   N = m * 2^e, M = 10^-k (times 2^-e when e < 0).
 * The remainder decides the rounding exactly, so there are no near-tie
 * guesses and no error analysis.  X is floor(log10|v|), found from the
 * binary exponent and one exact comparison with a power of ten, plus
 * one when D rounds up to 10^P (9.9996 at 4 digits is 10.00).  When the
 * operands do not fit (|v| below about 1e-16..1e-21 depending on P, or
 * above about 1e19 * 10^P), for NaN and infinities, or without a 128-bit
 * integer type, snprintf does the work.
 * D is then laid out the way %g does: style f when -4 <= X < P, else
 * style e with a two-digit-minimum exponent, trailing zeros removed.
 *
 * All of this assumes IEEE binary64 doubles evaluated in double
 * precision (FLT_EVAL_METHOD 0) and the default rounding mode; on other
 * machines the fast paths are compiled out.
 */
#include "compat.h"

#include <float.h>
#include <math.h>

#include "num.h"

#if defined(__SIZEOF_INT128__) && FLT_EVAL_METHOD == 0 && \
    DBL_MANT_DIG == 53
#define NUM_FAST 1
__extension__ typedef unsigned __int128 u128;
#else
#define NUM_FAST 0
#endif

#if NUM_FAST && defined(__SSE2__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#include <emmintrin.h>
#define NUM_SSE2 1
#else
#define NUM_SSE2 0
#endif

/* 10^0 .. 10^19, every power of ten a uint64_t holds. */
static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL
};

/* 10^0 .. 10^22, the powers of ten that are exact doubles. */
static const double pow10_dbl[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#if NUM_FAST
/* 5^0 .. 5^32: 5^27 is the largest a uint64_t holds. */
#define P5_27 7450580596923828125ULL
static const u128 pow5_u128[33] = {
	1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL,
	390625ULL, 1953125ULL, 9765625ULL, 48828125ULL, 244140625ULL,
	1220703125ULL, 6103515625ULL, 30517578125ULL, 152587890625ULL,
	762939453125ULL, 3814697265625ULL, 19073486328125ULL,
	95367431640625ULL, 476837158203125ULL, 2384185791015625ULL,
	11920928955078125ULL, 59604644775390625ULL, 298023223876953125ULL,
	1490116119384765625ULL, P5_27, (u128)P5_27 * 5, (u128)P5_27 * 25,
	(u128)P5_27 * 125, (u128)P5_27 * 625, (u128)P5_27 * 3125
};
#endif

/* Two ASCII digits for each of 0..99. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/*
 * strtod on the 'len' bytes at 's', already known to be a well-formed
 * decimal number.  Returns 0 and sets 'out', or -1 when it overflows.
 */
static int
parse_slow(const char *s, size_t len, double *out)
{
	char tmp[128], *buf = tmp, *end;
	double v;

	if (len >= sizeof(tmp))
		buf = malloc(len + 1);
	if (buf == NULL)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	if (buf != tmp)
		free(buf);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

#if NUM_FAST
/*
 * The double nearest to the integer 'n' (> 0) times 2^'e2', ties to
 * even, where 'sticky' says that n was truncated (the true value is a
 * little more).  The result must be a normal double.
 */
static double
round128(u128 n, bool sticky, int e2)
{
	uint64_t hi = (uint64_t)(n >> 64), top, pbits;
	int nbits = hi ? 128 - __builtin_clzll(hi) :
	    64 - __builtin_clzll((uint64_t)n), sh = nbits - 53;
	double p2;

	if (sh > 0) {
		u128 rem = n & (((u128)1 << sh) - 1);
		u128 half = (u128)1 << (sh - 1);

		top = (uint64_t)(n >> sh);
		if (rem > half || (rem == half && (sticky || (top & 1))))
			top++;		/* may make 2^53: still exact */
		e2 += sh;
	} else {
		/* Exact: callers give 54 bits or more when sticky. */
		top = (uint64_t)n;
	}
	pbits = (uint64_t)(1023 + e2) << 52;
	memcpy(&p2, &pbits, sizeof(p2));
	return (double)top * p2;
}

/*
 * w * 10^q correctly rounded, for w < 2^64 and |q| <= 27, with 128-bit
 * integers: w * 5^q exactly when q >= 0; else w, shifted to fill 128
 * bits, divided by 5^-q, the remainder making the rounding sticky.
 */
static double
exact128(uint64_t w, int q)
{
	u128 n;
	int sh;

	if (q >= 0)
		return round128((u128)w * pow5_u128[q], false, q);
	sh = 63 + __builtin_clzll(w);
	n = ((u128)w << sh);
	return round128(n / (uint64_t)pow5_u128[-q],
	    n % (uint64_t)pow5_u128[-q] != 0, -sh + q);
}
#endif

int
bf_num_parse(const char *s, size_t len, double *out)
{
	const char *p = s, *e = s + len;
	uint64_t w = 0;		/* the first 19 significant digits */
	int nd = 0;		/* digits in w */
	int q = 0;		/* decimal exponent: the text is w * 10^q */
	bool neg = false, any = false, inexact = false;
	double v;

	if (len == 0)
		return -1;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	/* Integer part; leading zeros are not significant. */
	for (; p < e && (unsigned)(*p - '0') <= 9; p++) {
		unsigned d = (unsigned)(*p - '0');
		any = true;
		if (nd < 19) {
			w = w * 10 + d;
			nd += w != 0;
		} else {
			q++;
			inexact |= d != 0;
		}
	}
	if (p < e && *p == '.') {
		for (p++; p < e && (unsigned)(*p - '0') <= 9; p++) {
			unsigned d = (unsigned)(*p - '0');
			any = true;
			if (nd < 19) {
				w = w * 10 + d;
				nd += w != 0;
				q--;
			} else {
				inexact |= d != 0;
			}
		}
	}
	if (!any)
		return -1;
	if (p < e && (*p == 'e' || *p == 'E')) {
		bool eneg = false;
		int x = 0;

		p++;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= e || (unsigned)(*p - '0') > 9)
			return -1;
		for (; p < e && (unsigned)(*p - '0') <= 9; p++)
			if (x < 100000)
				x = x * 10 + (*p - '0');
		q += eneg ? -x : x;
	}
	if (p != e)
		return -1;
#if NUM_FAST
	if (!inexact && w <= (1ULL << 53)) {
		if (w == 0) {
			v = 0.0;
		} else if (q >= 0 && q <= 22) {
			v = (double)w * pow10_dbl[q];
		} else if (q < 0 && q >= -22) {
			v = (double)w / pow10_dbl[-q];
		} else if (q > 22 && q <= 22 + 15 &&
		    w <= (1ULL << 53) / pow10_u64[q - 22]) {
			v = (double)(w * pow10_u64[q - 22]) * 1e22;
		} else if (q >= -27 && q <= 27) {
			v = exact128(w, q);
		} else {
			return parse_slow(s, len, out);
		}
		*out = neg ? -v : v;
		return 0;
	}
	if (!inexact && q >= -27 && q <= 27) {
		v = exact128(w, q);
		*out = neg ? -v : v;
		return 0;
	}
#else
	(void)inexact;
	(void)v;
#endif
	return parse_slow(s, len, out);
}

int
bf_num_parse_i64(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0;

	if (len == 0)
		return -1;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	if (len - i <= 18) {
		/* Up to 18 digits cannot overflow: no checks but the digits. */
		for (; i < len; i++) {
			unsigned d = (unsigned)(s[i] - '0');
			if (d > 9)
				return -1;
			v = v * 10 + d;
		}
	}
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
 * Write the 'n' decimal digits of 'v' (which has exactly 'n' digits, or
 * fewer with leading zeros) at 'p', two at a time.
 */
static void
put_digits(char *p, uint64_t v, int n)
{
	if (n > 8) {
		/* The low eight digits as four independent pairs. */
		uint32_t lo = (uint32_t)(v % 100000000), a = lo / 10000,
		    b = lo % 10000;

		memcpy(p + n - 8, digit_pairs + 2 * (a / 100), 2);
		memcpy(p + n - 6, digit_pairs + 2 * (a % 100), 2);
		memcpy(p + n - 4, digit_pairs + 2 * (b / 100), 2);
		memcpy(p + n - 2, digit_pairs + 2 * (b % 100), 2);
		v /= 100000000;
		n -= 8;
	}
	while (n >= 2) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		n -= 2;
		memcpy(p + n, digit_pairs + 2 * r, 2);
	}
	if (n == 1)
		p[0] = (char)('0' + v);
}

#if NUM_FAST
/*
 * The smallest double >= 10^n for n = -32 .. 32 (10^n itself when it is
 * a double, the next one up otherwise; worked out with exact rational
 * arithmetic), so that |v| >= p10_ceil[n] exactly when |v| >= 10^n.
 */
#define P10_MIN 32
#define P10_MAX 32
static const double p10_ceil[P10_MIN + P10_MAX + 1] = {
	0x1.9f623d5a8a733p-107, 0x1.039d665896880p-103, 0x1.4484bfeebc2a0p-100,
	0x1.95a5efea6b348p-97, 0x1.fb0f6be50601ap-94, 0x1.3ce9a36f23c10p-90,
	0x1.8c240c4aecb14p-87, 0x1.ef2d0f5da7dd9p-84, 0x1.357c299a88ea8p-80,
	0x1.82db34012b252p-77, 0x1.e392010175ee6p-74, 0x1.2e3b40a0e9b50p-70,
	0x1.79ca10c924224p-67, 0x1.d83c94fb6d2adp-64, 0x1.2725dd1d243acp-60,
	0x1.70ef54646d497p-57, 0x1.cd2b297d889bdp-54, 0x1.203af9ee75616p-50,
	0x1.6849b86a12b9cp-47, 0x1.c25c268497682p-44, 0x1.19799812dea12p-40,
	0x1.5fd7fe1796496p-37, 0x1.b7cdfd9d7bdbbp-34, 0x1.12e0be826d695p-30,
	0x1.5798ee2308c3ap-27, 0x1.ad7f29abcaf49p-24, 0x1.0c6f7a0b5ed8ep-20,
	0x1.4f8b588e368f1p-17, 0x1.a36e2eb1c432dp-14, 0x1.0624dd2f1a9fcp-10,
	0x1.47ae147ae147bp-7, 0x1.999999999999ap-4, 0x1p+0,
	0x1.4000000000000p+3, 0x1.9000000000000p+6, 0x1.f400000000000p+9,
	0x1.3880000000000p+13, 0x1.86a0000000000p+16, 0x1.e848000000000p+19,
	0x1.312d000000000p+23, 0x1.7d78400000000p+26, 0x1.dcd6500000000p+29,
	0x1.2a05f20000000p+33, 0x1.74876e8000000p+36, 0x1.d1a94a2000000p+39,
	0x1.2309ce5400000p+43, 0x1.6bcc41e900000p+46, 0x1.c6bf526340000p+49,
	0x1.1c37937e08000p+53, 0x1.6345785d8a000p+56, 0x1.bc16d674ec800p+59,
	0x1.158e460913d00p+63, 0x1.5af1d78b58c40p+66, 0x1.b1ae4d6e2ef50p+69,
	0x1.0f0cf064dd592p+73, 0x1.52d02c7e14af7p+76, 0x1.a784379d99db5p+79,
	0x1.08b2a2c280291p+83, 0x1.4adf4b7320335p+86, 0x1.9d971e4fe8402p+89,
	0x1.027e72f1f1282p+93, 0x1.431e0fae6d722p+96, 0x1.93e5939a08ceap+99,
	0x1.f8def8808b025p+102, 0x1.3b8b5b5056e17p+106
};


/*
 * round(m * 2^e * 10^k) to nearest, ties to even, for 1 <= m < 2^53.
 * Returns 0 and sets 'out', or -1 when the exact computation does not
 * fit in 128 bits or the result in 64 bits.
 */
static int
scaled_round(uint64_t m, int e, int k, uint64_t *out)
{
	u128 n, r, half;
	uint64_t qt;
	int s;

	if (k >= 0) {
		if (k > 32)
			return -1;
		n = (u128)m * pow5_u128[k];	/* < 2^53 * 2^75 */
		s = e + k;
		if (s >= 0) {
			/* An integer: no rounding, but it must fit. */
			if (s >= 64 || (n >> (64 - s)) != 0)
				return -1;
			*out = (uint64_t)(n << s);
			return 0;
		}
		s = -s;
		if (s >= 128)
			return -1;
		if ((n >> s) >> 63 != 0)
			return -1;
		qt = (uint64_t)(n >> s);
		r = n & (((u128)1 << s) - 1);
		half = (u128)1 << (s - 1);
	} else {
		u128 d;

		if (-k > 19)
			return -1;
		d = pow10_u64[-k];
		if (e >= 0) {
			if (e > 74)
				return -1;
			n = (u128)m << e;
		} else {
			if (-e > 60)
				return -1;
			n = m;
			d <<= -e;
		}
		if ((n >> 64) == 0 && (d >> 64) == 0) {
			/* The common case: plain 64-bit division. */
			uint64_t n64 = (uint64_t)n, d64 = (uint64_t)d;

			qt = n64 / d64;
			r = n64 - qt * d64;
		} else {
			u128 q128 = n / d;

			if ((q128 >> 63) != 0)
				return -1;
			qt = (uint64_t)q128;
			r = n - q128 * d;
		}
		/* Compare r with d / 2 without losing d's low bit. */
		if (2 * r > d || (2 * r == d && (qt & 1)))
			qt++;
		*out = qt;
		return 0;
	}
	if (r > half || (r == half && (qt & 1)))
		qt++;
	*out = qt;
	return 0;
}

/*
 * The tie case of round_p10: 'q' = a * 10^k rounded to a double lies
 * exactly halfway between two integers and 'r' is the one it rounded
 * to (f = q - r is +-1/2).  Dekker's two-product gives the product's
 * rounding error exactly, and its sign says which way the exact product
 * lies.  (C11 mode keeps the compiler from contracting these
 * expressions into FMAs.)
 */
static BF_NOINLINE uint64_t
round_tie(double a, double p, double q, double r, double f)
{
	const double split = 134217729.0;	/* 2^27 + 1 */
	double t, ah, al, ph, pl, err;

	t = split * a;
	ah = t - (t - a);
	al = a - ah;
	t = split * p;
	ph = t - (t - p);
	pl = p - ph;
	err = ((ah * ph - q) + ah * pl + al * ph) + al * pl;
	if (f == 0.5 && err > 0)
		r += 1;
	else if (f == -0.5 && err < 0)
		r -= 1;
	return (uint64_t)(int64_t)r;
}

/*
 * round(a * 10^k) to nearest, ties to even, for 0 <= k <= 22 (10^k is an
 * exact double) and a product below 2^52, in double arithmetic only.
 * Adding and subtracting 2^52 rounds to an integer in the default
 * rounding mode.  Rounding is monotonic and n + 1/2 is a double here, so
 * the exact product lies on the same side of n + 1/2 as the rounded
 * one, q, unless q is exactly halfway: only then (round_tie) is its
 * rounding error needed.
 */
static inline uint64_t
round_p10(double a, int k)
{
	const double two52 = 4503599627370496.0;
	double p = pow10_dbl[k], q = a * p, r, f;

	r = (q + two52) - two52;
	f = q - r;
	if (BF_LIKELY(fabs(f) < 0.5))
		return (uint64_t)(int64_t)r;
	return round_tie(a, p, q, r, f);
}

/*
 * The exponent of style e for -99 <= X = 'x' <= -5: "e-XX" at 'p'.
 * Returns its length, 4.
 */
static inline size_t
place_exp(char *p, int x)
{
	memcpy(p, "e-", 2);
	memcpy(p + 2, digit_pairs + 2 * -x, 2);
	return 4;
}

#if NUM_SSE2
/* 16 bytes read at head_mask + 15 - X: X + 1 of 0xff, then zeros. */
static const unsigned char head_mask[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/*
 * %.Pg for P = 'prec' <= 15 and P - 23 <= X = 'x' < P: the P-digit
 * integer 'd' (10^(P-1) <= d < 10^P) with the decimal point placed by X
 * (style f, or style e for X < -4), trailing zeros removed, appended at
 * 'buf' + 'len'.
 *
 * d is scaled to sixteen digits, its first one not zero, and the two
 * eight-digit halves become sixteen digit bytes at once in an SSE2
 * register: each half is split into four-digit quarters (x / 10^4 as
 * (x * 0xd1b71759) >> 45 in 32 x 32 -> 64-bit lanes), those into pairs
 * (x / 100 as (x * 5243) >> 19, exact for x < 10^4) and those into
 * digits (x / 10 as (x * 6554) >> 16, exact for x < 100) in 16-bit lanes.
 * The last non-zero byte gives the digits kept; the decimal point goes
 * in by merging the characters with themselves shifted one byte up
 * (head_mask selects the integer digits).
 * Everything is stored with fixed-size stores that may write past the
 * end of the result (at most 'len' + 21 < BF_NUM_BUFSZ bytes).  Returns
 * the new length.
 */
static BF_INLINE size_t
layout_f(char *buf, size_t len, uint64_t d, int x, int prec)
{
	uint64_t dd = d * pow10_u64[16 - prec];
	__m128i v, q, t, h, u, tens, dig, lt;
	char *p = buf + len;
	int keep;

	v = _mm_set_epi64x((long long)(dd % 100000000),
	    (long long)(dd / 100000000));
	q = _mm_srli_epi64(_mm_mul_epu32(v, _mm_set1_epi32((int)0xd1b71759)),
	    45);
	t = _mm_sub_epi32(v, _mm_mul_epu32(q, _mm_set1_epi32(10000)));
	t = _mm_or_si128(q, _mm_slli_epi64(t, 32));
	h = _mm_srli_epi16(_mm_mulhi_epu16(t, _mm_set1_epi16(5243)), 3);
	/* x - 100 (x / 100) as one multiply-add of the pair (x, x / 100). */
	u = _mm_madd_epi16(_mm_or_si128(t, _mm_slli_epi32(h, 16)),
	    _mm_set1_epi32((int)0xff9c0001));
	u = _mm_or_si128(h, _mm_slli_epi32(u, 16));
	tens = _mm_mulhi_epu16(u, _mm_set1_epi16(6554));
	/* 256 (y - 10 (y / 10)) + y / 10 = 256 y - 2559 (y / 10). */
	dig = _mm_sub_epi16(_mm_slli_epi16(u, 8),
	    _mm_mullo_epi16(tens, _mm_set1_epi16(2559)));
	/* The first digit is not zero, so neither is the mask. */
	keep = 32 - __builtin_clz(~(unsigned)_mm_movemask_epi8(
	    _mm_cmpeq_epi8(dig, _mm_setzero_si128())) & 0xffff);
	dig = _mm_add_epi8(dig, _mm_set1_epi8('0'));
	if (x >= 0) {
		/*
		 * Bytes 0..X, then bytes X+1.. one place up, the gap at X+1
		 * filled with the point after the store.
		 */
		lt = _mm_loadu_si128((const __m128i *)(const void *)
		    (head_mask + 15 - x));
		dig = _mm_or_si128(_mm_and_si128(lt, dig),
		    _mm_andnot_si128(lt, _mm_slli_si128(dig, 1)));
		_mm_storeu_si128((__m128i *)(void *)p, dig);
		p[x + 1] = '.';
		len += keep > x + 1 ? (size_t)keep + 1 : (size_t)x + 1;
	} else if (x >= -4) {
		/* "0." and -X - 1 zeros before the digits. */
		memcpy(p, "0.000000", 8);
		_mm_storeu_si128((__m128i *)(void *)(p + 1 - x), dig);
		len += (size_t)(1 - x + keep);
	} else {
		/* Style e: D[.DDD]e-XX, the first digit moved left. */
		_mm_storeu_si128((__m128i *)(void *)(p + 1), dig);
		p[0] = (char)_mm_cvtsi128_si32(dig);
		p[1] = '.';
		len += place_exp(p + (keep > 1 ? keep + 1 : 1), x) +
		    (size_t)(keep > 1 ? keep + 1 : 1);
	}
	buf[len] = '\0';
	return len;
}
#else /* NUM_SSE2 */
/*
 * The eight decimal digits of 'n' (< 10^8, leading zeros included) as
 * the values 0..9 of the eight bytes of a word, the most significant
 * digit in the lowest byte, without a division: n is split into two
 * four-digit halves in 32-bit lanes, each lane into two-digit quarters
 * in 16-bit lanes, and each of those into digits in bytes.  A lane
 * divides by 100 as (x * 10486) >> 20 (exact for x < 10^4) and by 10 as
 * (x * 103) >> 10 (exact for x < 100); no product reaches into the next
 * lane, and the mask drops what the shift brings down from it.
 */
static inline uint64_t
digits8(uint32_t n)
{
	uint64_t x, y;

	x = (uint64_t)(n / 10000) | (uint64_t)(n % 10000) << 32;
	y = ((x * 10486) >> 20) & 0x0000007f0000007fULL;
	x = y | (x - 100 * y) << 16;
	y = ((x * 103) >> 10) & 0x000f000f000f000fULL;
	return y | (x - 10 * y) << 8;
}

/* Store the eight bytes of 'w' at 'p', its lowest byte first. */
static inline void
store8(char *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &w, sizeof(w));
#else
	for (int i = 0; i < 8; i++)
		p[i] = (char)(w >> 8 * i);
#endif
}

/*
 * %.Pg for P = 'prec' <= 15 and P - 23 <= X = 'x' < P: the P-digit
 * integer 'd' (10^(P-1) <= d < 10^P) with the decimal point placed by X
 * (style f, or style e for X < -4), trailing zeros removed, appended at
 * 'buf' + 'len'.  All P digits are
 * made at once as sixteen fixed-width characters (two digits8 words);
 * the trailing zeros are the zero bytes at the top of those words, and
 * the layout is done with fixed-size copies that may write past the end
 * of the result (at most 'len' + 33 < BF_NUM_BUFSZ bytes).  Returns the
 * new length.
 */
static BF_INLINE size_t
layout_f(char *buf, size_t len, uint64_t d, int x, int prec)
{
	const uint64_t zeros = 0x3030303030303030ULL;
	char dig[32], *p = buf + len;
	const char *s = dig + 16 - prec;	/* the first significant digit */
	uint64_t hi = digits8((uint32_t)(d / 100000000)),
	    lo = digits8((uint32_t)(d % 100000000));
	/* d >= 10^(P-1) > 0, so hi is not zero when lo is. */
	int keep = prec - (lo ? __builtin_clzll(lo) / 8 :
	    8 + __builtin_clzll(hi) / 8);

	store8(dig, hi + zeros);
	store8(dig + 8, lo + zeros);
	store8(dig + 16, zeros);
	store8(dig + 24, zeros);
	if (x >= 0) {
		/* X + 1 integer digits, then the fraction if any is left. */
		memcpy(p, s, 16);
		if (keep > x + 1) {
			p[x + 1] = '.';
			memcpy(p + x + 2, s + x + 1, 16);
			len += (size_t)keep + 1;
		} else {
			len += (size_t)x + 1;
		}
	} else if (x >= -4) {
		/* "0." and -X - 1 zeros before the digits. */
		memcpy(p, "0.000000", 8);
		memcpy(p + 1 - x, s, 16);
		len += (size_t)(1 - x + keep);
	} else {
		/* Style e: D[.DDD]e-XX, the first digit moved left. */
		memcpy(p + 1, s, 16);
		p[0] = s[0];
		p[1] = '.';
		len += place_exp(p + (keep > 1 ? keep + 1 : 1), x) +
		    (size_t)(keep > 1 ? keep + 1 : 1);
	}
	buf[len] = '\0';
	return len;
}
#endif /* NUM_SSE2 */

/*
 * The fast formatter: as bf_num_format for finite non-zero 'v' and
 * 'prec' in 1..17.  Returns the length, or 0 when it cannot do 'v'
 * exactly (the caller falls back to snprintf).
 */
static size_t
format_fast(char *buf, double v, int prec)
{
	uint64_t bits, m, d;
	int be, e, x, k, tries, len = 0, nfrac, keep, i;

	memcpy(&bits, &v, sizeof(bits));
	if (bits >> 63)
		buf[len++] = '-';
	be = (int)((bits >> 52) & 0x7ff);
	if (be == 0)
		return 0;	/* subnormal: far outside the fast range */
	m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
	e = be - 1075;		/* |v| = m * 2^e, 2^52 <= m < 2^53 */
	/*
	 * 78913 / 2^18 is log10(2) to within 8e-7: (q * 78913) >> 18 (an
	 * arithmetic shift floors) is floor(log10(2^q)) for every |q| < 1100.
	 */
	x = (int)(((int64_t)(e + 52) * 78913) >> 18);
	/*
	 * The estimate is floor(log10(2^(e+52))) exactly (checked for every
	 * e of a double), so X is x or x + 1; one exact comparison decides.
	 */
	if (x + 1 >= -P10_MIN && x + 1 <= P10_MAX &&
	    fabs(v) >= p10_ceil[x + 1 + P10_MIN])
		x++;
	for (tries = 0;; tries++) {
		k = prec - 1 - x;
		if (tries > 1)
			return 0;
		if (k >= 0 && k <= 22 && prec <= 15)
			d = round_p10(fabs(v), k);
		else if (scaled_round(m, e, k, &d) < 0)
			return 0;
		if (d < pow10_u64[prec - 1]) {
			return 0;	/* x too large: cannot happen */
		} else if (d < pow10_u64[prec]) {
			break;
		} else if (d == pow10_u64[prec]) {
			/* Rounded up into a new digit: 9.995 -> 10.0. */
			d = pow10_u64[prec - 1];
			x++;
			break;
		} else {
			x++;	/* beyond the table: x was one too small */
		}
	}
	/* Drop trailing zeros: 'keep' significant digits remain. */
	keep = prec;
	while (keep > 2 && d % 100 == 0) {
		d /= 100;
		keep -= 2;
	}
	if (keep > 1 && d % 10 == 0) {
		d /= 10;
		keep--;
	}
	if (x < -4 || x >= prec) {
		/* Style e: d[.ddd]e+XX; the first digit moves left. */
		put_digits(buf + len + 1, d, keep);
		buf[len] = buf[len + 1];
		len++;
		if (keep > 1) {
			buf[len] = '.';
			len += keep;
		}
		buf[len++] = 'e';
		buf[len++] = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x >= 100) {
			buf[len++] = (char)('0' + x / 100);
			x %= 100;
		}
		memcpy(buf + len, digit_pairs + 2 * x, 2);
		len += 2;
	} else if (x >= 0) {
		/* Style f, |v| >= 1: X + 1 integer digits. */
		if (keep <= x + 1) {
			put_digits(buf + len, d, keep);
			for (i = keep; i < x + 1; i++)
				buf[len + i] = '0';
			len += x + 1;
		} else {
			/* All digits, then the fraction moves right by one. */
			nfrac = keep - (x + 1);
			put_digits(buf + len, d, keep);
			len += x + 1;
			memmove(buf + len + 1, buf + len, (size_t)nfrac);
			buf[len++] = '.';
			len += nfrac;
		}
	} else {
		/* Style f, |v| < 1: "0." and -X - 1 zeros before the digits. */
		buf[len++] = '0';
		buf[len++] = '.';
		for (i = 0; i < -x - 1; i++)
			buf[len++] = '0';
		put_digits(buf + len, d, keep);
		len += keep;
	}
	buf[len] = '\0';
	return (size_t)len;
}

/*
 * The common case of bf_num_format, kept small and inlined: 'prec' <= 15
 * digits and P - 23 <= X < P (about 1e-11 <= |v| < 10^12 at P = 12),
 * where 0 <= k <= 22 and round_p10 applies: style f, and style e below
 * 1e-4.  scale_short finds X, returns it and stores D in 'out', or
 * returns SHORT_NO for any other 'v' (zero, subnormals, NaN and
 * infinities have exponents far out of the range).
 * |v| >= 10^X exactly, so D >= 10^(P-1); D = 10^P is a round-up into a
 * new digit (9.9996 -> 10.00).  format_short lays it out: it returns
 * the length, or 0 for SHORT_NO.
 */
#define SHORT_NO (-128)
#define LIST_CHUNK 64

static BF_INLINE int
scale_short(double v, int prec, uint64_t *out)
{
	const double two52 = 4503599627370496.0;
	uint64_t bits, d;
	double a = fabs(v), p0, p1, p, q0, q1, q, r, f;
	int x, k;
	bool up;

	memcpy(&bits, &v, sizeof(bits));
	/* As in format_fast: X is x or x + 1. */
	x = (int)(((int64_t)((bits >> 52) & 0x7ff) - 1023) * 78913 >> 18);
	if (x < prec - 23 || x >= prec)
		return SHORT_NO;
	/*
	 * So k is k or k - 1: both products are formed while the comparison
	 * that decides is made, which keeps it off the path to the digits.
	 * This is round_p10, its rounding to an integer done by the
	 * conversion itself where SSE2 has one that rounds to nearest.
	 */
	k = prec - 1 - x;
	p0 = pow10_dbl[k];
	p1 = pow10_dbl[k - (k > 0)];
	q0 = a * p0;
	q1 = a * p1;
	up = a >= p10_ceil[x + 1 + P10_MIN];
	x += up;
	if (x >= prec)
		return SHORT_NO;
	p = up ? p1 : p0;
	q = up ? q1 : q0;
	r = (q + two52) - two52;
	f = q - r;
#if NUM_SSE2
	d = (uint64_t)_mm_cvtsd_si64(_mm_set_sd(q));
#else
	d = (uint64_t)(int64_t)r;
#endif
	if (BF_UNLIKELY(!(fabs(f) < 0.5)))
		d = round_tie(a, p, q, r, f);
	if (BF_UNLIKELY(d >= pow10_u64[prec])) {
		if (x + 1 >= prec)
			return SHORT_NO;
		d = pow10_u64[prec - 1];
		x++;
	}
	*out = d;
	return x;
}

static BF_INLINE size_t
format_short(char *buf, double v, int prec)
{
	uint64_t d;
	int x = scale_short(v, prec, &d);

	if (x == SHORT_NO)
		return 0;
	buf[0] = '-';
	return layout_f(buf, signbit(v) ? 1 : 0, d, x, prec);
}
#endif /* NUM_FAST */

/* bf_num_format for every value and precision: see num.h. */
static BF_NOINLINE size_t
format_any(char *buf, double v, int digits)
{
	int n;

	if (digits < 1)
		digits = 1;
	if (digits > 17)
		digits = 17;
#if NUM_FAST
	if (v == 0) {
		/* %g prints zeros as "0" and "-0", whatever the precision. */
		n = 0;
		if (signbit(v))
			buf[n++] = '-';
		buf[n++] = '0';
		buf[n] = '\0';
		return (size_t)n;
	}
	if (isfinite(v)) {
		size_t len = format_fast(buf, v, digits);

		if (len > 0)
			return len;
	}
#endif
	n = snprintf(buf, BF_NUM_BUFSZ, "%.*g", digits, v);
	return n < 0 ? 0 : (size_t)n;
}

size_t
bf_num_format(char *buf, double v, int digits)
{
#if NUM_FAST
	if (BF_LIKELY(digits >= 1 && digits <= 15)) {
		size_t len = format_short(buf, v, digits);

		if (BF_LIKELY(len > 0))
			return len;
	}
#endif
	return format_any(buf, v, digits);
}

size_t
bf_num_format_list(char *buf, const double *v, size_t n, int digits,
    char sep)
{
	char *p = buf;

#if NUM_FAST
	/*
	 * In chunks: first the scaled integers of all (scale_short: a chain
	 * of dependent floating-point steps per value, none waiting for
	 * another value's), then the layout of each, which depends on where
	 * the one before it ended.  Done in one pass the processor has too
	 * few values in flight to hide the latency of each.
	 */
	if (digits >= 1 && digits <= 15) {
		uint64_t d[LIST_CHUNK];
		int8_t x[LIST_CHUNK];

		for (size_t i0 = 0; i0 < n; i0 += LIST_CHUNK) {
			const double *c = v + i0;
			size_t m = n - i0 < LIST_CHUNK ? n - i0 : LIST_CHUNK;

			for (size_t i = 0; i < m; i++)
				x[i] = (int8_t)scale_short(c[i], digits, &d[i]);
			for (size_t i = 0; i < m; i++) {
				*p++ = sep;
				if (BF_LIKELY(x[i] != SHORT_NO)) {
					*p = '-';
					p += layout_f(p, signbit(c[i]) ? 1 : 0,
					    d[i], x[i], digits);
				} else if (isfinite(c[i])) {
					p += format_any(p, c[i], digits);
				}
			}
		}
		*p = '\0';
		return (size_t)(p - buf);
	}
#endif
	for (size_t i = 0; i < n; i++) {
		*p++ = sep;
		if (!isfinite(v[i]))
			continue;
#if NUM_FAST
		if (BF_LIKELY(digits >= 1 && digits <= 15)) {
			size_t len = format_short(p, v[i], digits);

			if (BF_LIKELY(len > 0)) {
				p += len;
				continue;
			}
		}
#endif
		p += format_any(p, v[i], digits);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
bf_num_format_i64(char *buf, int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t len = 0;
	int n = 1;

	while (n < 20 && u >= pow10_u64[n])
		n++;
	if (v < 0)
		buf[len++] = '-';
	put_digits(buf + len, u, n);
	len += (size_t)n;
	buf[len] = '\0';
	return len;
}
