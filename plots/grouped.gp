# grouped.gp - one figure across runs: a cluster per transport (or case label), one bar per
# run, so the faster platform shows at a glance.  datafile: a header line naming the runs
# (quoted), then one line per group: its label and one value per run ("?" when not measured).
# The report writes opts (plots/NAME.opts, beside the data file): the title, the y label and, when the values
# span more than 100x, the log scale.  This script computes nothing.
load style
set key noenhanced outside bottom center vertical Left reverse maxrows 4 samplen 2 width 2
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9 relative
set xtics nomirror rotate by -25 left offset -1,0
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0
load opts
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [i=2:*] datafile using i:xtic(1) title columnheader(i) \
		lc rgb tcolor[(i - 2) % 16 + 1]
	unset output
}
