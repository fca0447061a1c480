# SPDX-License-Identifier: MIT
#
# archive.py - Binance Vision bulk files (binance-usdm.md §12) for the fake
# exchange: zips holding one CSV, each with a sibling .CHECKSUM in
# sha256sum format, in the layout
#
#   data/futures/um/{monthly,daily}/<type>/<SYMBOL>/[<interval>/]<file>.zip
#
# Files are served from a directory when one is given (--archive-dir), else
# made on the fly from the same generated market the REST side serves, so an
# archive plus a REST tail must equal a REST-only fetch.  Like the real
# archive: monthly files exist only for months that are over, daily files
# only for days that are over; fundingRate is monthly only and metrics
# daily only; kline files before --header-since have no header row; the
# monthly interval is spelled 1mo.

import calendar
import hashlib
import io
import os
import re
import time
import zipfile

from market import INTERVALS, MS_DAY, SYMBOLS, align, next_month, step

KLINE_TYPES = {"klines": "klines", "markPriceKlines": "mark",
               "indexPriceKlines": "index", "premiumIndexKlines": "premium"}
KLINE_HEADER = ("open_time,open,high,low,close,volume,close_time,"
                "quote_volume,count,taker_buy_volume,taker_buy_quote_volume,"
                "ignore")

PATH_RE = re.compile(
    r"^/data/futures/um/(monthly|daily)/(\w+)/([A-Z0-9]+)/(?:(\w+)/)?"
    r"([A-Z0-9]+)-(?:(\w+)-)?(\d{4})-(\d{2})(?:-(\d{2}))?\.zip"
    r"(\.CHECKSUM)?$")


def ymd_ms(y, m, d=1):
    return calendar.timegm((y, m, d, 0, 0, 0)) * 1000


class Archive:
    def __init__(self, market, directory=None, header_since="2022-05"):
        self.market = market
        self.dir = directory
        y, m = header_since.split("-")
        self.header_since = ymd_ms(int(y), int(m))
        self.cache = {}
        self.corrupt = set()  # paths whose checksum is made wrong

    def get(self, path):
        """(status, content type, body bytes) for an archive path."""
        if self.dir:
            full = os.path.normpath(os.path.join(self.dir, path.lstrip("/")))
            if not full.startswith(os.path.normpath(self.dir)) or \
                    not os.path.isfile(full):
                return 404, "text/plain", b"Not Found"
            with open(full, "rb") as f:
                return 200, "application/zip", f.read()
        m = PATH_RE.match(path)
        if not m:
            return 404, "text/plain", b"Not Found"
        zip_name = path.rsplit("/", 1)[1]
        if m.group(10):
            zip_name = zip_name[:-len(".CHECKSUM")]
        body = self.make(m)
        if body is None:
            return 404, "text/plain", b"Not Found"
        if m.group(10):
            digest = hashlib.sha256(body).hexdigest()
            if path[:-len(".CHECKSUM")] in self.corrupt:
                digest = "0" * 64
            return 200, "text/plain", ("%s  %s\n" % (digest, zip_name)
                                       ).encode()
        return 200, "application/zip", body

    def make(self, m):
        gran, dtype, sym, sub, fsym, name, y, mo, d = m.groups()[:9]
        if sym != fsym or sym not in SYMBOLS:
            return None
        y, mo = int(y), int(mo)
        if gran == "daily":
            if d is None:
                return None
            lo = ymd_ms(y, mo, int(d))
            hi = lo + MS_DAY
        else:
            if d is not None:
                return None
            lo = ymd_ms(y, mo)
            hi = next_month(lo)
        if hi > self.market.clock() or hi <= SYMBOLS[sym]:
            return None  # not published yet, or before the listing
        key = (gran, dtype, sym, sub, name, lo)
        if key in self.cache:
            return self.cache[key]
        if dtype in KLINE_TYPES:
            interval = "1M" if sub == "1mo" else sub
            if interval not in INTERVALS or name != sub:
                return None
            text = self.klines(sym, KLINE_TYPES[dtype], interval, lo, hi)
        elif dtype == "fundingRate" and gran == "monthly" and sub is None \
                and name == "fundingRate":
            text = self.funding(sym, lo, hi)
        elif dtype == "metrics" and gran == "daily" and sub is None \
                and name == "metrics":
            text = self.metrics(sym, lo, hi)
        else:
            return None
        stem = m.group(0).rsplit("/", 1)[1].split(".zip")[0]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo(stem + ".csv", date_time=(2024, 1, 1, 0,
                                                             0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        body = buf.getvalue()
        self.cache[key] = body
        return body

    def klines(self, sym, series, interval, lo, hi):
        mk = self.market
        now = mk.clock()
        lines = [KLINE_HEADER] if lo >= self.header_since else []
        t = max(align(interval, lo), align(interval, SYMBOLS[sym]))
        if t < lo:
            t = step(interval, t)
        while t < hi:
            if not mk.in_gap(t):
                r = mk.kline(sym, series, interval, t, now)
                lines.append(",".join(str(v) for v in r))
            t = step(interval, t)
        return "\n".join(lines) + "\n"

    def funding(self, sym, lo, hi):
        q = {"symbol": sym, "startTime": str(lo), "endTime": str(hi - 1),
             "limit": "1000"}
        rows = self.market.funding(q)
        lines = ["calc_time,funding_interval_hours,last_funding_rate"]
        for r in rows:
            lines.append("%d,8,%s" % (r["fundingTime"], r["fundingRate"]))
        return "\n".join(lines) + "\n"

    def metrics(self, sym, lo, hi):
        lines = ["create_time,symbol,sum_open_interest,"
                 "sum_open_interest_value,count_toptrader_long_short_ratio,"
                 "sum_toptrader_long_short_ratio,count_long_short_ratio,"
                 "sum_taker_long_short_vol_ratio"]
        t = lo
        while t < hi:
            r = self.market.oi_row(sym, t)
            ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t // 1000))
            lines.append("%s,%s,%s,%s,1.5,2.1,,0.98" % (
                ts, sym, r["sumOpenInterest"], r["sumOpenInterestValue"]))
            t += 5 * 60_000
        return "\n".join(lines) + "\n"

