#!/bin/sh
# SPDX-License-Identifier: MIT
#
# compare.sh KLINES REF - run bf-features on KLINES and compare every
# column of REF (TA-Lib's values, from `gen-ref file KLINES REF`, see
# gen.sh) with it: warm-up rows must agree, and values must be within a
# relative error of 1e-9 (|a - b| <= 1e-9 max(|a|, |b|)).
# Prints the worst error per column; exits 1 when a column fails.  For
# checking on data that is never committed, such as ../shared/data.
set -eu
: "${BF_BUILD:=$(dirname "$0")/../../build}"
sel="ret:1,ret:5,ret:20,ret:60,roc:5,roc:20,roc:60,mom:10,rsi:14,rsi:7,"
sel="${sel}macd,macd:5:35:5,bb:20,bb:10:1.5,atr:14,natr:14,adx:14,willr:14,"
sel="${sel}mfi:14,atr:7,natr:7,adx:7,willr:7,mfi:7,ema:3,sma:3,ema:10,sma:10,"
sel="${sel}ema:20,sma:20,ema:50,sma:50,ema:200,sma:200,cci:20,cci:14,stoch,"
sel="${sel}stoch:5:3:4,obv,ad,vroc:14,trend_dir:20"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$BF_BUILD/bin/bf-features" --digits 17 -i "${INTERVAL:-1m}" --only "$sel" \
    <"$1" >"$tmp"
awk -F, -v reffile="$2" '
FNR == 1 && NR == 1 { for (i = 1; i <= NF; i++) mine[$i] = i; next }
NR == FNR { row[FNR] = $0; next }
FNR == 1 {
	nref = NF
	for (i = 1; i <= NF; i++) { name[i] = $i; col[i] = mine[$i] }
	next
}
{
	split(row[FNR], m, ",")
	for (i = 1; i <= nref; i++) {
		a = m[col[i]]; t = $i
		if ((a == "") != (t == "")) { warm[i]++; continue }
		if (t == "") continue
		va[i, FNR] = a; vt[i, FNR] = t
	}
	last = FNR
}
END {
	bad = 0
	for (i = 1; i <= nref; i++) {
		worst = 0
		for (r = 2; r <= last; r++) {
			if (!((i, r) in vt)) continue
			a = va[i, r]; t = vt[i, r]
			d = a - t; if (d < 0) d = -d
			s = (a < 0 ? -a : a); if ((t < 0 ? -t : t) > s) s = (t < 0 ? -t : t)
			e = s > 0 ? d / s : d
			if (e > worst) { worst = e; at = r }
		}
		status = (worst <= 1e-9 && !warm[i]) ? "ok" : "FAIL"
		if (status == "FAIL") bad = 1
		printf "%-14s %s worst %.3g%s\n", name[i], status, worst,
		    warm[i] ? " warm-up differs on " warm[i] " rows" : ""
	}
	exit bad
}' "$tmp" "$2"
