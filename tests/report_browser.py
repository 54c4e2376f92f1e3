#!/usr/bin/env python3
"""report_browser.py - a report.html in a real browser: headless Chromium, driven through the
DevTools protocol over --remote-debugging-pipe (standard library only), at phone and desktop
widths.  At each width it checks that nothing overflows the viewport (the page never scrolls
sideways: document.documentElement.scrollWidth <= innerWidth), that the viewport meta holds
(the layout viewport is the device's width, not 980 px scaled down), that every link of the
table of contents lands on its target, and that chart text is legible (rendered font size).

With --print, the page is also laid out as printed (print media, the width of an A4
landscape page less the report's 10 mm margins: 277 mm, 1047 px): every column of every table
must be on the page (no table wider than it, no cell past its edge), every <details> must
print open, and --pdf FILE saves Chromium's PDF of it (Page.printToPDF).

usage: report_browser.py REPORT.html [--width 390 --width 1280] [--shots PREFIX]
                         [--min-font PX] [--print] [--pdf FILE]
Prints one JSON line per width with what it measured; exit 0 when every check holds, 1 when
one fails (each failure on stderr), 77 when no Chromium can be started (the reason on stdout).
PREFIX-<width>.png gets a full-page screenshot when --shots is given.
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DEADLINE_S = 30


class Browser:
    """One headless Chromium; messages are JSON, each ended by a NUL byte, on fds 3 (to it)
    and 4 (from it)."""

    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="ipcprobe-chromium-")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        args = [exe, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--user-data-dir=" + self.profile, "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses root without it

        def fds():  # the child's fds 3 and 4 (dup2 makes them inheritable; every other fd of
            # Python's is close-on-exec); moved above 4 first so that dup2 cannot clobber one
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=fds,
                                     close_fds=False, start_new_session=True)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        want = self.next_id
        while True:
            m = self.read()
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def read(self):
        end = time.monotonic() + DEADLINE_S
        while b"\0" not in self.buf:
            if time.monotonic() > end:
                raise RuntimeError("Chromium did not answer in %d s" % DEADLINE_S)
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def wait_event(self, method, session):
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            m = self.read()
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self):
        """Ask it to close, then make sure: its whole process group goes, and its profile."""
        try:
            if self.proc.poll() is None:
                self.send("Browser.close")
                self.proc.wait(timeout=5)
        except Exception:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        for fd in (self.to_w, self.from_r):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)


# Measured in the page; returns JSON.  Chart text: the smallest size a text of an inline SVG is
# seen at (its font size x the SVG's scale x the page's zoom, which is 390/980 on a phone
# when the page has no viewport meta), over every chart on the page.
MEASURE = r"""
(() => {
  const de = document.documentElement;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > de.clientWidth + 0.5 && !el.closest('.tw, figure, pre')) wide.push(
      el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') +
      ' right=' + Math.round(r.right));
  }
  let minFont = Infinity;
  const zoom = window.visualViewport ? visualViewport.scale : 1;
  for (const svg of document.querySelectorAll('figure svg')) {
    const vb = svg.viewBox.baseVal, w = svg.getBoundingClientRect().width;
    if (!vb || !vb.width || !w) continue;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * w / vb.width * zoom;
      if (px < minFont) minFont = px;
    }
  }
  const toc = [...document.querySelectorAll('#toc a[href^="#"]')].map(a => a.getAttribute('href').slice(1));
  return JSON.stringify({scrollWidth: de.scrollWidth, innerWidth: innerWidth,
    clientWidth: de.clientWidth, height: de.scrollHeight, wide: wide.slice(0, 10),
    minChartFontPx: minFont === Infinity ? null : Math.round(minFont * 10) / 10, toc: toc,
    charts: document.querySelectorAll('figure svg').length});
})()
"""

# Follow one ToC link as a reader would (a click), then say where its target landed.
LANDS = r"""
((id) => {
  window.scrollTo(0, 0);
  const a = document.querySelector('#toc a[href="#' + CSS.escape(id) + '"]');
  const el = document.getElementById(id);
  if (!a || !el) return JSON.stringify({id: id, found: false});
  a.click();
  const r = el.getBoundingClientRect();
  const atEnd = Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1;
  return JSON.stringify({id: id, found: true, top: Math.round(r.top), height: r.height,
                         visible: r.height > 0 && r.top >= -1 && (r.top <= 2 || atEnd) &&
                                  r.top < innerHeight});
})
"""


# Measured in the page laid out for print; returns JSON.
PRINT_MEASURE = r"""
(() => {
  const page = document.documentElement.clientWidth, out = [];
  document.querySelectorAll('table').forEach((t, i) => {
    let right = t.getBoundingClientRect().right;
    for (const c of t.querySelectorAll('th, td')) right = Math.max(right, c.getBoundingClientRect().right);
    if (right > page + 0.5 || t.scrollWidth > t.clientWidth + 0.5) {
      const prev = (t.closest('.tw') || t).previousElementSibling;
      out.push('table ' + i + ' (' + t.rows[0].cells.length + ' columns, after "' +
               (prev ? prev.textContent.slice(0, 40) : '') +
               '") reaches ' + Math.round(right) + ' px of ' + page);
    }
  });
  const closed = [...document.querySelectorAll('details')].filter(d =>
    [...d.children].some(c => c.tagName !== 'SUMMARY' && !c.checkVisibility())).length;
  return JSON.stringify({page: page, tables: document.querySelectorAll('table').length,
                         cut: out, details: document.querySelectorAll('details').length,
                         closed: closed, scrollWidth: document.documentElement.scrollWidth});
})()
"""
PRINT_WIDTH = 1047  # A4 landscape, 297 mm less two 10 mm margins, at 96 px per inch


def check_print(b, url, args, problems):
    target, session = open_page(b, url, PRINT_WIDTH)
    b.send("Emulation.setEmulatedMedia", {"media": "print"}, session)
    m = evaluate(b, session, PRINT_MEASURE)
    for c in m["cut"]:
        problems.append("print: a column is off the page: " + c)
    if m["closed"]:
        problems.append("print: %d of %d <details> would print closed" % (m["closed"], m["details"]))
    if args.pdf:
        pdf = b.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                     session)
        with open(args.pdf, "wb") as f:
            f.write(base64.b64decode(pdf["data"]))
    if args.shots:
        shot = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                      session)
        with open("%s-print.png" % args.shots, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    b.send("Target.closeTarget", {"targetId": target})
    m["width"] = "print"
    return m


def evaluate(b, session, expr):
    r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    if "exceptionDetails" in r:
        raise RuntimeError("page script failed: %s" % r["exceptionDetails"])
    return json.loads(r["result"]["value"])


def open_page(b, url, width):
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    b.send("Page.enable", session=session)
    # A phone is a mobile viewport: without a viewport meta the page would be laid out 980 px
    # wide and scaled down, which is what this must catch.
    b.send("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": 844 if width < 600 else 900, "deviceScaleFactor": 1,
            "mobile": width < 600}, session)
    b.send("Page.navigate", {"url": url}, session)
    b.wait_event("Page.loadEventFired", session)
    return target, session


def check_width(b, url, width, args, problems):
    target, session = open_page(b, url, width)
    m = evaluate(b, session, MEASURE)
    if m["scrollWidth"] > m["innerWidth"]:
        problems.append("%d px: the page scrolls sideways (scrollWidth %d > innerWidth %d): %s"
                        % (width, m["scrollWidth"], m["innerWidth"], "; ".join(m["wide"])))
    if m["clientWidth"] != width:
        problems.append("%d px: the layout viewport is %d px wide, not the device's %d (no "
                        "viewport meta?)" % (width, m["clientWidth"], width))
    if not m["toc"]:
        problems.append("%d px: no table of contents (#toc with links)" % width)
    if m["minChartFontPx"] is not None and m["minChartFontPx"] < args.min_font:
        problems.append("%d px: chart text is %.1f px, under %.1f px"
                        % (width, m["minChartFontPx"], args.min_font))
    m["unlanded"] = []
    for ident in m["toc"]:
        land = evaluate(b, session, LANDS + "(%s)" % json.dumps(ident))
        if not land["found"] or not land["visible"]:
            m["unlanded"].append(land)
            problems.append("%d px: ToC link #%s does not land on its target: %s"
                            % (width, ident, land))
    if args.shots:
        evaluate(b, session, "window.scrollTo(0, 0), '0'")
        shot = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                      session)
        with open("%s-%d.png" % (args.shots, width), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    b.send("Target.closeTarget", {"targetId": target})
    del m["toc"]
    m["width"] = width
    return m


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--width", type=int, action="append")
    ap.add_argument("--shots")
    ap.add_argument("--min-font", type=float, default=9.0)
    ap.add_argument("--print", action="store_true")
    ap.add_argument("--pdf")
    args = ap.parse_args()
    exe = find_chromium()
    if not exe:
        print("no Chromium on PATH (Debian: apt-get install chromium; make deps installs it)")
        return 77
    url = "file://" + os.path.abspath(args.report)
    b = Browser(exe)
    problems = []
    try:
        try:
            b.send("Browser.getVersion")
        except RuntimeError as e:
            print("Chromium (%s) could not be started: %s" % (exe, e))
            return 77
        for w in args.width or [390, 1280]:
            print(json.dumps(check_width(b, url, w, args, problems)))
        if args.print or args.pdf:
            print(json.dumps(check_print(b, url, args, problems)))
    finally:
        b.close()
    for p in problems:
        print("report_browser: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
