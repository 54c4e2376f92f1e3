#!/bin/sh
# test_layers.sh - the layer rule of runner/ (docs/design.md, "The pipeline"): a room includes
# only rooms below it in design.md's room table, or itself.  The order is read from that table,
# so the document and this test cannot disagree; every room under runner/ must be in it, and
# every room in it must exist.  The includes are read from every runner/ source and header,
# with the line of each one that breaks the order.  No build needed.
. "$(dirname "$0")/../lib/harness.sh"
python3 - docs/design.md runner <<'PY' || fail "an include breaks the layer rule"
import os, re, sys
doc, top = sys.argv[1], sys.argv[2]
text = open(doc).read()
section = text[text.index("## The pipeline"):text.index("## Probes")]
order = re.findall(r"^\| `([a-z]+)/` \|", section, re.M)
assert order, "no room table in %s" % doc
rooms = sorted(d for d in os.listdir(top) if os.path.isdir(os.path.join(top, d)))
assert sorted(order) == rooms and len(set(order)) == len(order), \
    "design.md places %s; runner/ has %s" % (order, rooms)
rank = {r: i for i, r in enumerate(order)}
bad = []
for room in rooms:
    for name in sorted(os.listdir(os.path.join(top, room))):
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(top, room, name)
        for n, line in enumerate(open(path), 1):
            m = re.match(r'\s*#\s*include\s+"([a-z]+)/', line)
            if m and m.group(1) in rank and rank[m.group(1)] < rank[room]:
                bad.append("%s:%d: %s/ includes %s/, which design.md puts above it: %s"
                           % (path, n, room, m.group(1), line.strip()))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
echo "$H_NAME: the includes of runner/ follow design.md's order"
