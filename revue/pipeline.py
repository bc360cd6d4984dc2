"""From validated articles to the whole site in memory: the stages after loading, in order."""

from __future__ import annotations

from .assets import fingerprint
from .config import Config
from .content import Article
from .model import build_site
from .output import read_static
from .render import render_site
from .search import search_files


def build_files(config: Config, articles: list[Article]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The site as `{path: bytes}` (rendered pages, feeds, hashed static files), and the
    manifest `{static name: hashed URL}`. Raises BuildError when a template fails."""
    static_files, manifest = fingerprint(read_static(config.root / "static"))
    site = build_site(articles, config)
    return {
        **render_site(site, config, manifest),
        **static_files,
        **search_files(site, config),
    }, manifest
