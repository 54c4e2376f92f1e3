# handover.gp - shared-memory hand-over round trip by wake-up mechanism: p50 and p99 bars.
# datafile columns: wake p50 p99 (ns); the bars' names (b_title) and the layout from opts.
load style
load opts
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9
array b_color[2] = ["#2ca02c", "#98df8a"]
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [s=1:nbars] datafile using (column(s+1)/ydiv):xtic(1) title b_title[s] \
		lc rgb b_color[s]
	unset output
}
