# handover.gp - shared-memory hand-over round trip by wake-up mechanism: p50 and p99 bars.
# datafile columns: wake p50 p99 (ns)
load style
load opts
set title "Handing shared memory to another process: round trip by wake-up"
@log10_y
set offsets 0, 0, graph 0.05, 0
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9
set key outside top center horizontal
do for [fmt in "svg png"] {
	if (fmt eq "svg") { @svg_term } else { @png_term }
	set output outbase.".".fmt
	plot datafile using ($2/ydiv):xtic(1) title "p50" lc rgb "#2ca02c", \
	     "" using ($3/ydiv) title "p99" lc rgb "#98df8a"
	unset output
}
