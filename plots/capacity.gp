# capacity.gp - per transport: capacity measured and OS-reported, default and raised.
# datafile columns: transport default_measured default_reported raised_measured raised_reported
# (bytes); the bars' names (b_title) and the layout come from opts.
load style
load opts
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9
array b_color[4] = ["#4e79a7", "#a0cbe8", "#f28e2b", "#ffbe7d"]
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [s=1:nbars] datafile using (column(s+1)/ydiv):xtic(1) title b_title[s] \
		lc rgb b_color[s]
	unset output
}
