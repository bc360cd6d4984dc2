#!/usr/bin/env python3
"""Revue's entry point: `python build.py [build|import|new|check|serve] …` (see README.md)."""

import os
import sys

from revue.cli import main

if __name__ == "__main__":
    kept: list[object] = []
    code = main(sys.argv[1:], keep=kept)
    if kept:
        # A build's millions of objects are left to the system, which takes the whole
        # memory back at once, instead of being freed one by one (~0.3 s at 10,000
        # articles): the process ends as soon as what it printed is out.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
