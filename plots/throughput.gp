# throughput.gp - one-way bandwidth by chunk size, one line per transport; datafile: one block
# per transport, its first line a header naming it.
load style
load opts
set title "One-way bandwidth between two processes"
set xlabel "chunk size"
set logscale x 2
@log10_y
set xtics ("64 B" 64, "256 B" 256, "1 KiB" 1024, "4 KiB" 4096, "16 KiB" 16384, "64 KiB" 65536, "256 KiB" 262144, "1 MiB" 1048576)
set key outside right top
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=0:*] datafile index i using 1:($2/ydiv) with linespoints lw 1.5 pt 7 ps 0.6 \
		lc rgb tcolor[i % 16 + 1] title columnheader(1)
	unset output
}
