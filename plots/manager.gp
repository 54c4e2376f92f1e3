# manager.gp - aggregate operations per second by client count, one line per mode.
# datafile: one block per mode, its first line a header naming it; columns: clients ops_per_s
load style
load opts
series_with = 'using 1:($2/ydiv) with linespoints'
ref_with = 'using 1:($2/ydiv) with lines'
load lines
