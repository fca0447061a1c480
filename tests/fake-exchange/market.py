# SPDX-License-Identifier: MIT
#
# market.py - the fake exchange's market: deterministic generated data and
# Binance USD-M's paging semantics for each endpoint (binance-usdm.md §6).
#
# Every value is a pure function of (symbol, series, time), so any range of
# any interval can be served without storing anything, and two runs (or an
# archive file and a REST answer) always agree.  Prices are integer cents
# formatted as text, so the exact text is predictable.
#
# Maintenance gaps (times with no candles and no trades) come from the
# --gap option; one gap exists by default so clients must report it.
#
# Binance's rules reproduced here:
#   klines     startTime/endTime compare with the open time, both inclusive;
#              with startTime the first `limit` candles from it, without it
#              the last `limit` candles up to endTime (or now); the last
#              candle may be the open one (close time in the future).
#   funding    fundingTime inclusive both ends, the first `limit` rows from
#              startTime, else the last `limit`; some rows carry a few ms of
#              jitter; markPrice is "" before 2023-11-01.
#   oi hist    only the last 30 days; the LAST `limit` rows of the window.
#   aggTrades  startTime..endTime must span less than one hour; fromId
#              pages by id; ids are not contiguous across gaps.

import calendar
import csv
import time

MS_MIN = 60_000
MS_HOUR = 3_600_000
MS_DAY = 86_400_000

INTERVALS = {
    "1m": MS_MIN, "3m": 3 * MS_MIN, "5m": 5 * MS_MIN, "15m": 15 * MS_MIN,
    "30m": 30 * MS_MIN, "1h": MS_HOUR, "2h": 2 * MS_HOUR, "4h": 4 * MS_HOUR,
    "6h": 6 * MS_HOUR, "8h": 8 * MS_HOUR, "12h": 12 * MS_HOUR, "1d": MS_DAY,
    "3d": 3 * MS_DAY, "1w": 7 * MS_DAY, "1M": 0,
}
OI_PERIODS = ("5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d")

# Listing times (first 1m candle) of the symbols this exchange knows.
SYMBOLS = {
    "BTCUSDT": 1567962000000,  # 2019-09-08T17:00Z
    "ETHUSDT": 1574834400000,  # 2019-11-27T06:00Z
}
MARK_PRICE_SINCE = 1698796800000  # 2023-11-01: funding rows carry markPrice

SALT = {"klines": 11, "mark": 23, "index": 37, "premium": 41}


class ApiError(Exception):
    """An exchange refusal: HTTP status, code and message."""

    def __init__(self, code, msg, status=400):
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.status = status


def now_ms():
    return int(time.time() * 1000)


def cents(c):
    """Integer cents as price text with two decimals."""
    return "%d.%02d" % (c // 100, c % 100)


def month_start(t):
    y, m = time.gmtime(t // 1000)[:2]
    return calendar.timegm((y, m, 1, 0, 0, 0)) * 1000


def next_month(t):
    y, m = time.gmtime(t // 1000)[:2]
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return calendar.timegm((y, m, 1, 0, 0, 0)) * 1000


def align(interval, t):
    """The open time of the candle of `interval` containing t."""
    if interval == "1M":
        return month_start(t)
    ms = INTERVALS[interval]
    if interval == "1w":
        off = 4 * MS_DAY  # 1970-01-05 was a Monday
        return (t - off) // ms * ms + off
    return t // ms * ms


def step(interval, t):
    return next_month(t) if interval == "1M" else t + INTERVALS[interval]


def ceil_align(interval, t):
    a = align(interval, t)
    return a if a == t else step(interval, a)


class Market:
    def __init__(self, gaps=None, clock=now_ms, csv_klines=None,
                 csv_funding=None, page_cap=0):
        # gaps: list of (start, end) ms, end exclusive, without candles
        self.gaps = gaps if gaps is not None else [
            (1581213600000, 1581220800000)]  # 2020-02-09 02:00-04:00Z
        self.clock = clock
        self.page_cap = page_cap  # serve at most this many rows a page
        self.csv_klines = {}  # (symbol, interval) -> sorted list of rows
        for spec in csv_klines or []:
            iv, path = spec.split("=", 1)
            self.csv_klines[("BTCUSDT", iv)] = load_csv(path)
        self.csv_funding = load_csv(csv_funding) if csv_funding else None

    # ---- validation -------------------------------------------------------

    def symbol(self, q, key="symbol"):
        s = q.get(key)
        if not s:
            raise ApiError(-1102, "Mandatory parameter '%s' was not sent, "
                           "was empty/null, or malformed." % key)
        if s not in SYMBOLS:
            raise ApiError(-1121, "Invalid symbol.")
        return s

    @staticmethod
    def int_param(q, key, default=None):
        v = q.get(key)
        if v is None:
            return default
        try:
            return int(v)
        except ValueError:
            raise ApiError(-1100, "Illegal characters found in parameter "
                           "'%s'; legal range is '^[0-9]{1,20}$'." % key)

    def limit(self, q, default, maximum):
        n = self.int_param(q, "limit", default)
        if n <= 0 or n > maximum:
            raise ApiError(-1130, "Data sent for parameter 'limit' is not "
                           "valid.")
        if self.page_cap:
            n = min(n, self.page_cap)
        return n

    def in_gap(self, t):
        for a, b in self.gaps:
            if a <= t < b:
                return True
        return False

    # ---- klines -----------------------------------------------------------

    def kline(self, sym, series, interval, t, now):
        """One kline row as a list of JSON-ready values."""
        ms = (step(interval, t) - t)
        close_time = t + ms - 1
        m = t // MS_MIN + SALT[series] * 1000003 + (len(sym) * 7919)
        x = (m * 1103515245 + 12345) & 0x7fffffff
        y = (x * 69069 + 1) & 0x7fffffff
        base = 2_000_000 + (t // 3_600_000) % 5_000_000
        if sym == "ETHUSDT":
            base //= 15
        if series == "premium":
            o = (x % 20000) - 10000
            hi, lo = o + y % 500, o - (y >> 9) % 500
            c = lo + (y >> 3) % (hi - lo + 1)
            f = lambda v: "%s0.%08d" % ("-" if v < 0 else "", abs(v))
            return [t, f(o), f(hi), f(lo), f(c), "0", close_time, "0", 0,
                    "0", "0", "0"]
        o = base + x % 100000
        hi = o + y % 30000
        lo = o - (y >> 7) % 30000
        c = lo + (y >> 3) % (hi - lo + 1)
        if series in ("mark", "index"):
            return [t, cents(o), cents(hi), cents(lo), cents(c), "0",
                    close_time, "0", 0, "0", "0", "0"]
        vol = x % 9_000_000 + 1000           # thousandths of a coin
        tb = vol * (y % 1000) // 1000
        qv = vol * c // 1000                 # cents
        qtb = tb * c // 1000
        trades = 50 + y % 5000
        return [t, cents(o), cents(hi), cents(lo), cents(c),
                "%d.%03d" % (vol // 1000, vol % 1000), close_time,
                "%d.%05d" % (qv // 100, (qv % 100) * 1000), trades,
                "%d.%03d" % (tb // 1000, tb % 1000),
                "%d.%05d" % (qtb // 100, (qtb % 100) * 1000), "0"]

    def kline_times(self, sym, interval, start, end, limit):
        """Open times of existing candles in [start, end], `limit` of them
        from start (start given) or ending at end."""
        first = max(SYMBOLS[sym], 0)
        now = self.clock()
        end = min(end, now)
        if start is not None:
            t = ceil_align(interval, max(start, align(interval, first)))
            out = []
            while t <= end and len(out) < limit:
                if not self.in_gap(t):
                    out.append(t)
                t = step(interval, t)
            return out
        # the last `limit` candles up to end
        out = []
        t = align(interval, end)
        lo = align(interval, first)
        while t >= lo and len(out) < limit:
            if not self.in_gap(t):
                out.append(t)
            t = align(interval, t - 1)
        out.reverse()
        return out

    def klines(self, q, series):
        sym = self.symbol(q, "pair" if series == "index" else "symbol")
        interval = q.get("interval")
        if interval not in INTERVALS:
            raise ApiError(-1120, "Invalid interval.")
        limit = self.limit(q, 500, 1500)
        start = self.int_param(q, "startTime")
        end = self.int_param(q, "endTime", 1 << 62)
        if start is not None and start > end:
            raise ApiError(-1023, "Start time is greater than end time.")
        csvrows = self.csv_klines.get((sym, interval))
        if csvrows is not None and series == "klines":
            return self.csv_range(csvrows, start, end, limit)
        now = self.clock()
        times = self.kline_times(sym, interval, start, end, limit)
        return [self.kline(sym, series, interval, t, now) for t in times]

    def kline_text(self, sym, interval, t, ms):
        """kline(sym, "klines", interval, t) as JSON text, inlined for
        speed (the benchmark's cold run is bound by this)."""
        m = t // MS_MIN + 11 * 1000003 + len(sym) * 7919
        x = (m * 1103515245 + 12345) & 0x7fffffff
        y = (x * 69069 + 1) & 0x7fffffff
        base = 2_000_000 + (t // 3_600_000) % 5_000_000
        if sym == "ETHUSDT":
            base //= 15
        o = base + x % 100000
        hi = o + y % 30000
        lo = o - (y >> 7) % 30000
        c = lo + (y >> 3) % (hi - lo + 1)
        vol = x % 9_000_000 + 1000
        tb = vol * (y % 1000) // 1000
        qv = vol * c // 1000
        qtb = tb * c // 1000
        return ('[%d,"%d.%02d","%d.%02d","%d.%02d","%d.%02d","%d.%03d",%d,'
                '"%d.%05d",%d,"%d.%03d","%d.%05d","0"]' % (
                    t, o // 100, o % 100, hi // 100, hi % 100, lo // 100,
                    lo % 100, c // 100, c % 100, vol // 1000, vol % 1000,
                    t + ms - 1, qv // 100, (qv % 100) * 1000,
                    50 + y % 5000, tb // 1000, tb % 1000, qtb // 100,
                    (qtb % 100) * 1000))

    def klines_json(self, q, series):
        """The klines answer as JSON text, built by hand for speed."""
        iv = q.get("interval")
        if series == "klines" and iv in INTERVALS and iv != "1M" and \
                (q.get("symbol"), iv) not in self.csv_klines:
            sym = self.symbol(q)
            limit = self.limit(q, 500, 1500)
            start = self.int_param(q, "startTime")
            end = self.int_param(q, "endTime", 1 << 62)
            if start is not None and start > end:
                raise ApiError(-1023, "Start time is greater than end "
                               "time.")
            ms = INTERVALS[iv]
            times = self.kline_times(sym, iv, start, end, limit)
            return "[" + ",".join([self.kline_text(sym, iv, t, ms)
                                   for t in times]) + "]"
        rows = self.klines(q, series)
        parts = []
        for r in rows:
            parts.append('[%d,"%s","%s","%s","%s","%s",%d,"%s",%s,"%s","%s",'
                         '"%s"]' % (r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                                    r[7], r[8] if r[8] != "" else '""',
                                    r[9], r[10], r[11]))
        return "[" + ",".join(parts) + "]"

    @staticmethod
    def csv_range(rows, start, end, limit):
        sel = [r for r in rows if (start is None or r[0] >= start)
               and r[0] <= end]
        sel = sel[:limit] if start is not None else sel[-limit:]
        out = []
        for r in sel:
            trades = int(r[8]) if r[8] != "" else ""
            out.append([r[0], r[1], r[2], r[3], r[4], r[5],
                        int(r[6]) if r[6] != "" else r[0],
                        r[7], trades, r[9], r[10], "0"])
        return out

    # ---- funding ----------------------------------------------------------

    def funding_row(self, sym, i, t0):
        t = t0 + (2 if i % 11 == 3 else 0)  # the exchange's jitter
        x = (i * 2654435761 + len(sym)) & 0xffffffff
        rate = (x % 30000) - 5000  # 1e-8 units
        sign = "-" if rate < 0 else ""
        mark = cents(2_000_000 + x % 4_000_000) + "000000" \
            if t0 >= MARK_PRICE_SINCE else ""
        return {"symbol": sym, "fundingTime": t,
                "fundingRate": "%s0.%08d" % (sign, abs(rate)),
                "markPrice": mark}

    def funding(self, q):
        sym = self.symbol(q)
        limit = self.limit(q, 100, 1000)
        start = self.int_param(q, "startTime")
        end = self.int_param(q, "endTime", 1 << 62)
        if self.csv_funding is not None and sym == "BTCUSDT":
            rows = [r for r in self.csv_funding
                    if (start is None or r[0] >= start) and r[0] <= end]
            rows = rows[:limit] if start is not None else rows[-limit:]
            return [{"symbol": r[1], "fundingTime": r[0],
                     "fundingRate": r[2], "markPrice": r[3]} for r in rows]
        period = 8 * MS_HOUR
        first = (SYMBOLS[sym] + period - 1) // period * period
        now = self.clock()
        last = min(end, now)
        out = []
        if start is not None:
            t = max(first, (start - 2 + period - 1) // period * period)
            while t <= last + 2 and len(out) < limit:
                r = self.funding_row(sym, (t - first) // period, t)
                if start <= r["fundingTime"] <= end and \
                        r["fundingTime"] <= now:
                    out.append(r)
                t += period
            return out
        t = last // period * period
        while t >= first and len(out) < limit:
            r = self.funding_row(sym, (t - first) // period, t)
            if r["fundingTime"] <= last:
                out.append(r)
            t -= period
        out.reverse()
        return out

    # ---- open interest ----------------------------------------------------

    def oi_row(self, sym, t):
        x = (t // MS_MIN * 40503 + len(sym)) & 0xffffffff
        oi = 80_000_000 + x % 20_000_000  # thousandths
        val = oi * (2_000_000 + x % 4_000_000) // 1000  # cents
        return {"symbol": sym, "sumOpenInterest": "%d.%03d0000" %
                (oi // 1000, oi % 1000),
                "sumOpenInterestValue": "%d.%02d000000" % (val // 100,
                                                           val % 100),
                "CMCCirculatingSupply": "19800000.00", "timestamp": t}

    def oi_hist(self, q):
        sym = self.symbol(q)
        period = q.get("period")
        if period not in OI_PERIODS:
            raise ApiError(-1102, "Mandatory parameter 'period' was not "
                           "sent, was empty/null, or malformed.")
        limit = self.limit(q, 30, 500)
        ms = INTERVALS[period]
        now = self.clock()
        lo = align(period, now - 30 * MS_DAY) + ms
        start = self.int_param(q, "startTime")
        end = self.int_param(q, "endTime", now)
        end = min(end, now - ms)
        t = ceil_align(period, max(lo, start if start is not None else lo))
        times = []
        while t <= end:
            times.append(t)
            t += ms
        return [self.oi_row(sym, t) for t in times[-limit:]]

    def oi_now(self, q):
        sym = self.symbol(q)
        t = self.clock()
        r = self.oi_row(sym, t)
        return {"openInterest": r["sumOpenInterest"][:-4], "symbol": sym,
                "time": t}

    # ---- premium index, depth, trades -------------------------------------

    def premium_index(self, q):
        def one(sym):
            now = self.clock()
            k = self.kline(sym, "mark", "1m", now // MS_MIN * MS_MIN, now)
            nf = (now // (8 * MS_HOUR) + 1) * 8 * MS_HOUR
            return {"symbol": sym, "markPrice": k[4] + "000000",
                    "indexPrice": k[1] + "123456",
                    "estimatedSettlePrice": k[3] + "000000",
                    "lastFundingRate": "0.00010000",
                    "interestRate": "0.00010000", "nextFundingTime": nf,
                    "time": now}
        if q.get("symbol"):
            return one(self.symbol(q))
        return [one(s) for s in SYMBOLS]

    def depth(self, q):
        sym = self.symbol(q)
        limit = self.int_param(q, "limit", 500)
        if limit not in (5, 10, 20, 50, 100, 500, 1000):
            raise ApiError(-1130, "Data sent for parameter 'limit' is not "
                           "valid.")
        now = self.clock()
        mid = 2_000_000 + (now // MS_MIN) % 5_000_000
        bids = [[cents(mid - 10 * i), "%d.%03d" % ((i * 37) % 9 + 1,
                                                   (i * 101) % 1000)]
                for i in range(limit)]
        asks = [[cents(mid + 10 + 10 * i), "%d.%03d" % ((i * 53) % 9 + 1,
                                                        (i * 7) % 1000)]
                for i in range(limit)]
        return {"lastUpdateId": now * 10, "E": now, "T": now - 3,
                "bids": bids, "asks": asks}

    # aggregate trade a happens at AGG_T0 + 250 a + r(a), r(a) < 250
    AGG_T0 = 1567962000000

    def agg_time(self, a):
        return self.AGG_T0 + a * 250 + (a * 7919) % 250

    def agg_row(self, a):
        x = (a * 2654435761) & 0xffffffff
        fid = a * 3
        return {"a": a, "p": cents(2_000_000 + x % 4_000_000),
                "q": "%d.%03d" % (x % 5, (x >> 8) % 1000 + 1),
                "f": fid, "l": fid + x % 3, "T": self.agg_time(a),
                "m": bool(x & 1)}

    def agg_first(self, t):
        """The smallest id whose time is >= t."""
        a = max(0, (t - self.AGG_T0) // 250 - 1)
        while self.agg_time(a) < t:
            a += 1
        return a

    def agg_trades(self, q):
        sym = self.symbol(q)
        limit = self.limit(q, 500, 1000)
        now = self.clock()
        from_id = self.int_param(q, "fromId")
        start = self.int_param(q, "startTime")
        end = self.int_param(q, "endTime")
        if start is not None and end is not None and end - start >= MS_HOUR:
            raise ApiError(-1127, "More than 1 hours between startTime and "
                           "endTime.")
        if from_id is not None:
            a = max(from_id, 0)
            hi = now
        elif start is not None:
            a = self.agg_first(start)
            hi = end if end is not None else start + MS_HOUR - 1
        else:
            a = max(0, self.agg_first(now) - limit)
            hi = now
        hi = min(hi, now)
        out = []
        a = max(a, self.agg_first(SYMBOLS[sym]))
        while len(out) < limit:
            t = self.agg_time(a)
            if t > hi:
                break
            if not self.in_gap(t):
                out.append(self.agg_row(a))
            a += 1
        return out

    def trades(self, q):
        sym = self.symbol(q)
        limit = self.limit(q, 500, 1000)
        now = self.clock()
        a = self.agg_first(now) - limit
        out = []
        for i in range(limit):
            r = self.agg_row(a + i)
            out.append({"id": r["f"], "price": r["p"], "qty": r["q"],
                        "quoteQty": "%d.%02d" % divmod(
                            int(r["p"].replace(".", "")) * 2, 100),
                        "time": r["T"], "isBuyerMaker": r["m"],
                        "isRPITrade": False})
        del sym
        return out

    # ---- metadata ---------------------------------------------------------

    def exchange_info(self, weight_limit):
        def filters(sym):
            eth = sym == "ETHUSDT"
            return [
                {"filterType": "PRICE_FILTER", "minPrice": "556.80" if not
                 eth else "39.86", "maxPrice": "4529764", "tickSize":
                 "0.10" if not eth else "0.01"},
                {"filterType": "LOT_SIZE", "minQty": "0.001", "maxQty":
                 "1000", "stepSize": "0.001"},
                {"filterType": "MARKET_LOT_SIZE", "minQty": "0.001",
                 "maxQty": "120", "stepSize": "0.001"},
                {"filterType": "MAX_NUM_ORDERS", "limit": 200},
                {"filterType": "MAX_NUM_ALGO_ORDERS", "limit": 10},
                {"filterType": "MIN_NOTIONAL", "notional": "100" if not eth
                 else "20"},
                {"filterType": "PERCENT_PRICE", "multiplierUp": "1.0500",
                 "multiplierDown": "0.9500", "multiplierDecimal": "4"},
                {"filterType": "POSITION_RISK_CONTROL", "positionControlSide":
                 "NONE"},
            ]
        syms = [{"symbol": s, "pair": s, "contractType": "PERPETUAL",
                 "deliveryDate": 4133404800000, "onboardDate": t,
                 "status": "TRADING", "baseAsset": s[:-4], "quoteAsset":
                 "USDT", "marginAsset": "USDT", "pricePrecision": 2,
                 "quantityPrecision": 3, "liquidationFee": "0.012500",
                 "marketTakeBound": "0.05", "filters": filters(s)}
                for s, t in SYMBOLS.items()]
        return {"timezone": "UTC", "serverTime": self.clock(),
                "rateLimits": [{"rateLimitType": "REQUEST_WEIGHT",
                                "interval": "MINUTE", "intervalNum": 1,
                                "limit": weight_limit}],
                "exchangeFilters": [], "symbols": syms}

    def leverage_bracket_json(self, q):
        sym = q.get("symbol")
        if sym and sym not in SYMBOLS:
            raise ApiError(-1121, "Invalid symbol.")
        # JSON numbers on purpose: the client must keep their exact text.
        br = ('{"symbol":"%s","notionalCoef":1.50,"brackets":['
              '{"bracket":1,"initialLeverage":125,"notionalCap":50000,'
              '"notionalFloor":0,"maintMarginRatio":0.004,"cum":0.0},'
              '{"bracket":2,"initialLeverage":100,"notionalCap":600000,'
              '"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50.0},'
              '{"bracket":3,"initialLeverage":75,"notionalCap":3000000,'
              '"notionalFloor":600000,"maintMarginRatio":0.0065,'
              '"cum":950.0}]}')
        if sym:
            return "[" + br % sym + "]"
        return "[" + ",".join(br % s for s in SYMBOLS) + "]"


def load_csv(path):
    """A bf CSV file (header by name) as rows with an int first column."""
    with open(path, newline="") as f:
        rd = csv.reader(f)
        next(rd)
        rows = []
        for r in rd:
            r[0] = int(r[0])
            rows.append(r)
    return rows
