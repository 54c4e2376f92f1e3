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
array tcolor[16] = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", \
                    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728", \
                    "#2ca02c", "#9467bd", "#8c564b", "#17becf"]
# Byte axes: ticks as B/KiB/MiB/GiB.
bytes_tics = 'set ytics ("1 B" 1, "16 B" 16, "256 B" 256, "4 KiB" 4096, "64 KiB" 65536, "1 MiB" 1048576, "16 MiB" 16777216, "256 MiB" 268435456, "4 GiB" 4294967296)'
# Render the same plot twice: SVG for the HTML report, PNG for Markdown.
svg_term = 'set terminal svg size 900,480 dynamic enhanced font "sans,12" background rgb "white"'
png_term = 'set terminal pngcairo size 1200,640 enhanced font "sans,12" background rgb "white"'
