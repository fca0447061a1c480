# SPDX-License-Identifier: MIT
#
# ws.py - the fake exchange's WebSocket market streams (binance-usdm.md
# §9): /market/ws/<symbol>@kline_<interval>, @markPrice@1s, @aggTrade and
# /public/ws/<symbol>@bookTicker, @depth<N>[@100ms], raw events, one
# every --ws-interval-ms.
#
# Time runs fast for klines: each candle, starting 1000 intervals ago, gets
# three updates (x false, false, then true), so a test sees closed candles
# within milliseconds.  Sequences go on across connections (state is per
# stream name), and a new connection first repeats the last event sent,
# as a real reconnect may, so clients must drop what they have seen.
# --ws-drop-after N closes every connection after N messages.

import asyncio
import json
import os
import re
import threading

import websockets

from market import INTERVALS, MS_MIN, SYMBOLS, align, step

PATH_RE = re.compile(r"^/(market|public)/ws/([a-z0-9]+)@([A-Za-z0-9_@]+)$")


class Streams:
    def __init__(self, market, interval_ms, drop_after):
        self.market = market
        self.interval = interval_ms / 1000.0
        self.drop_after = drop_after
        self.seq = {}  # stream name -> events sent so far

    def event(self, sym, kind, n):
        """Event number n of a stream (deterministic)."""
        mk = self.market
        now = mk.clock()
        if kind.startswith("kline_"):
            iv = kind[len("kline_"):]
            t = align(iv, now)
            for _ in range(1000):
                t = align(iv, t - 1)
            for _ in range(n // 3):
                t = step(iv, t)
            r = mk.kline(sym, "klines", iv, t, now)
            return {"e": "kline", "E": now, "s": sym, "k": {
                "t": r[0], "T": r[6], "s": sym, "i": iv, "f": 100 + n,
                "L": 200 + n, "o": r[1], "c": r[4], "h": r[2], "l": r[3],
                "v": r[5], "n": r[8], "x": n % 3 == 2, "q": r[7],
                "V": r[9], "Q": r[10], "B": "0"}}
        if kind in ("markPrice", "markPrice@1s"):
            k = mk.kline(sym, "mark", "1m", now // MS_MIN * MS_MIN, now)
            return {"e": "markPriceUpdate", "E": 1700000000000 + n * 1000,
                    "s": sym, "p": k[4] + "000000", "ap": k[4] + "000000",
                    "i": k[1] + "123456", "P": k[3] + "000000",
                    "r": "0.000%05d" % (n % 1000), "T": (now // 28800000 + 1)
                    * 28800000}
        if kind == "aggTrade":
            a = 5_000_000 + n
            r = mk.agg_row(a)
            r.update({"e": "aggTrade", "E": r["T"], "s": sym})
            return r
        if kind == "bookTicker":
            k = 2_000_000 + (n * 37) % 10000
            return {"e": "bookTicker", "u": 400900217 + n, "E": now,
                    "T": now - 1, "s": sym,
                    "b": "%d.%02d" % divmod(k, 100), "B": "3.210",
                    "a": "%d.%02d" % divmod(k + 10, 100), "A": "1.005"}
        m = re.match(r"^depth(5|10|20)(@100ms|@500ms)?$", kind)
        if m:
            lv = int(m.group(1))
            mid = 2_000_000 + (n * 13) % 10000
            return {"e": "depthUpdate", "E": now, "T": now - 2, "s": sym,
                    "U": 1000 + n * 10, "u": 1009 + n * 10,
                    "pu": 999 + n * 10,
                    "b": [["%d.%02d" % divmod(mid - 10 * i, 100), "1.000"]
                          for i in range(lv)],
                    "a": [["%d.%02d" % divmod(mid + 10 + 10 * i, 100),
                           "2.000"] for i in range(lv)]}
        return None

    async def handler(self, ws, path):
        m = PATH_RE.match(path)
        if not m:
            await ws.close(1008, "unknown stream")
            return
        route, sym, kind = m.groups()
        sym = sym.upper()
        public = kind == "bookTicker" or kind.startswith("depth")
        if sym not in SYMBOLS or public != (route == "public") or \
                (kind.startswith("kline_") and
                 kind[len("kline_"):] not in INTERVALS) or \
                self.event(sym, kind, 0) is None:
            # Binance pushes nothing for a wrong stream; close instead.
            await ws.close(1008, "unknown stream")
            return
        name = path
        n = max(0, self.seq.get(name, 0) - 1)  # repeat the last event
        sent = 0
        try:
            while True:
                await ws.send(json.dumps(self.event(sym, kind, n),
                                         separators=(",", ":")))
                n += 1
                sent += 1
                self.seq[name] = max(self.seq.get(name, 0), n)
                if self.drop_after and sent >= self.drop_after:
                    await ws.close()
                    return
                await asyncio.sleep(self.interval)
        except websockets.ConnectionClosed:
            return


def start(market, port_file, interval_ms=20, drop_after=0):
    """Serve the streams on 127.0.0.1 in a thread; write the port."""
    streams = Streams(market, interval_ms, drop_after)
    ready = threading.Event()

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(
            websockets.serve(streams.handler, "127.0.0.1", 0))
        port = server.sockets[0].getsockname()[1]
        tmp = port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, port_file)
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    ready.wait(10)
