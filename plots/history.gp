# history.gp - figures over successive runs, each as a multiple of its first value.
# datafile: one block per figure, its first line a header (the row number in the table).
load style
load opts
set xtics 1
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
series_with = 'using 1:2 with linespoints'
ref_with = 'using 1:2 with lines'
load lines
