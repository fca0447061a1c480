/* SPDX-License-Identifier: MIT */
/*
 * archive.h - Binance Vision bulk files (binance-usdm.md §12) as the
 * first part of a fetch, with REST for the tail.
 *
 * Layout under the base URL:
 *
 *   data/futures/um/{monthly,daily}/<type>/<SYMBOL>/[<interval>/]
 *	<SYMBOL>-<interval|type>-YYYY-MM[-DD].zip  (+ .zip.CHECKSUM)
 *
 * klines, markPriceKlines, indexPriceKlines and premiumIndexKlines come
 * monthly and daily (the interval 1M is spelled 1mo), fundingRate monthly
 * only, metrics (5-minute open interest) daily only.  For each month of
 * the range the monthly file is tried first, then the days of that month;
 * the first file that does not exist (404: not published yet) ends the
 * archive part, and the pager goes on from the last row by REST.
 *
 * Each zip is checked against the SHA-256 in its .CHECKSUM before use; a
 * mismatch or a missing checksum is an error, never a silent fallback.
 * Each zip holds one CSV, with a header row or without one (files before
 * 2022 have none): a first line that does not start with a digit is a
 * header.  Rows pass to the pager (bf_pager_offer), which drops those
 * outside the range or already seen, and reports gaps as for REST.
 *
 * Row mapping: kline files keep their first 11 columns (the 12th, ignore,
 * is dropped); fundingRate's calc_time and last_funding_rate become
 * funding_time and funding_rate (mark_price is missing: the files have
 * none); metrics' create_time ("YYYY-MM-DD HH:MM:SS") becomes epoch ms,
 * sum_open_interest and sum_open_interest_value the open interest, and
 * only rows on the requested period's boundaries are kept.
 */
#ifndef BF_ARCHIVE_H
#define BF_ARCHIVE_H

#include "compat.h"
#include "bftime.h"
#include "err.h"
#include "http.h"
#include "market.h"

#define BF_ARCHIVE_DEFAULT_URL "https://data.binance.vision"

struct bf_archive_opts {
	const char *base_url;		/* archive base URL */
	const char *symbol;
	const struct bf_mkt_series *s;	/* klines family, funding or oi */
	const struct bf_interval *iv;	/* interval or period; NULL: none */
	int64_t now;
};

/*
 * Feed pager 'p' from the archive for as long as files exist.  Returns
 * 0 (then bf_mkt_fetch completes the range), or a negative code: a
 * network failure, a checksum mismatch, a bad zip or CSV (BF_EFAIL).
 */
int bf_archive_fetch(struct bf_http *h, const struct bf_archive_opts *o,
    struct bf_pager *p, struct bf_err *err);

/*
 * Feed the CSV text 'csv' ('len' bytes) of one archive file of series
 * 's' to 'p' ('name' is used in messages).  Exposed for the unit tests.
 */
int bf_archive_feed_csv(struct bf_pager *p, const char *name,
    const char *csv, size_t len, struct bf_err *err);

#endif /* BF_ARCHIVE_H */
