"""Print Lighthouse's scores for the home page, a theme page and an article page.

Builds the committed site into a temporary folder, serves it under /revue/ (as GitHub
Pages serves a project site) and runs Lighthouse (node_modules, from package-lock.json:
`make test` or `npm ci` installs it) with Debian's Chromium and the tests' Chromium
flags. Lighthouse's default is a mid-range phone on a throttled connection; `--desktop`
uses its desktop preset.

    .venv/bin/python scripts/lighthouse.py [--desktop] [--runs 3]

Prints one line per page and category; each score is the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = [sys.executable, "build.py", "build"]
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from crawl import serve  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median shown)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `npm ci` (or `make test`) first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "_site"
        with serve(output, "/revue/") as base_url:
            subprocess.run(
                [*BUILD, "--base-url", base_url, "--output", str(output)],
                cwd=REPO,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            pages = {
                "home": "",
                "theme": _first(output, "themes/*/index.html"),
                "article": _first(output, "articles/*/index.html"),
            }
            print(f"{'page':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
            for name, path in pages.items():
                runs = [_scores(base_url + path, args.desktop) for _ in range(args.runs)]
                medians = [statistics.median(run[c] for run in runs) for c in CATEGORIES]
                print(f"{name:<8} " + " ".join(f"{m:>15.0f}" for m in medians), flush=True)
            print(f"({'desktop' if args.desktop else 'mobile'}; pages: {pages})")
    return 0


def _first(output: Path, pattern: str) -> str:
    return sorted(output.glob(pattern))[0].parent.relative_to(output).as_posix() + "/"


def _scores(url: str, desktop: bool) -> dict[str, float]:
    """Lighthouse's four category scores (0–100) for one URL."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if desktop:
        command.append("--preset=desktop")
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"  {url}: {category}: {audit['id']} scored {audit['score']}", flush=True)
    return {c: report["categories"][c]["score"] * 100 for c in CATEGORIES}


if __name__ == "__main__":
    sys.exit(main())
