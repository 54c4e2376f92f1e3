# limits.gp - each limit measured against what the OS reports for it.
# datafile columns: label measured reported (bytes; ? = none reported)
load style
load opts
set title "Largest message or queue, measured by trying, and what the OS reports"
set logscale y 2
set yrange [1024.0/ydiv:*]
set offsets 0, 0, graph 0.05, 0
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9
set xtics rotate by -25
set key outside top center horizontal
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot datafile using ($2/ydiv):xtic(1) title "measured" lc rgb "#1f77b4", \
	     "" using ($3/ydiv) title "OS reports" lc rgb "#aec7e8"
	unset output
}
