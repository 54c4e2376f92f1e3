# style.gp - the look every ipcprobe chart shares.  Loaded by each chart script after it is
# given `datafile` and `outbase`; charts only plot, they compute nothing.  Each script then
# loads `opts` (plots/NAME.opts, written by the report: runner/report/chartlayout.c), the
# chart's layout worked out from its data: the canvas height, margins and key places, the
# value axis (its label names the unit the report chose for the data, common/vocab.c
# axis_unit; `ydiv` converts the data file's base units into it; ranges fitted to the data
# and ticks that are plain numbers in that unit), and each series' colour, point and dash,
# keyed by its name (runner/report/series.c), so that pipe has one colour in every chart.
set encoding utf8
set datafile missing "?"
set border 3 lc rgb "#555555"
set tics nomirror textcolor rgb "#333333"
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set key top left noopaque nobox
set style fill solid 0.9 border -1
# The runs of a side-by-side chart (grouped.gp), by their number.
array tcolor[16] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", \
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#e7ba52", \
                    "#ad494a", "#000000", "#637939", "#7b4173"]
# Render the same plot twice: SVG for the HTML report and for write-ups (a fixed size: its
# width and height are the image's own, 720 wide), PNG at 1.5 times that for Markdown.  The
# SVG's text is 14 units: the report shows it 520 to 720 px wide (scrolling below 520), so
# its text is never under 10 px, on a phone either.  The font is named, with fallbacks that
# share Helvetica's widths; the PNG is drawn in the first of them installed (Debian:
# fonts-liberation).
chart_w = 720
chart_h = 450
chart_title = ""
font_svg = "Helvetica,Arial,Liberation Sans,Nimbus Sans,DejaVu Sans,sans-serif,14"
svg_term = 'set terminal svg size chart_w,chart_h fixed noenhanced font font_svg background rgb "white"'
png_term = 'set terminal pngcairo size int(chart_w*1.5),int(chart_h*1.5) noenhanced font "Liberation Sans,14" fontscale 1.13 pointscale 1.5 linewidth 1.5 dashlength 1.5 background rgb "white"'
