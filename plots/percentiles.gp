# percentiles.gp - the distribution of round trips at one size: min, p50, p90, p99, p99.9,
# max per transport; datafile: one block per transport, its first line a header naming it.
load style
load opts
set xtics nomirror ("min" 0, "p50" 1, "p90" 2, "p99" 3, "p99.9" 4, "max" 5)
set xrange [-0.3:5.3]
series_with = 'using 1:($2/ydiv) with linespoints'
ref_with = 'using 1:($2/ydiv) with lines'
load lines
