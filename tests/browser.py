"""Helpers for the live preview's tests: throwaway projects, the server, a real browser.

- `chromium()`: Playwright with Debian's Chromium, headless; skipped when either is missing
  on a developer's machine, but a failure when the `CI` variable is set, so a browser test
  never silently stops running in CI.
- `new_project`, `sample_project`, `write_article`, `edit`: throwaway projects and edits;
- `preview(root, base_url)`: the preview server of a project folder, in this process, on a
  free port of 127.0.0.1, stopped on exit.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from revue.serve import DevServer, ServeOptions

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[1]


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI: run scripts/system-deps.sh)")
    pytest.skip(reason)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_project(root: Path) -> Path:
    """A project folder with the repository's site.toml, templates/ and static/."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "content" / "articles").mkdir(parents=True)
    return root


def write_article(
    root: Path, name: str, title: str, body: str, extra: str = "", date: str = "2024-03-25"
) -> Path:
    """Write content/articles/NAME.md, published in full so its body shows on its page."""
    path = root / "content" / "articles" / f"{name}.md"
    path.write_text(
        f"---\ntitle: {title}\ndate: {date}\nsource: Le Monde\nfull_text: true\n{extra}"
        f"---\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def sample_project(root: Path) -> Path:
    """A project of three articles: alpha and beta (March 2024), gamma (February)."""
    new_project(root)
    articles = root / "content" / "articles"
    for name, title, date, theme in (
        ("2024-03-01-alpha", "Alpha", "2024-03-01", "competitors"),
        ("2024-03-02-beta", "Beta", "2024-03-02", "labor-worries"),
        ("2024-02-03-gamma", "Gamma", "2024-02-03", "labor-worries"),
    ):
        (articles / f"{name}.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\nsource: Le Monde\nthemes: [{theme}]\n---\n\n"
            f"Le texte de {title}. Une autre phrase.\n",
            encoding="utf-8",
        )
    return root


def edit(path: Path, old: str, new: str) -> Path:
    """Replace `old` (which must be there) by `new` in a file, as an editor saves it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@contextlib.contextmanager
def preview(root: Path, base_url: str | None = None) -> Iterator[DevServer]:
    """The preview server of `root` on a free loopback port; its terminal output is kept
    in `server.out` and `server.err` (StringIO)."""
    server = DevServer(
        ServeOptions(root=root, host="127.0.0.1", port=0, base_url=base_url),
        out=io.StringIO(),
        err=io.StringIO(),
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
