"""The `python` probe as a zipapp: the Makefile zips this folder (this file and pyprobe/) into
build/probes/python, which any interpreter runs by name (python3.8 build/probes/python ...).
The probe itself, contract and cases, is the pyprobe package beside this file."""

import sys

from pyprobe.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
