# SPDX-License-Identifier: MIT
#
# server.py - the fake exchange's HTTP side: routing, the request-weight
# limiter, fault injection, request signing checks and the control
# endpoints the tests use.  The market itself is in market.py, the bulk
# archive in archive.py.
#
# Rate limiting (binance-usdm.md §3): every answer carries
# X-MBX-USED-WEIGHT-1M, the weight used in the current epoch minute (or
# --window-seconds window, so tests of the limit need not wait minutes).  A
# request that would pass --weight-limit gets 429 with Retry-After (the
# seconds to the next minute) and code -1003.  A client that sends again
# before a 429's Retry-After has passed commits a violation; after
# --ban-after violations it gets 418 ("IP banned until ...") for
# --ban-seconds.
#
# Faults (--fault SPEC, repeatable, or GET /_ctl/fault?spec=SPEC) are
# "KIND[,key=value...]" with KIND one of 429, 418, 500, 502, 503, 504,
# slow, badjson, drop, badsum; keys: count=N (how many requests, default
# 1), after=N (let N matching requests pass first), path=PREFIX (only
# requests under it), retry_after=S (429: the header; none to omit it),
# ms=N (slow: the delay).  --fault-rate P with --fault-kinds K1,K2 injects
# a random one of the kinds into each request with probability P (seeded
# by --seed, so runs repeat).
#
# Control endpoints (never counted, never faulted):
#   /_ctl/stats   JSON: requests, weight_max (the largest minute total),
#                 rate_limited, violations (requests before Retry-After),
#                 banned, faults, by_path counts
#   /_ctl/fault?spec=...   queue a fault      /_ctl/reset   clear everything
#   /_ctl/trading/...      the account behind the order endpoints
#                          (trading.py: state, fault?kind=..., reset)
#
# The signed order and account endpoints (POST/GET/DELETE) are routed
# to trading.py.
#
# --cache keeps the answers of kline requests wholly in the past, so that a
# benchmark's second run measures the client, not the generator.

import hmac
import hashlib
import json
import random
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from market import ApiError
from trading import PATHS as TRADING_PATHS, Trading, Unknown

WEIGHTS = {
    "/fapi/v1/ping": 1, "/fapi/v1/time": 1, "/fapi/v1/exchangeInfo": 1,
    "/fapi/v1/fundingRate": 1, "/futures/data/openInterestHist": 1,
    "/fapi/v1/openInterest": 1, "/fapi/v1/premiumIndex": 1,
    "/fapi/v1/trades": 5, "/fapi/v1/aggTrades": 20,
    "/fapi/v1/leverageBracket": 1,
    "/fapi/v1/order": 1, "/fapi/v1/openOrders": 1,
    "/fapi/v1/allOpenOrders": 1, "/fapi/v2/positionRisk": 5,
    "/fapi/v2/account": 5, "/fapi/v1/userTrades": 5,
    "/fapi/v1/leverage": 1,
}
KLINE_PATHS = {"/fapi/v1/klines": "klines",
               "/fapi/v1/markPriceKlines": "mark",
               "/fapi/v1/indexPriceKlines": "index",
               "/fapi/v1/premiumIndexKlines": "premium"}


def kline_weight(limit):
    if limit < 100:
        return 1
    if limit < 500:
        return 2
    if limit <= 1000:
        return 5
    return 10


def depth_weight(limit):
    if limit <= 50:
        return 2
    return {100: 5, 500: 10}.get(limit, 20)


class Fault:
    def __init__(self, spec):
        parts = spec.split(",")
        self.kind = parts[0]
        self.count = 1
        self.after = 0
        self.path = ""
        self.retry_after = "1"
        self.ms = 1500
        for p in parts[1:]:
            k, _, v = p.partition("=")
            if k == "count":
                self.count = int(v)
            elif k == "after":
                self.after = int(v)
            elif k == "path":
                self.path = v
            elif k == "retry_after":
                self.retry_after = v
            elif k == "ms":
                self.ms = int(v)
            else:
                raise ValueError("unknown fault key " + k)
        if self.kind not in ("429", "418", "500", "502", "503", "504",
                             "slow", "badjson", "drop", "badsum"):
            raise ValueError("unknown fault kind " + self.kind)


class State:
    """Everything the handler threads share, under one lock."""

    def __init__(self, args, market, archive):
        self.args = args
        self.market = market
        self.archive = archive
        self.lock = threading.Lock()
        self.rng = random.Random(args.seed)
        self.cache = {}  # --cache: finished kline pages by query
        self.trading = Trading(market)
        self.reset()
        for spec in args.fault or []:
            self.faults.append(Fault(spec))

    def reset(self):
        self.faults = []
        self.minute = 0
        self.used = 0
        self.weight_max = 0
        self.requests = 0
        self.rate_limited = 0
        self.violations = 0
        self.retry_deadline = 0.0
        self.banned_until = 0.0
        self.bans = 0
        self.injected = 0
        self.by_path = {}

    def stats(self):
        return {"requests": self.requests, "weight_max": self.weight_max,
                "weight_used": self.used, "rate_limited": self.rate_limited,
                "violations": self.violations, "banned": self.bans,
                "faults": self.injected, "by_path": self.by_path}

    def pick_fault(self, path):
        """The fault for this request, or None (call under the lock)."""
        for f in self.faults:
            if f.path and not path.startswith(f.path):
                continue
            if f.kind == "badsum" and not path.endswith(".CHECKSUM"):
                continue
            if f.after > 0:
                f.after -= 1
                continue
            f.count -= 1
            if f.count <= 0:
                self.faults.remove(f)
            return f
        rate = self.args.fault_rate
        if rate > 0 and not path.startswith("/data/") and \
                self.rng.random() < rate:
            kinds = self.args.fault_kinds.split(",")
            return Fault(self.rng.choice(kinds))
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY,
    # Nagle and the client's delayed ACK hold each keep-alive answer
    # back 40 ms.
    disable_nagle_algorithm = True
    server_version = "fake-exchange/1"

    def log_message(self, fmt, *a):
        if self.server.state.args.verbose:
            sys.stderr.write("fake-exchange: " + (fmt % a) + "\n")

    # ---- answers ----------------------------------------------------------

    def answer(self, status, body, ctype="application/json", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, msg, headers=()):
        self.answer(status, json.dumps({"code": code, "msg": msg}),
                    headers=headers)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        query = dict(urllib.parse.parse_qsl(url.query,
                                            keep_blank_values=True))
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            query.update(urllib.parse.parse_qsl(
                self.rfile.read(n).decode(), keep_blank_values=True))
        st = self.server.state
        if path.startswith("/_ctl/"):
            return self.control(path, query)
        if path.startswith("/data/"):
            return self.archive_file(path)
        weight = self.weight(path, query)
        now = time.time()
        with st.lock:
            st.requests += 1
            st.by_path[path] = st.by_path.get(path, 0) + 1
            if now < st.banned_until:
                until = int(st.banned_until * 1000)
                return self.error(418, -1003, "Way too many requests; IP(%s)"
                                  " banned until %d. Please use the "
                                  "websocket for live updates to avoid bans."
                                  % (self.client_address[0], until),
                                  [("Retry-After", str(int(
                                      st.banned_until - now) + 1))])
            if now < st.retry_deadline:
                st.violations += 1
                if st.violations >= st.args.ban_after:
                    st.banned_until = now + st.args.ban_seconds
                    st.bans += 1
                    return self.error(418, -1003, "Way too many requests; "
                                      "IP banned until %d." %
                                      int(st.banned_until * 1000))
            window = st.args.window_seconds
            minute = int(now // window)
            if minute != st.minute:
                st.minute = minute
                st.used = 0
            limit = st.args.weight_limit
            if limit > 0 and st.used + weight > limit:
                st.rate_limited += 1
                wait = window - int(now % window)
                st.retry_deadline = max(st.retry_deadline, now + wait - 0.5)
                return self.error(429, -1003, "Too many requests; current "
                                  "limit of IP is %d requests per minute."
                                  % limit,
                                  [("Retry-After", str(wait)),
                                   ("X-MBX-USED-WEIGHT-1M", str(st.used))])
            fault = st.pick_fault(path)
            if fault is None or fault.kind not in ("429", "418", "drop"):
                st.used += weight
                st.weight_max = max(st.weight_max, st.used)
            used = st.used
            if fault is not None:
                st.injected += 1
                if fault.kind == "429":
                    st.rate_limited += 1
                    if fault.retry_after != "none":
                        st.retry_deadline = now + float(fault.retry_after) \
                            - 0.05
        hdr = [("X-MBX-USED-WEIGHT-1M", str(used))]
        if fault is not None:
            if self.inject(fault, hdr):
                return
        try:
            status, body = self.route(path, query)
        except ApiError as e:
            return self.error(e.status, e.code, e.msg, hdr)
        if fault is not None and fault.kind == "badjson":
            body = body[:max(1, len(body) // 2)]
        self.answer(status, body, headers=hdr)

    # Orders and the account (trading.py) take the other methods.
    do_POST = do_GET
    do_DELETE = do_GET
    do_PUT = do_GET

    def inject(self, f, hdr):
        """Carry out fault f; True when the answer was sent."""
        k = f.kind
        if k == "429":
            h = list(hdr)
            if f.retry_after != "none":
                h.append(("Retry-After", f.retry_after))
            self.error(429, -1003, "Too many requests; current limit of IP "
                       "is 2400 requests per minute.", h)
            return True
        if k == "418":
            self.error(418, -1003, "Way too many requests; IP banned until "
                       "%d." % (int(time.time() * 1000) + 120000), hdr)
            return True
        if k in ("500", "502", "503", "504"):
            msg = {"503": "Service Unavailable."}.get(k, "Internal error; "
                                                      "unable to process "
                                                      "your request.")
            self.error(int(k), -1001 if k != "503" else -1008, msg, hdr)
            return True
        if k == "slow":
            time.sleep(f.ms / 1000.0)
            return False
        if k == "drop":
            try:
                self.connection.setsockopt(socket.SOL_SOCKET,
                                           socket.SO_LINGER,
                                           b"\x01\x00\x00\x00\x00\x00\x00"
                                           b"\x00")
            except OSError:
                pass
            self.close_connection = True
            self.connection.close()
            return True
        return False  # badjson: mangled after routing

    def weight(self, path, q):
        if path in KLINE_PATHS:
            try:
                return kline_weight(int(q.get("limit", 500)))
            except ValueError:
                return 1
        if path == "/fapi/v1/depth":
            try:
                return depth_weight(int(q.get("limit", 500)))
            except ValueError:
                return 2
        if path == "/fapi/v1/premiumIndex" and not q.get("symbol"):
            return 10
        return WEIGHTS.get(path, 1)

    # ---- routes -----------------------------------------------------------

    def route(self, path, q):
        mk = self.server.state.market
        if (self.command, path) in TRADING_PATHS:
            self.check_signature(q)
            try:
                status, v = self.server.state.trading.route(self.command,
                                                            path, q)
            except Unknown as u:
                if u.delay:
                    time.sleep(u.delay)
                return u.status, dumps(u.body)
            return status, dumps(v)
        if self.command != "GET":
            raise ApiError(-1000, "Unknown path %s." % path, 404)
        if path in KLINE_PATHS:
            st = self.server.state
            key = (path, tuple(sorted(q.items())))
            if key in st.cache:
                return 200, st.cache[key]
            body = mk.klines_json(q, KLINE_PATHS[path])
            end = q.get("endTime", "")
            if st.args.cache and end.isdigit() and \
                    int(end) < mk.clock() - 86400000 * 32:
                st.cache[key] = body  # history never changes
            return 200, body
        if path == "/fapi/v1/ping":
            return 200, "{}"
        if path == "/fapi/v1/time":
            return 200, json.dumps({"serverTime": mk.clock() +
                                    self.server.state.args.clock_skew_ms})
        if path == "/fapi/v1/exchangeInfo":
            return 200, json.dumps(mk.exchange_info(
                self.server.state.args.weight_limit or 2400),
                separators=(",", ":"))
        if path == "/fapi/v1/fundingRate":
            return 200, dumps(mk.funding(q))
        if path == "/futures/data/openInterestHist":
            return 200, dumps(mk.oi_hist(q))
        if path == "/fapi/v1/openInterest":
            return 200, dumps(mk.oi_now(q))
        if path == "/fapi/v1/premiumIndex":
            return 200, dumps(mk.premium_index(q))
        if path == "/fapi/v1/depth":
            return 200, dumps(mk.depth(q))
        if path == "/fapi/v1/trades":
            return 200, dumps(mk.trades(q))
        if path == "/fapi/v1/aggTrades":
            return 200, dumps(mk.agg_trades(q))
        if path == "/fapi/v1/leverageBracket":
            self.check_signature(q)
            return 200, mk.leverage_bracket_json(q)
        raise ApiError(-1000, "Unknown path %s." % path, 404)

    def check_signature(self, q):
        args = self.server.state.args
        key = self.headers.get("X-MBX-APIKEY")
        if not key:
            raise ApiError(-2015, "Invalid API-key, IP, or permissions for "
                           "action.", 401)
        if key != args.api_key:
            raise ApiError(-2015, "Invalid API-key, IP, or permissions for "
                           "action, request ip: 127.0.0.1", 401)
        raw = urllib.parse.urlsplit(self.path).query
        payload, sep, sig = raw.rpartition("&signature=")
        if not sep:
            raise ApiError(-1102, "Mandatory parameter 'signature' was not "
                           "sent, was empty/null, or malformed.")
        want = hmac.new(args.api_secret.encode(), payload.encode(),
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig.lower()):
            raise ApiError(-1022, "Signature for this request is not "
                           "valid.")
        ts = int(q.get("timestamp", "0"))
        window = int(q.get("recvWindow", "5000"))
        now = int(time.time() * 1000) + args.clock_skew_ms
        if ts >= now + 1000 or now - ts > window:
            raise ApiError(-1021, "Timestamp for this request is outside "
                           "of the recvWindow.")

    def archive_file(self, path):
        st = self.server.state
        with st.lock:
            st.requests += 1
            st.by_path["/data/"] = st.by_path.get("/data/", 0) + 1
            fault = st.pick_fault(path)
            if fault is not None:
                st.injected += 1
        if fault is not None and fault.kind == "badsum":
            st.archive.corrupt.add(path[:-len(".CHECKSUM")])
            fault = None
        if fault is not None and self.inject(fault, []):
            return
        status, ctype, body = st.archive.get(path)
        self.answer(status, body, ctype)

    def control(self, path, q):
        st = self.server.state
        if path.startswith("/_ctl/trading/"):
            status, body = st.trading.control(path, q)
            return self.answer(status, body)
        with st.lock:
            if path == "/_ctl/stats":
                return self.answer(200, json.dumps(st.stats()))
            if path == "/_ctl/reset":
                st.reset()
                st.archive.corrupt.clear()
                return self.answer(200, "{}")
            if path == "/_ctl/fault":
                try:
                    st.faults.append(Fault(q.get("spec", "")))
                except ValueError as e:
                    return self.answer(400, json.dumps({"error": str(e)}))
                return self.answer(200, "{}")
        return self.answer(404, "{}")


def dumps(v):
    return json.dumps(v, separators=(",", ":"))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
