# style.gp - the look every ipcprobe chart shares.  Loaded by each chart script after it is
# given `datafile` and `outbase`; charts only plot, they compute nothing.  A chart of values
# with a unit then loads `opts` (plots/NAME.opts, written by the report: runner/report/
# charts.c): its y label names the unit the report chose for the data (common/vocab.c
# axis_unit), `ydiv` converts the data file's base units (ns, bytes, ...) into it, and the
# ticks are plain numbers in that unit, so that the label and the ticks always agree.
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
# Render the same plot twice: SVG for the HTML report, PNG for Markdown.  The SVG's text is
# 14 units on a 720-wide canvas: the report shows it 520 to 720 px wide (scrolling below 520),
# so its text is never under 10 px, on a phone either.
svg_term = 'set terminal svg size 720,450 dynamic noenhanced font "sans,14" background rgb "white"'
png_term = 'set terminal pngcairo size 1080,675 noenhanced font "sans,15" background rgb "white"'
# A y axis over decades (times, rates): log 10, minor ticks between.
log10_y = 'set logscale y 10; set mytics 10'
