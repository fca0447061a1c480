# SPDX-License-Identifier: MIT
#
# trading.py - the fake exchange's account: orders, positions and the
# wallet of one USD-M account in one-way mode, behind the signed
# endpoints bf-exec uses (binance-usdm.md §8):
#
#   POST   /fapi/v1/order         MARKET fills at once at the mark price;
#                                 LIMIT fills at once at its price when
#                                 marketable, else rests (NEW)
#   GET    /fapi/v1/order         by orderId or origClientOrderId (-2013)
#   DELETE /fapi/v1/order         an open order -> CANCELED, else -2011
#   GET    /fapi/v1/openOrders    DELETE /fapi/v1/allOpenOrders
#   GET    /fapi/v2/positionRisk  GET /fapi/v2/account
#   GET    /fapi/v1/userTrades    POST /fapi/v1/leverage
#
# The exchange's rules are checked as it checks them: quantity on the
# step (-1111 for too many decimals, -4023 off the step), price on the
# tick (-4014), MIN_NOTIONAL unless reduce-only (-4164), reduce-only
# that would not reduce (-2022), clientOrderId syntax (-4015) and
# uniqueness among open orders (-4116), conditional types (-4120).
# Fees: taker 0.0005, maker 0.0002, of price x qty.
#
# Unknown outcomes, the case bf-exec's reconciliation exists for, are
# injected with GET /_ctl/trading/fault?kind=K[&count=N]; the next N
# order placements then meet K:
#   timeout   the order is accepted, the answer comes after 3 s (the
#             client has given up by then)
#   e1007     accepted, answered 408 {"code":-1007} (execution unknown)
#   e503      accepted, answered 503 {"code":-1000}
#   lost503   not accepted, answered 503 {"code":-1000}
#   hidden    accepted and answered, but GET /fapi/v1/order does not
#             see it for the next 2 queries (not yet visible)
# GET /_ctl/trading/state shows orders, position, wallet and the count
# of placements received; /_ctl/trading/reset starts a fresh account.

import json
import re
import threading
import time
from decimal import Decimal

from market import ApiError

STEP = Decimal("0.001")
TICK = {"BTCUSDT": Decimal("0.10"), "ETHUSDT": Decimal("0.01")}
MIN_NOTIONAL = {"BTCUSDT": Decimal("100"), "ETHUSDT": Decimal("20")}
TAKER = Decimal("0.0005")
MAKER = Decimal("0.0002")
COID = re.compile(r"^[\.A-Z\:/a-z0-9_-]{1,36}$")
PATHS = {
    ("POST", "/fapi/v1/order"), ("GET", "/fapi/v1/order"),
    ("DELETE", "/fapi/v1/order"), ("GET", "/fapi/v1/openOrders"),
    ("DELETE", "/fapi/v1/allOpenOrders"), ("GET", "/fapi/v2/positionRisk"),
    ("GET", "/fapi/v2/account"), ("GET", "/fapi/v1/userTrades"),
    ("POST", "/fapi/v1/leverage"),
}


def dec_text(d, places=8):
    """A Decimal as the exchange writes it: fixed places."""
    return format(d.quantize(Decimal(1).scaleb(-places)), "f")


class Unknown(Exception):
    """An answer other than the order: (status, body, delay seconds)."""

    def __init__(self, status, body, delay=0.0):
        super().__init__(status)
        self.status = status
        self.body = body
        self.delay = delay


class Trading:
    def __init__(self, market):
        self.market = market
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.orders = {}         # orderId -> order dict
        self.trades = []
        self.amt = {}            # symbol -> signed Decimal
        self.entry = {}          # symbol -> Decimal
        self.leverage = {}
        self.wallet = Decimal("10000")
        self.next_id = 1000001
        self.placements = 0      # POST /fapi/v1/order received
        self.faults = []         # [kind, count]
        self.hidden = {}         # orderId -> queries still hidden

    # ---- helpers ------------------------------------------------------------

    def mark(self, sym):
        p = self.market.premium_index({"symbol": sym})["markPrice"]
        return Decimal(p).quantize(TICK[sym])

    def sym(self, q):
        return self.market.symbol(q)

    def order_view(self, o):
        return {k: v for k, v in o.items() if not k.startswith("_")}

    def find(self, q, sym):
        if q.get("orderId"):
            o = self.orders.get(int(q["orderId"]))
        elif q.get("origClientOrderId"):
            cands = [o for o in self.orders.values()
                     if o["clientOrderId"] == q["origClientOrderId"]
                     and o["symbol"] == sym]
            o = cands[-1] if cands else None
        else:
            raise ApiError(-1102, "Param 'origClientOrderId' or 'orderId' "
                           "must be sent, but both were empty/null!")
        if o is not None and o["symbol"] != sym:
            o = None
        return o

    def fill(self, o, price, rate):
        sym = o["symbol"]
        qty = Decimal(o["origQty"])
        dq = qty if o["side"] == "BUY" else -qty
        amt = self.amt.get(sym, Decimal(0))
        entry = self.entry.get(sym, Decimal(0))
        realized = Decimal(0)
        if amt != 0 and (amt > 0) != (dq > 0):
            closed = min(abs(amt), qty)
            sign = 1 if amt > 0 else -1
            realized = (price - entry) * closed * sign
            new = amt + dq
            if new == 0:
                entry = Decimal(0)
            elif (new > 0) != (amt > 0):
                entry = price
        else:
            new = amt + dq
            entry = (entry * abs(amt) + price * qty) / abs(new)
        fee = (price * qty * rate).quantize(Decimal("0.00000001"))
        self.wallet += realized - fee
        self.amt[sym] = new
        self.entry[sym] = entry
        o["status"] = "FILLED"
        o["executedQty"] = o["cumQty"] = o["origQty"]
        o["avgPrice"] = dec_text(price, 2)
        o["cumQuote"] = dec_text(price * qty, 5)
        o["updateTime"] = int(time.time() * 1000)
        self.trades.append({
            "symbol": sym, "id": len(self.trades) + 1,
            "orderId": o["orderId"], "side": o["side"],
            "price": str(price), "qty": o["origQty"],
            "realizedPnl": dec_text(realized), "quoteQty":
            dec_text(price * qty, 5), "commission": dec_text(fee),
            "commissionAsset": "USDT", "time": o["updateTime"],
            "positionSide": "BOTH", "buyer": o["side"] == "BUY",
            "maker": rate == MAKER})

    # ---- endpoints ----------------------------------------------------------

    def place(self, q):
        sym = self.sym(q)
        side = q.get("side")
        typ = q.get("type")
        if side not in ("BUY", "SELL"):
            raise ApiError(-1117, "Invalid side.")
        if typ in ("STOP", "STOP_MARKET", "TAKE_PROFIT",
                   "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"):
            raise ApiError(-4120, "Order type not supported for this "
                           "endpoint. Please use the Algo Order API "
                           "endpoints instead.")
        if typ not in ("MARKET", "LIMIT"):
            raise ApiError(-1116, "Invalid orderType.")
        qs = q.get("quantity", "")
        if not re.match(r"^[0-9]+(\.[0-9]+)?$", qs):
            raise ApiError(-1102, "Mandatory parameter 'quantity' was not "
                           "sent, was empty/null, or malformed.")
        if "." in qs and len(qs.split(".")[1]) > 3:
            raise ApiError(-1111, "Precision is over the maximum defined "
                           "for this asset.")
        qty = Decimal(qs)
        if qty <= 0:
            raise ApiError(-4003, "Quantity less than or equal to zero.")
        if qty % STEP != 0:
            raise ApiError(-4023, "Quantity not increased by step size.")
        price = None
        if typ == "LIMIT":
            ps = q.get("price", "")
            if not re.match(r"^[0-9]+(\.[0-9]+)?$", ps):
                raise ApiError(-1102, "Mandatory parameter 'price' was not "
                               "sent, was empty/null, or malformed.")
            price = Decimal(ps)
            if price % TICK[sym] != 0:
                raise ApiError(-4014, "Price not increased by tick size.")
            if q.get("timeInForce") not in ("GTC", "IOC", "FOK", "GTX"):
                raise ApiError(-1102, "Mandatory parameter 'timeInForce' "
                               "was not sent, was empty/null, or "
                               "malformed.")
        coid = q.get("newClientOrderId") or "fake%d" % self.next_id
        if not COID.match(coid):
            raise ApiError(-4015, "Client order id is not valid.")
        for o in self.orders.values():
            if o["clientOrderId"] == coid and o["status"] in (
                    "NEW", "PARTIALLY_FILLED"):
                raise ApiError(-4116, "ClientOrderId is duplicated.")
        mark = self.mark(sym)
        reduce = q.get("reduceOnly") == "true"
        amt = self.amt.get(sym, Decimal(0))
        dq = qty if side == "BUY" else -qty
        if reduce and (amt == 0 or (amt > 0) == (dq > 0) or
                       qty > abs(amt)):
            raise ApiError(-2022, "ReduceOnly Order is rejected.")
        if not reduce and (price or mark) * qty < MIN_NOTIONAL[sym]:
            raise ApiError(-4164, "Order's notional must be no smaller "
                           "than %s (unless you choose reduce only)." %
                           MIN_NOTIONAL[sym])
        now = int(time.time() * 1000)
        o = {"orderId": self.next_id, "symbol": sym, "status": "NEW",
             "clientOrderId": coid, "price": str(price or 0),
             "avgPrice": "0.00", "origQty": qs, "executedQty": "0",
             "cumQty": "0", "cumQuote": "0.00000", "timeInForce":
             q.get("timeInForce", "GTC"), "type": typ, "origType": typ,
             "reduceOnly": reduce, "closePosition": False, "side": side,
             "positionSide": "BOTH", "stopPrice": "0", "workingType":
             "CONTRACT_PRICE", "priceProtect": False, "priceMatch": "NONE",
             "selfTradePreventionMode": "EXPIRE_MAKER", "goodTillDate": 0,
             "time": now, "updateTime": now}
        self.next_id += 1
        self.orders[o["orderId"]] = o
        if typ == "MARKET":
            self.fill(o, mark, TAKER)
        elif (side == "BUY" and price >= mark) or \
                (side == "SELL" and price <= mark):
            self.fill(o, price, TAKER)
        return o

    def route(self, method, path, q):
        """(status, body) for a trading endpoint; raises ApiError."""
        fault = None
        with self.lock:
            if (method, path) == ("POST", "/fapi/v1/order"):
                self.placements += 1
                if self.faults:
                    fault = self.faults[0][0]
                    self.faults[0][1] -= 1
                    if self.faults[0][1] <= 0:
                        self.faults.pop(0)
                if fault == "lost503":
                    raise Unknown(503, {"code": -1000, "msg": "An unknown "
                                        "error occured while processing "
                                        "the request."})
                o = self.place(q)
                if fault == "hidden":
                    self.hidden[o["orderId"]] = 2
                view = self.order_view(o)
                if q.get("newOrderRespType", "ACK") == "ACK":
                    view = dict(view, status="NEW", executedQty="0",
                                cumQty="0", cumQuote="0.00000",
                                avgPrice="0.00")
                if fault == "timeout":
                    raise Unknown(200, view, delay=3.0)
                if fault == "e1007":
                    raise Unknown(408, {"code": -1007, "msg": "Timeout "
                                        "waiting for response from backend "
                                        "server. Send status unknown; "
                                        "execution status unknown."})
                if fault == "e503":
                    raise Unknown(503, {"code": -1000, "msg": "An unknown "
                                        "error occured while processing "
                                        "the request."})
                return 200, view
            if (method, path) == ("GET", "/fapi/v1/order"):
                sym = self.sym(q)
                o = self.find(q, sym)
                if o is not None and self.hidden.get(o["orderId"], 0) > 0:
                    self.hidden[o["orderId"]] -= 1
                    o = None
                if o is None:
                    raise ApiError(-2013, "Order does not exist.")
                return 200, self.order_view(o)
            if (method, path) == ("DELETE", "/fapi/v1/order"):
                sym = self.sym(q)
                o = self.find(q, sym)
                if o is None or o["status"] not in ("NEW",
                                                    "PARTIALLY_FILLED"):
                    raise ApiError(-2011, "Unknown order sent.")
                o["status"] = "CANCELED"
                o["updateTime"] = int(time.time() * 1000)
                return 200, self.order_view(o)
            if (method, path) == ("GET", "/fapi/v1/openOrders"):
                sym = q.get("symbol")
                return 200, [self.order_view(o) for o in self.orders.values()
                             if o["status"] in ("NEW", "PARTIALLY_FILLED")
                             and (not sym or o["symbol"] == sym)]
            if (method, path) == ("DELETE", "/fapi/v1/allOpenOrders"):
                sym = self.sym(q)
                for o in self.orders.values():
                    if o["symbol"] == sym and o["status"] in (
                            "NEW", "PARTIALLY_FILLED"):
                        o["status"] = "CANCELED"
                return 200, {"code": 200, "msg": "The operation of cancel "
                             "all open order is done."}
            if (method, path) == ("GET", "/fapi/v2/positionRisk"):
                syms = [self.sym(q)] if q.get("symbol") else \
                    ["BTCUSDT", "ETHUSDT"]
                return 200, [self.position(s) for s in syms]
            if (method, path) == ("GET", "/fapi/v2/account"):
                return 200, self.account()
            if (method, path) == ("GET", "/fapi/v1/userTrades"):
                sym = self.sym(q)
                oid = q.get("orderId")
                return 200, [t for t in self.trades if t["symbol"] == sym
                             and (oid is None or
                                  str(t["orderId"]) == oid)]
            if (method, path) == ("POST", "/fapi/v1/leverage"):
                sym = self.sym(q)
                lev = int(q.get("leverage", "0"))
                if lev < 1 or lev > 125:
                    raise ApiError(-4028, "Leverage %d is not valid" % lev)
                self.leverage[sym] = lev
                return 200, {"leverage": lev, "maxNotionalValue": "1000000",
                             "symbol": sym}
        raise ApiError(-1000, "Unknown path %s." % path, 404)

    def upnl(self, sym):
        amt = self.amt.get(sym, Decimal(0))
        if amt == 0:
            return Decimal(0)
        return (self.mark(sym) - self.entry[sym]) * amt

    def position(self, sym):
        amt = self.amt.get(sym, Decimal(0))
        mark = self.mark(sym)
        return {"symbol": sym, "positionAmt": format(amt, "f"),
                "entryPrice": format(self.entry.get(sym, Decimal(0)), "f"),
                "breakEvenPrice": "0.0", "markPrice": dec_text(mark),
                "unRealizedProfit": dec_text(self.upnl(sym)),
                "liquidationPrice": "0", "leverage":
                str(self.leverage.get(sym, 20)), "maxNotionalValue":
                "1000000", "marginType": "cross", "isolatedMargin":
                "0.00000000", "isAutoAddMargin": "false", "positionSide":
                "BOTH", "notional": dec_text(amt * mark), "isolatedWallet":
                "0", "updateTime": int(time.time() * 1000)}

    def account(self):
        up = sum((self.upnl(s) for s in ("BTCUSDT", "ETHUSDT")), Decimal(0))
        w = dec_text(self.wallet)
        return {"feeTier": 0, "canTrade": True, "totalWalletBalance": w,
                "totalUnrealizedProfit": dec_text(up),
                "totalMarginBalance": dec_text(self.wallet + up),
                "availableBalance": dec_text(self.wallet + up),
                "assets": [{"asset": "USDT", "walletBalance": w,
                            "unrealizedProfit": dec_text(up),
                            "marginBalance": dec_text(self.wallet + up)}],
                "positions": [self.position(s) for s in ("BTCUSDT",
                                                          "ETHUSDT")]}

    def control(self, path, q):
        """(status, JSON text) for /_ctl/trading/..."""
        with self.lock:
            if path == "/_ctl/trading/state":
                return 200, json.dumps({
                    "placements": self.placements, "wallet":
                    str(self.wallet), "positions": {
                        s: str(a) for s, a in self.amt.items()},
                    "orders": [self.order_view(o)
                               for o in self.orders.values()]})
            if path == "/_ctl/trading/reset":
                self.reset()
                return 200, "{}"
            if path == "/_ctl/trading/fault":
                kind = q.get("kind", "")
                if kind not in ("timeout", "e1007", "e503", "lost503",
                                "hidden"):
                    return 400, json.dumps({"error": "unknown kind"})
                self.faults.append([kind, int(q.get("count", "1"))])
                return 200, "{}"
        return 404, "{}"
