# lines.gp - a line chart drawn in the panels its layout names (plots/NAME.opts, written by
# runner/report/chartlayout.c): one panel, or one per family of series when there are many,
# each with its key under it; the floors (refs) in every panel, listed in the first one's key.
# The chart's script loads style and opts, defines series_with (how one block of datafile is
# drawn) and ref_with (a floor's), then loads this.
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	set multiplot title chart_title font ",16"
	do for [p=1:npanels] {
		set lmargin at screen p_left[p]
		set rmargin at screen p_right[p]
		set tmargin at screen p_top[p]
		set bmargin at screen p_bottom[p]
		set key at screen p_keyx[p], p_key[p] left top vertical maxrows p_keyrows[p] \
			Left reverse samplen 2 spacing 1 nobox noopaque
		set title p_title[p]
		if (p_ylabel[p]) { set ylabel value_label } else { unset ylabel }
		if (p_xlabel[p]) { set xlabel xlabel_text } else { unset xlabel }
		plot for [i=p_first[p]:p_last[p]] datafile index i @series_with lw 1.5 \
			pt s_point[i+1] ps 0.7 dt s_dash[i+1] lc rgb s_color[i+1] title columnheader(1), \
		     for [j=1:nref] datafile index refs[j] @ref_with lw 1.2 dt s_dash[refs[j]+1] \
			lc rgb s_color[refs[j]+1] title (p == 1 ? columnheader(1) : "")
	}
	unset multiplot
	unset output
}
