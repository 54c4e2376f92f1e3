"""make_zipapp.py OUT - build the python probe: a zipapp of this folder's __main__.py and the
pyprobe package (its .py files only: no __pycache__, nothing else), with a
#!/usr/bin/env python3 line, written to OUT.tmp and renamed to OUT.  Any interpreter runs it by
name: python3.8 OUT --list.  Standard library only (zipapp, 3.7+); the Makefile runs it."""

import os
import sys
import zipapp

HERE = os.path.dirname(os.path.abspath(__file__))


def wanted(rel):
    """The files of the probe: __main__.py, and every .py file under pyprobe/."""
    return rel.suffix == ".py" and (rel.parts == ("__main__.py",) or rel.parts[0] == "pyprobe")


def main(out):
    tmp = out + ".tmp"
    zipapp.create_archive(HERE, tmp, interpreter="/usr/bin/env python3", filter=wanted)
    os.chmod(tmp, 0o755)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_zipapp.py OUT")
    sys.exit(main(sys.argv[1]))
