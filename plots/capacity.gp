# capacity.gp - per transport: capacity measured and OS-reported, default and raised.
# datafile columns: transport default_measured default_reported raised_measured raised_reported
load style
load opts
set title "How much each transport holds before a non-blocking writer gets EAGAIN"
set logscale y 2
set yrange [1024.0/ydiv:*]
set offsets 0, 0, graph 0.05, 0
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9
set xtics rotate by -20
set key outside top center horizontal
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot datafile using ($2/ydiv):xtic(1) title "default, measured" lc rgb "#4e79a7", \
	     "" using ($3/ydiv) title "default, OS reports" lc rgb "#a0cbe8", \
	     "" using ($4/ydiv) title "raised, measured" lc rgb "#f28e2b", \
	     "" using ($5/ydiv) title "raised, OS reports" lc rgb "#ffbe7d"
	unset output
}
