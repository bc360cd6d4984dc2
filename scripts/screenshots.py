"""Screenshots of the site at phone and desktop widths, in light and dark mode.

Builds the committed site into a temporary folder, serves it under /revue/ and opens
pages in headless Chromium (Debian's, with the tests' flags) through Playwright, then
writes one full-page PNG per page, width and colour scheme:

    .venv/bin/python scripts/screenshots.py [--output _screenshots] [--pages home article]

File names read `<page>-<phone|desktop>-<light|dark>.png`. The phone is 390 × 844 CSS
pixels at 2× (an iPhone 12 to 15 is 3×), the desktop 1280 × 800 at 1×.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = [sys.executable, "build.py", "build"]
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from crawl import serve  # noqa: E402

WIDTHS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}
SCHEMES = ("light", "dark")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "_screenshots")
    parser.add_argument(
        "--pages",
        nargs="+",
        default=["home"],
        choices=["home", "theme", "article", "search", "archives", "outlets"],
    )
    parser.add_argument(
        "--first-screen", action="store_true", help="only what the first screen shows"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "_site"
        with serve(site, "/revue/") as base_url:
            subprocess.run(
                [*BUILD, "--base-url", base_url, "--output", str(site)],
                cwd=REPO,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            paths = {
                "home": "",
                "theme": _first(site, "themes/*/index.html"),
                "article": _first(site, "articles/*/index.html"),
                "search": "recherche/?q=studios",
                "archives": "archives/",
                "outlets": "medias/",
            }
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                for name in args.pages:
                    for width, device in WIDTHS.items():
                        for scheme in SCHEMES:
                            context = browser.new_context(color_scheme=scheme, **device)
                            page = context.new_page()
                            page.goto(base_url + paths[name])
                            if name == "search":
                                page.wait_for_selector("#resultats li")
                            target = args.output / f"{name}-{width}-{scheme}.png"
                            page.screenshot(path=str(target), full_page=not args.first_screen)
                            context.close()
                            print(target)
                browser.close()
    return 0


def _first(site: Path, pattern: str) -> str:
    return sorted(site.glob(pattern))[0].parent.relative_to(site).as_posix() + "/"


if __name__ == "__main__":
    sys.exit(main())
