# manager.gp - aggregate operations per second by client count, one line per mode.
# datafile: one block per mode, its first line a header naming it; columns: clients ops_per_s
load style
load opts
set title "Operations per second by client processes: broker against shared memory"
set xlabel "client processes"
set logscale x 2
set logscale y 10
set xtics (1, 2, 4, 8, 16, 32, 64)
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set key outside right top
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=0:*] datafile index i using 1:($2/ydiv) with linespoints lw 1.5 pt 7 ps 0.6 \
		lc rgb tcolor[i % 16 + 1] title columnheader(1)
	unset output
}
