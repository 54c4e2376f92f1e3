# grouped.gp - one figure across runs: a row of bars per transport (or case label), one bar
# per run, so the faster platform shows at a glance.  datafile: a header line naming the runs
# (quoted), then one line per group: its label and one value per run ("?" when not measured),
# already in the axis' unit.  The layout (plots/NAME.opts) gives the title, the axis and its
# scale, the rows and the bar heights.  This script computes nothing.
load style
load opts
at(s) = $0 + (s - (nbars + 1) / 2.0) * bar_h
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [s=1:nbars] datafile using (column(s+1)/ydiv):(at(s)):(bar_base):(column(s+1)/ydiv):\
		(at(s) - 0.45 * bar_h):(at(s) + 0.45 * bar_h) with boxxyerror \
		lc rgb tcolor[(s - 1) % 16 + 1] title columnheader(s+1)
	unset output
}
