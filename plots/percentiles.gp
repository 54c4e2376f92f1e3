# percentiles.gp - the distribution of round trips at one size: min, p50, p90, p99, p99.9,
# max per transport; datafile: one block per transport, its first line a header naming it.
load style
load opts
set title "How the round trips are distributed"
@log10_y
set xtics ("min" 0, "p50" 1, "p90" 2, "p99" 3, "p99.9" 4, "max" 5)
set xrange [-0.3:5.3]
set offsets 0, 0, graph 0.05, graph 0.05
set key outside right top
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=0:*] datafile index i using 1:($2/ydiv) with linespoints lw 1.5 pt 7 ps 0.6 \
		lc rgb tcolor[i % 16 + 1] title columnheader(1)
	unset output
}
