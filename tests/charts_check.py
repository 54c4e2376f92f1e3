#!/usr/bin/env python3
"""charts_check.py - what a report's charts must be, read from its plots/ (test_charts.sh):

- gnuplot said nothing: every plots/*.log is empty (a warning means it squeezed the chart);
- each chart named (--charts) was drawn: its SVG has an intrinsic size (width and height, the
  viewBox's), a real <title> (not gnuplot's "Gnuplot"; the title drawn on the chart), a named
  font family with fallbacks, and its PNG is the same drawing 1.5 times larger;
- the report links each chart's SVG, PNG and data (report.html and report.md);
- a log value axis is fitted to the data: no decade without data at either end;
- each series has one colour in every chart (keyed by its transport, the name's first word),
  and, with --same-colours DIR, the same colour as in DIR's charts;
- with --list FILE (ipcprobe list --json): every chart's series and categories come in the
  probes' order, word by word: transports as --list gives them, a parameter's values in the
  order of its choices, numbers as numbers.

usage: charts_check.py DIR --charts NAME,... [--list FILE] [--same-colours DIR]
Exit 0 when all holds; 1 with each failure on stderr.
"""
import argparse
import json
import math
import os
import re
import shlex
import struct
import sys

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def svg_facts(svg):
    """Width, height, viewBox size, <title>, the texts drawn, the font families used."""
    head = svg[svg.index("<svg"):svg.index(">", svg.index("<svg"))]
    w = re.search(r'\bwidth="([0-9.]+)"', head)
    h = re.search(r'\bheight="([0-9.]+)"', head)
    vb = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', head)
    title = re.search(r"<title>([^<]*)</title>", svg)
    texts = re.findall(r"<text>([^<]*)</text>", svg)
    fonts = set(re.findall(r'font-family="([^"]*)"', svg))
    return {"width": w and float(w.group(1)), "height": h and float(h.group(1)),
            "viewbox": vb and (float(vb.group(1)), float(vb.group(2))),
            "title": title and title.group(1), "texts": texts, "fonts": fonts}


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def series_colours(svg):
    """Each plot's name (its key entry, which is also its tooltip) and the colour it is
    drawn in: the first colour in its group after the key entry's text."""
    out = {}
    for m in re.finditer(r'<g id="gnuplot_plot_[^"]*" ><title>([^<]*)</title>(.*?)'
                         r'(?=<g id="gnuplot_plot_|</svg>)', svg, re.S):
        name, body = m.group(1), m.group(2)
        if name.startswith("gnuplot_plot_"):  # gnuplot's own tooltip: the key entry's text
            t = re.match(r"\s*<g[^>]*>\s*<g[^>]*>\s*<text>([^<]*)</text>", body)
            if not t:
                continue
            name = t.group(1)
        c = re.search(r"(?:stroke|color)='(rgb\([^)]*\))'", body)
        if c:
            out.setdefault(name, re.sub(r"\s", "", c.group(1)))
    return out


def data_span(path):
    lo = hi = None
    for line in read(path).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for tok in shlex.split(line)[1:]:
            if NUMBER.match(tok):
                v = float(tok)
                hi = v if hi is None or v > hi else hi
                lo = v if v > 0 and (lo is None or v < lo) else lo
    return lo, hi


def layout_kind(plots, name):
    """The kind the report's layout gave a chart (chart_kind in plots/NAME.opts), or None."""
    try:
        m = re.search(r'^chart_kind = "(\w+)"', read(os.path.join(plots, name + ".opts")), re.M)
    except OSError:
        return None
    return m and m.group(1)


def check_range(name, plots, problems):
    try:
        opts = read(os.path.join(plots, name + ".opts"))
    except OSError:
        opts = ""
    log = re.search(r"^set logscale ([xy]) (\d+)", opts, re.M)
    rng = re.search(r"^set ([xy])range \[([-0-9.e+]+):([-0-9.e+]+)\]", opts, re.M)
    div = re.search(r"^ydiv = (.*)$", opts, re.M)
    div = float(div.group(1)) if div else 1.0
    if not log:
        return
    if not rng:
        problems.append("%s: a log axis without a range fitted to the data" % name)
        return
    lo, hi = data_span(os.path.join(plots, name + ".dat"))
    a, b = float(rng.group(2)), float(rng.group(3))
    if not (a <= lo / div and hi / div <= b):
        problems.append("%s: the data (%g..%g) run past the axis (%g..%g)"
                        % (name, lo / div, hi / div, a, b))
    if b > hi / div * 10 or a < lo / div / 10:
        problems.append("%s: the axis (%g..%g) has a decade without data (the data: %g..%g)"
                        % (name, a, b, lo / div, hi / div))


def check_chart(d, name, problems):
    plots = os.path.join(d, "plots")
    try:
        svg = read(os.path.join(plots, name + ".svg"))
    except OSError:
        problems.append("%s: not drawn (no plots/%s.svg)" % (name, name))
        return
    f = svg_facts(svg)
    if not f["width"] or not f["height"] or f["viewbox"] != (f["width"], f["height"]):
        problems.append("%s: the SVG has no intrinsic size (width %s, height %s, viewBox %s)"
                        % (name, f["width"], f["height"], f["viewbox"]))
    if not f["title"] or f["title"] == "Gnuplot" or f["title"] not in f["texts"]:
        problems.append("%s: the SVG's <title> is %r, not the chart's title" % (name, f["title"]))
    for font in f["fonts"]:
        names = [x.strip() for x in font.split(",")]
        if len(names) < 2 or names[0] in ("sans", "serif", "sans-serif") or names[-1] != "sans-serif":
            problems.append("%s: font-family %r: not a named font with fallbacks" % (name, font))
    size = png_size(os.path.join(plots, name + ".png")) if os.path.exists(
        os.path.join(plots, name + ".png")) else None
    want = f["width"] and (int(f["width"] * 1.5), int(f["height"] * 1.5))
    if size != want:
        problems.append("%s: the PNG is %s, not the SVG 1.5 times larger (%s)" % (name, size, want))
    html, md = read(os.path.join(d, "report.html")), read(os.path.join(d, "report.md"))
    for ext in ("svg", "png", "dat"):
        if 'href="plots/%s.%s"' % (name, ext) not in html or "](plots/%s.%s)" % (name, ext) not in md:
            problems.append("%s: the report does not link plots/%s.%s" % (name, name, ext))
    check_range(name, plots, problems)


def first_word(name):
    return re.split(r"[\s/,=():\"]+", name.strip('"'))[0]


def probe_lists(listing):
    """The probes' own orders (ipcprobe list --json): every case's transports and every
    parameter's choices, each a list."""
    lists = []
    for p in listing:
        for c in p.get("cases", []):
            lists.append(c.get("transports") or [])
            lists += [prm["choices"] for prm in c.get("params", []) if prm.get("choices")]
    return [l for l in lists if l]


def in_order(a, b, lists):
    """Does name a come no later than name b?  Word by word: two words one of the probes'
    lists holds, in that list's order; numbers as numbers; other words do not decide."""
    wa = [w for w in re.split(r"[\s/,=():\"]+", a) if w]
    wb = [w for w in re.split(r"[\s/,=():\"]+", b) if w]
    for x, y in zip(wa, wb):
        if x == y:
            continue
        if NUMBER.match(x) and NUMBER.match(y):
            return float(x) < float(y)
        for l in lists:
            if x in l and y in l:
                return l.index(x) < l.index(y)
    return True


def item_names(d, name):
    """The series (blocks) or categories (rows) of a chart's data, in the order drawn."""
    dat = read(os.path.join(d, "plots", name + ".dat"))
    kind = layout_kind(os.path.join(d, "plots"), name)
    if kind is None:
        return None
    if kind == "lines":
        blocks = [b.strip() for b in re.split(r"\n\s*\n", dat) if b.strip()]
        return [shlex.split(b.splitlines()[0])[0] for b in blocks if not b.startswith("#")]
    rows = [l for l in dat.splitlines() if l.strip() and not l.startswith("#")]
    return [shlex.split(l)[0] for l in rows[1 if kind == "hbars" else 0:]]


def check_order(d, charts, listing, problems):
    """Every chart's series and categories in the probes' order."""
    lists = probe_lists(listing)
    for name in charts:
        names = item_names(d, name)
        if names is None:
            problems.append("%s: no layout to read its series from (plots/%s.opts has no "
                            "chart_kind)" % (name, name))
            continue
        names = [n for n in names if not n.endswith("-floor")]
        bad = [(a, b) for a, b in zip(names, names[1:]) if not in_order(a, b, lists)]
        if bad:
            problems.append("%s: not in the probes' order: %r before %r (all: %s)"
                            % (name, bad[0][0], bad[0][1], names))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--charts", required=True)
    ap.add_argument("--list")
    ap.add_argument("--same-colours")
    args = ap.parse_args()
    problems, plots = [], os.path.join(args.dir, "plots")
    for log in sorted(os.listdir(plots)):
        if log.endswith(".log") and os.path.getsize(os.path.join(plots, log)):
            problems.append("gnuplot warned drawing %s: %s" % (log[:-4], read(os.path.join(plots, log)).strip()))
    charts = args.charts.split(",")
    colours, by_key = {}, {}
    for name in charts:
        check_chart(args.dir, name, problems)
        if os.path.exists(os.path.join(plots, name + ".svg")) and not name.startswith("grouped_"):
            for s, c in series_colours(read(os.path.join(plots, name + ".svg"))).items():
                colours.setdefault(s, c)
                by_key.setdefault(first_word(s), set()).add(c)
    for k, cs in sorted(by_key.items()):
        if len(cs) > 1:
            problems.append("%s is drawn in %d colours: %s" % (k, len(cs), sorted(cs)))
    if args.same_colours:
        other = os.path.join(args.same_colours, "plots")
        for name in charts:
            if not os.path.exists(os.path.join(other, name + ".svg")):
                continue
            theirs = series_colours(read(os.path.join(other, name + ".svg")))
            for s, c in series_colours(read(os.path.join(plots, name + ".svg"))).items():
                if s in theirs and theirs[s] != c:
                    problems.append("%s: %s is %s here and %s in %s" % (name, s, c, theirs[s], other))
    if args.list:
        check_order(args.dir, [n for n in charts if os.path.exists(os.path.join(plots, n + ".dat"))],
                    json.load(open(args.list)), problems)
    for p in problems:
        print("charts_check: %s: %s" % (args.dir, p), file=sys.stderr)
    print("charts_check: %s: %d charts, %d series coloured, %d problems"
          % (args.dir, len(charts), len(colours), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
