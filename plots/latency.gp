# latency.gp - round-trip latency by message size, one line per transport (p50, whisker to
# p99); datafile: one block per transport, its first line a header naming it.
load style
load opts
set title "Round-trip latency between two processes"
set xlabel "message size"
set logscale x 2
@log10_y
set xtics ("1 B" 1, "16 B" 16, "256 B" 256, "4 KiB" 4096, "64 KiB" 65536, "1 MiB" 1048576)
set key outside right top
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=0:*] datafile index i using 1:($2/ydiv):($2/ydiv):($3/ydiv) with yerrorlines lw 1.5 pt 7 ps 0.6 \
		lc rgb tcolor[i % 16 + 1] title columnheader(1)
	unset output
}
