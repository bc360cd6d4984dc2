#!/usr/bin/env python3
"""Revue's entry point: `python build.py [build|import|new|check|serve] …` (see README.md)."""

import sys

from revue.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
