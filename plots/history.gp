# history.gp - figures over successive runs, each as a multiple of its first value.
# datafile: one block per figure, its first line a header (the row number in the table).
load style
set title "Over the runs: each figure as a multiple of its first value"
set xlabel "run (in the order they started)"
set ylabel "× first run"
set xtics 1
set key outside right top title "row"
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=0:*] datafile index i using 1:2 with linespoints lw 1.5 pt 7 ps 0.6 \
		lc rgb tcolor[i % 16 + 1] title columnheader(1)
	unset output
}
