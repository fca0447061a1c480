# gen-bars.awk - deterministic synthetic bars with two features, for the
# bf-infer tests: awk -v n=ROWS -v step=MS -f gen-bars.awk
# Columns: open_time, open, high, low, close, volume, symbol, f1 (the
# last return, which carries a little of the next one), f2 (noise).
BEGIN {
	srand(7)
	OFS = ","
	print "open_time", "open", "high", "low", "close", "volume", "symbol", "f1", "f2"
	c = 100; r = 0
	for (i = 0; i < n; i++) {
		u1 = rand(); u2 = rand()
		z = sqrt(-2 * log(u1 + 1e-12)) * cos(6.283185307 * u2)
		r = 0.3 * r + 0.002 * z
		o = c; c = c * exp(r)
		hi = (o > c ? o : c) * 1.0005; lo = (o < c ? o : c) * 0.9995
		printf "%.0f,%.4f,%.4f,%.4f,%.4f,%.3f,BTCUSDT,%.6f,%.6f\n", \
		    1700000000000 + i * step, o, hi, lo, c, 10 + 5 * rand(), r, rand() - 0.5
	}
}
