"""params - the python probe's parameters: the same syntax, bounds and error messages as
probes/lib/param.c (sizes, durations, integers, booleans, choices), so that a config means the
same to every probe.  tests/unit/test_param_parity.c holds the two to each other."""

SIZE_UNITS = (("", 1), ("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
              ("TiB", 1 << 40))
DURATION_UNITS = (("ns", 1), ("us", 1000), ("ms", 10 ** 6), ("s", 10 ** 9), ("m", 60 * 10 ** 9),
                  ("h", 3600 * 10 ** 9))
UNIT_HINTS = {
    "K": "KiB", "KB": "KiB", "k": "KiB", "kB": "KiB", "kb": "KiB", "Ki": "KiB", "M": "MiB",
    "MB": "MiB", "Mi": "MiB", "mb": "MiB", "G": "GiB", "GB": "GiB", "Gi": "GiB", "gb": "GiB",
    "b": "B", "kib": "KiB", "mib": "MiB", "gib": "GiB", "\u00b5s": "us", "sec": "s",
    "secs": "s", "msec": "ms", "usec": "us", "nsec": "ns", "S": "s", "MS": "ms", "min": "m",
}
SPACE = " \t\n\v\f\r"
DIGITS = "0123456789"
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


def _parse_with_units(text, units, what, unit_list):
    """Parse '<digits>[.<digits>]<unit>' into base units (bytes or ns); ValueError(message)."""
    p, n = 0, len(text)
    while p < n and text[p] in SPACE:
        p += 1
    if p < n and text[p] == "-":
        raise ValueError('expected a %s (%s), got negative "%s"' % (what, unit_list, text))
    if p >= n or text[p] not in DIGITS:
        raise ValueError('expected a %s with a unit (%s), got "%s"' % (what, unit_list, text))
    whole = 0
    while p < n and text[p] in DIGITS:
        whole = whole * 10 + int(text[p])
        if whole > UINT64_MAX:
            raise ValueError('%s "%s" is too large' % (what, text))
        p += 1
    frac_num, frac_den = 0, 1
    if p < n and text[p] == ".":
        p += 1
        if p >= n or text[p] not in DIGITS:
            raise ValueError('expected digits after the decimal point in "%s"' % text)
        start = p
        while p < n and text[p] in DIGITS:
            p += 1
        digits = text[start:p].rstrip("0")   # exact: every digit counts (as param.c)
        if len(digits) > 19:
            raise ValueError('%s "%s" has more digits after the point than can be exact (19)'
                             % (what, text))
        for d in digits:
            frac_num = frac_num * 10 + int(d)
            frac_den *= 10
    while p < n and text[p] in SPACE:
        p += 1
    start = p
    while p < n and text[p] not in SPACE and p - start < 15:
        p += 1
    unit = text[start:p]
    while p < n and text[p] in SPACE:
        p += 1
    if p < n:
        raise ValueError('expected a %s (%s), got "%s"' % (what, unit_list, text))
    mult = dict(units).get(unit)
    if mult is None:
        hint = UNIT_HINTS.get(unit)
        if hint:
            raise ValueError('unknown unit "%s" in "%s"; did you mean %s? (units: %s)'
                             % (unit, text, hint, unit_list))
        raise ValueError('unknown unit "%s" in "%s" (units: %s)' % (unit, text, unit_list))
    if whole > INT64_MAX // mult:
        raise ValueError('%s "%s" is too large' % (what, text))
    v = whole * mult
    if frac_num:
        if (mult * frac_num) % frac_den:
            raise ValueError('%s "%s" is not a whole number of %s'
                             % (what, text, units[0][0] or "bytes"))
        v += mult * frac_num // frac_den
    if v > INT64_MAX:
        raise ValueError('%s "%s" is too large' % (what, text))
    return v


def parse_size(text):
    """'4096', '4096B', '64KiB', '1MiB' -> bytes."""
    return _parse_with_units(text, SIZE_UNITS, "size", "B, KiB, MiB, GiB, or plain bytes")


def parse_duration(text):
    """'250ns', '10us', '500ms', '2s', '1m', '1h' -> ns; a bare number is refused."""
    t = text.rstrip(SPACE)
    if t and t[-1] in DIGITS:
        raise ValueError('expected a duration with a unit (ns, us, ms, s), got "%s"' % text)
    return _parse_with_units(text, DURATION_UNITS, "duration", "ns, us, ms, s")


def parse_int(text):
    """As strtoll(text, &end, 10) with the whole text consumed and no overflow."""
    t = text.lstrip(SPACE)
    body = t[1:] if t[:1] in ("+", "-") else t
    if not body or any(c not in DIGITS for c in body):
        raise ValueError('expected an integer, got "%s"' % text)
    v = int(t)
    if not -INT64_MAX - 1 <= v <= INT64_MAX:
        raise ValueError('expected an integer, got "%s"' % text)
    return v


def parse_bool(text):
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise ValueError('expected true or false, got "%s"' % text)


def fmt_size(b):
    """Bytes for humans, exact units only ('64 KiB', '1536 B', '10.5 MiB' above 10 KiB)."""
    names = ("B", "KiB", "MiB", "GiB", "TiB")
    u, v = 0, b
    while u < 4 and v != 0 and v % 1024 == 0:
        v //= 1024
        u += 1
    if u == 0 and b >= 10240:
        d = float(b)
        while u < 4 and d >= 1024:
            d /= 1024
            u += 1
        return "%.1f %s" % (d, names[u])
    return "%d %s" % (v, names[u])


def fmt_duration(ns):
    if ns < 1000:
        return "%d ns" % ns
    if ns < 10 ** 6:
        return "%.3g us" % (ns / 1e3)
    if ns < 10 ** 9:
        return "%.3g ms" % (ns / 1e6)
    return "%.3g s" % (ns / 1e9)


def edit_distance(a, b):
    if len(a) > 64 or len(b) > 64:
        return 1000
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            cur = row[j]
            sub = prev + (a[i - 1].lower() != b[j - 1].lower())
            row[j] = min(sub, row[j] + 1, row[j - 1] + 1)
            prev = cur
    return row[len(b)]


def closest_name(word, names):
    best, best_d = None, 1000
    for n in names:
        d = edit_distance(word, n)
        if d < best_d:
            best, best_d = n, d
    limit = 1 if len(word) <= 3 else len(word) // 3 + 1
    return best if best is not None and best_d <= limit else None


class Param:
    """One parameter: a table row.  default/min/max are text, parsed like user input."""

    PLAIN = {"bool": parse_bool, "int": parse_int, "size": parse_size,
             "duration": parse_duration}

    def __init__(self, name, ptype, default, lo=None, hi=None, choices=None, help=""):
        self.name, self.type, self.default = name, ptype, default
        self.min, self.max, self.choices, self.help = lo, hi, choices, help

    def parse(self, text):
        """The canonical value (int, bool or str) of text; ValueError(one sentence)."""
        if self.type == "enum":
            if text in self.choices:
                return text
            near = closest_name(text, self.choices)
            msg = 'expected one of %s, got "%s"' % (", ".join(self.choices), text)
            raise ValueError(msg + ("; did you mean %s?" % near if near else ""))
        if self.type == "string":
            return text
        parse = self.PLAIN[self.type]
        v = parse(text)
        if self.type == "bool":
            return v
        lo = self._bound(self.min, -INT64_MAX - 1)
        hi = self._bound(self.max, INT64_MAX)
        if v < lo or v > hi:
            fmt = {"size": fmt_size, "duration": fmt_duration}.get(self.type, str)
            what = {"int": "an integer"}.get(self.type, "a " + self.type)  # as param.c
            if self.min and self.max:
                msg = "expected %s between %s and %s, got %s" % (what, fmt(lo), fmt(hi), text)
            elif self.min:
                msg = "expected %s of at least %s, got %s" % (what, fmt(lo), text)
            else:
                msg = "expected %s of at most %s, got %s" % (what, fmt(hi), text)
            raise ValueError(msg)
        return v

    def _bound(self, text, fallback):
        if text is None:
            return fallback
        try:
            return self.PLAIN[self.type](text)
        except ValueError:
            return fallback

    def describe(self):
        return {"name": self.name, "type": self.type, "default": self.default, "min": self.min,
                "max": self.max, "choices": list(self.choices) if self.choices else None,
                "help": self.help}


# The deadline parameter several cases share (a table cell, not a case of its own).
TIMEOUT = Param("timeout", "duration", "60s", "1ms", "1h", help="deadline for any single wait")
