#!/usr/bin/env python3
"""report_check.py - what a report.html must be, read from the file itself (no browser):

- valid HTML: html5lib's strict parser (Debian python3-html5lib) finds no parse error; where
  html5lib is missing that one check is skipped and said on stdout;
- ids unique on the page, every in-page link (#x) has its target, a viewport meta;
- the table of contents (#toc) links every section and every chart;
- every chart's y axis (its value axis: x for a chart of bars across, chart_kind "hbars" in
  plots/NAME.opts) in the unit its ticks use: the label names one unit ("round trip
  (µs, log scale)"), every tick is a plain number in it, and the chart's data (plots/NAME.dat,
  in base units) drawn in that unit falls within the ticks;
- with --order ID,ID,...: the sections come in that order, the last of them collapsed
  (<details>) holding no table outside a <details>.

usage: report_check.py REPORT.html [--order summary,claims,...,status]
Exit 0 when all holds; 1 with each failure on stderr.
"""
import argparse
import html.parser
import os
import re
import shlex
import sys

# The units common/vocab.c's axis_unit names, and what each is in base units.
UNITS = {"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9,
         "bytes": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3,
         "bytes/s": 1, "MB/s": 1e6, "GB/s": 1e9,
         "ops/s": 1, "thousand ops/s": 1e3, "million ops/s": 1e6}
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


class Page(html.parser.HTMLParser):
    """Ids, in-page links, sections (h2 ids) in order, and each figure's SVG texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.toc_links, self.h2 = [], [], [], []
        self.viewport = False
        self.stack = []          # open elements (tag, id)
        self.details = 0         # depth of open <details>
        self.figures = []        # per figure: {"id", "texts": [(attrs of enclosing g, text)]}
        self.g_attrs = []
        self.in_text = False
        self.tables = []         # (section id, inside details?)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in a.get("content", "")
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
            if any(t == "nav" and i == "toc" for t, i in self.stack):
                self.toc_links.append(a["href"][1:])
        if tag == "h2" and "id" in a:
            self.h2.append(a["id"])
        if tag == "details":
            self.details += 1
        if tag == "table":
            self.tables.append((self.h2[-1] if self.h2 else None, self.details > 0))
        if tag == "figure":
            self.figures.append({"id": a.get("id"), "texts": []})
        if tag == "g":
            self.g_attrs.append(a)
        if tag == "text":
            self.in_text = True
        if tag not in ("meta", "br", "img", "input", "link", "hr", "path", "rect", "circle",
                       "use", "line", "polyline", "polygon", "image", "stop", "feflood",
                       "fecomposite"):
            self.stack.append((tag, a.get("id")))

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in a.get("content", "")

    def handle_endtag(self, tag):
        if tag == "details":
            self.details -= 1
        if tag == "g" and self.g_attrs:
            self.g_attrs.pop()
        if tag == "text":
            self.in_text = False
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        if self.in_text and self.figures and data.strip():
            g = self.g_attrs[-1] if self.g_attrs else {}
            self.figures[-1]["texts"].append((g, data.strip()))


def strict_parse(path, problems):
    try:
        import html5lib
    except ImportError:
        print("report_check: html5lib is not installed (Debian: python3-html5lib): the strict "
              "HTML parse is skipped; ids and links are still checked")
        return
    with open(path, "rb") as f:
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(f)
        except html5lib.html5parser.ParseError as e:
            problems.append("not valid HTML (html5lib strict): %s" % e)


def y_axis(texts):
    """The y label (the text turned by 270 or -90 degrees) and the y ticks: the end-anchored
    texts furthest left (the key's labels are end-anchored too, but to the right)."""
    label = [t for g, t in texts if re.search(r"rotate\((270|-90)\)", g.get("transform", ""))]
    ends = []
    for g, t in texts:
        m = re.match(r"translate\(([-0-9.]+),", g.get("transform", ""))
        if g.get("text-anchor") == "end" and m and "rotate" not in g.get("transform", ""):
            ends.append((float(m.group(1)), t))
    if not ends:
        return (label[0] if label else None), []
    left = min(x for x, _ in ends)
    return (label[0] if label else None), [t for x, t in ends if abs(x - left) < 0.5]


def x_axis(texts):
    """For a chart drawn across (bars in rows, its value axis at the bottom): the x label (the
    lowest middle-anchored text) and the x ticks (the row of middle-anchored texts above it)."""
    rows = {}
    for g, t in texts:
        m = re.match(r"translate\(([-0-9.]+),([-0-9.]+)\)", g.get("transform", ""))
        if g.get("text-anchor") == "middle" and m and "rotate" not in g.get("transform", ""):
            rows.setdefault(round(float(m.group(2))), []).append(t)
    ys = sorted(rows, reverse=True)
    if len(ys) < 2 or len(rows[ys[0]]) != 1:
        return None, []
    return rows[ys[0]][0], rows[ys[1]]


def chart_kind(plots, name):
    """The kind the report's layout gave a chart (plots/NAME.opts: chart_kind = "...")."""
    try:
        with open(os.path.join(plots, name + ".opts"), encoding="utf-8") as f:
            m = re.search(r'^chart_kind = "(\w+)"', f.read(), re.M)
        return m.group(1) if m else None
    except OSError:
        return None


def data_span(path):
    """The smallest positive and the largest value of a chart's data file (every field but
    the first of each line, as the report writes them)."""
    lo = hi = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            for tok in shlex.split(line)[1:]:
                if NUMBER.match(tok):
                    v = float(tok)
                    hi = v if hi is None or v > hi else hi
                    if v > 0:
                        lo = v if lo is None or v < lo else lo
    return lo, hi


def check_chart(fig, plots, problems):
    if not (fig["id"] or "").startswith("chart-"):
        problems.append("a chart without its anchor (figure id chart-NAME): %r" % fig["id"])
        fig["id"] = "chart-?"
    name = fig["id"][len("chart-"):]
    across = chart_kind(plots, name) == "hbars"  # the value axis is x
    label, ticks = x_axis(fig["texts"]) if across else y_axis(fig["texts"])
    if not label:
        problems.append("%s: no %s axis label" % (fig["id"], "x (value)" if across else "y"))
        return None
    named = [u for u in UNITS if re.search(r"(^|[(\s])" + re.escape(u) + r"[,)]", label)]
    unit = max(named, key=len) if named else None
    bad = [t for t in ticks if not NUMBER.match(t)]
    if bad:
        problems.append("%s: y ticks are not numbers in the label's unit (label %r, ticks %s)"
                        % (fig["id"], label, bad))
        return None
    if unit is None:
        return label  # a ratio ("× first run"): no unit, plain numbers
    dat = os.path.join(plots, name + ".dat")
    lo, hi = data_span(dat) if os.path.exists(dat) else (None, None)
    vals = [float(t) for t in ticks]
    if hi is not None and vals and name.startswith("grouped_"):
        return label  # the side-by-side data are already in the axis unit (multi.c)
    if hi is not None and vals:
        for v in (lo, hi):
            shown = v / UNITS[unit]
            if not min(vals) / 10 <= shown <= max(vals) * 10:
                problems.append("%s: a value of %g base units drawn in %s is %g, outside the "
                                "ticks %g..%g: the label's unit is not the ticks' unit"
                                % (fig["id"], v, unit, shown, min(vals), max(vals)))
    return label


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--order")
    args = ap.parse_args()
    problems = []
    strict_parse(args.report, problems)
    page = Page()
    with open(args.report, encoding="utf-8") as f:
        page.feed(f.read())
    seen = set()
    for i in page.ids:
        if i in seen:
            problems.append("id %r appears more than once" % i)
        seen.add(i)
    problems += ["link #%s has no target" % l for l in sorted(set(page.links)) if l not in seen]
    if not page.viewport:
        problems.append("no <meta name=viewport content=\"width=device-width, ...\">")
    for h in page.h2 + [f["id"] for f in page.figures if f["id"]]:
        if h not in page.toc_links:
            problems.append("the table of contents does not link %r" % h)
    plots = os.path.join(os.path.dirname(os.path.abspath(args.report)), "plots")
    for fig in page.figures:
        label = check_chart(fig, plots, problems)
        print("%s: y label %r" % (fig["id"], label))
    if args.order:
        want = args.order.split(",")
        got = [h for h in page.h2 if h in want]
        if got != want:
            problems.append("sections in the order %s, not %s" % (got, want))
        loose = [s for s, inside in page.tables if s == want[-1] and not inside]
        if loose:
            problems.append("section %r has %d table(s) outside <details>" % (want[-1], len(loose)))
    for p in problems:
        print("report_check: %s: %s" % (args.report, p), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
