# limits.gp - each limit measured against what the OS reports for it, a row of bars per limit.
# datafile: a header naming the bars, then per limit: label measured reported (bytes; ? = none
# reported).  The rows, bar heights (bar_h, in rows) and the axis come from opts.
load style
load opts
array b_color[2] = ["#1f77b4", "#aec7e8"]
at(s) = $0 + (s - (nbars + 1) / 2.0) * bar_h
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot for [s=1:nbars] datafile using (column(s+1)/ydiv):(at(s)):(bar_base):(column(s+1)/ydiv):\
		(at(s) - 0.45 * bar_h):(at(s) + 0.45 * bar_h) with boxxyerror \
		lc rgb b_color[s] title columnheader(s+1)
	unset output
}
