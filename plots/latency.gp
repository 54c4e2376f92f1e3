# latency.gp - round-trip latency by message size, one line per transport (p50, whisker to
# p99); datafile: one block per transport, its first line a header naming it.
load style
load opts
set offsets 0, 0, 0, 0
series_with = 'using 1:($2/ydiv):($2/ydiv):($3/ydiv) with yerrorlines'
ref_with = 'using 1:($2/ydiv) with lines'
load lines
