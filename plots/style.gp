# style.gp - the look every ipcprobe chart shares.  Loaded by each chart script after it is
# given `datafile` and `outbase`; charts only plot, they compute nothing.
set encoding utf8
set datafile missing "?"
set border 3 lc rgb "#555555"
set tics nomirror textcolor rgb "#333333"
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set key top left noopaque box lc rgb "#cccccc"
set style fill solid 0.9 border -1
# One colour per transport, the same in every chart.
array tcolor[16] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", \
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#e7ba52", \
                    "#ad494a", "#000000", "#637939", "#7b4173"]
# Byte axes: ticks as B/KiB/MiB/GiB.
bytes_tics = 'set ytics ("1 B" 1, "16 B" 16, "256 B" 256, "4 KiB" 4096, "64 KiB" 65536, "1 MiB" 1048576, "16 MiB" 16777216, "256 MiB" 268435456, "4 GiB" 4294967296)'
# Render the same plot twice: SVG for the HTML report, PNG for Markdown.
svg_term = 'set terminal svg size 900,480 dynamic noenhanced font "sans,12" background rgb "white"'
png_term = 'set terminal pngcairo size 1200,640 noenhanced font "sans,12" background rgb "white"'
# Time axes in ns, labelled in human units (log 10).
time_tics = 'set logscale y 10; set ytics ("10 ns" 10, "100 ns" 100, "1 µs" 1e3, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7, "100 ms" 1e8, "1 s" 1e9); set mytics 10'
# Bandwidth axes in bytes per second (log 10).
rate_tics = 'set logscale y 10; set ytics ("1 MB/s" 1e6, "10 MB/s" 1e7, "100 MB/s" 1e8, "1 GB/s" 1e9, "10 GB/s" 1e10, "100 GB/s" 1e11); set mytics 10'
