# throughput.gp - one-way bandwidth by chunk size, one line per transport; datafile: one block
# per transport, its first line a header naming it.
load style
load opts
series_with = 'using 1:($2/ydiv) with linespoints'
ref_with = 'using 1:($2/ydiv) with linespoints pt 6 ps 0.6'
load lines
