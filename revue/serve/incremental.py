"""Rebuild the site after a change, re-reading only the article files that changed.

Parsed articles are cached by path with the SHA-256 of their bytes and the Config they
were validated against: an unchanged file is never re-read, a file whose bytes are back to
a cached state is not re-parsed, and a config change re-parses everything (theme ids are
checked against it). The model and every page are then rebuilt from the articles, and
`compare` tells which output files actually changed, which vanished, and which open pages
must reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..content import Article, article_paths, duplicate_slugs, parse_article
from ..errors import BuildError, SourceError
from ..pipeline import build_files


@dataclass(frozen=True)
class Parsed:
    """One article file as last read: its digest and what validating it gave."""

    digest: str
    article: Article | None
    errors: tuple[SourceError, ...]


@dataclass(frozen=True)
class SourceCache:
    """Parsed article files keyed by their shown path, valid for `config`."""

    config: Config | None = None
    articles: Mapping[str, Parsed] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """A successful build: every output file and the static files' manifest."""

    config: Config
    files: Mapping[str, bytes]
    manifest: Mapping[str, str]
    articles: int


@dataclass(frozen=True)
class Attempt:
    """What one rebuild gave: the updated cache, and the site or the errors."""

    cache: SourceCache
    built: Built | None
    errors: tuple[SourceError, ...] = ()


@dataclass(frozen=True)
class OutputChanges:
    """How a new build differs from the previous one.

    `written`: output paths that are new or whose bytes changed; `removed`: output paths
    that vanished; `pages`: output paths whose page must reload in a browser (a page that
    differs only by the hashed name of a stylesheet that is swapped in place does not);
    `stylesheets`: (old URL, new URL) of each stylesheet to swap, relative to the site.
    """

    written: tuple[str, ...]
    removed: tuple[str, ...]
    pages: tuple[str, ...]
    stylesheets: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        """True when the new build is byte-identical to the previous one."""
        return not (self.written or self.removed)


def rebuild(
    root: Path, base_url: str | None, cache: SourceCache, changed: Collection[Path]
) -> Attempt:
    """Build the site again, re-reading only the article files in `changed` (absolute paths).

    Never raises BuildError: errors are returned in the Attempt, with the cache updated so
    the next attempt only needs the files changed after this one.
    """
    try:
        config = load_config(root)
    except BuildError as error:
        return Attempt(SourceCache(), None, tuple(error.errors))
    if base_url:
        config = config.with_base_url(base_url)
    cache = refresh_articles(config, cache, changed)
    errors = [e for parsed in cache.articles.values() for e in parsed.errors]
    articles = [
        parsed.article
        for parsed in cache.articles.values()
        if parsed.article is not None and not parsed.article.is_draft
    ]
    errors.extend(duplicate_slugs(articles))
    if errors:
        return Attempt(cache, None, tuple(sorted(errors)))
    try:
        files, manifest = build_files(config, articles)
    except BuildError as error:
        return Attempt(cache, None, tuple(error.errors))
    return Attempt(cache, Built(config, files, manifest, len(articles)))


def refresh_articles(config: Config, cache: SourceCache, changed: Collection[Path]) -> SourceCache:
    """The cache updated for the article files on disk now, in the order of article_paths."""
    changed = set(changed)
    reuse = cache.config == config
    articles: dict[str, Parsed] = {}
    for path in article_paths(config):
        shown = path.relative_to(config.root).as_posix()
        known = cache.articles.get(shown)
        if reuse and known is not None and not _touched(path, changed):
            articles[shown] = known
            continue
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # deleted since the folder was listed
            continue
        digest = hashlib.sha256(data).hexdigest()
        if reuse and known is not None and known.digest == digest:
            articles[shown] = known
        else:
            article, errors = parse_article(shown, data, config)
            articles[shown] = Parsed(digest, article, tuple(errors))
    return SourceCache(config, articles)


def _touched(path: Path, changed: set[Path]) -> bool:
    """Whether `path`, or a folder holding it, is among the changed paths."""
    return path in changed or any(parent in changed for parent in path.parents)


def compare(
    old: Mapping[str, bytes],
    new: Mapping[str, bytes],
    old_manifest: Mapping[str, str] | None = None,
    new_manifest: Mapping[str, str] | None = None,
) -> OutputChanges:
    """The output files that differ between two builds, and what browsers should do."""
    written = tuple(sorted(p for p, data in new.items() if old.get(p) != data))
    removed = tuple(sorted(p for p in old if p not in new))
    stylesheets = tuple(
        (old_manifest[name], url)
        for name, url in sorted((new_manifest or {}).items())
        if name.endswith(".css") and name in (old_manifest or {}) and old_manifest[name] != url
    )
    renames = [(new_url.encode(), old_url.encode()) for old_url, new_url in stylesheets]
    pages = tuple(
        p
        for p in (*written, *removed)
        if p.endswith(".html") and not _only_renamed(old.get(p), new.get(p), renames)
    )
    return OutputChanges(written, removed, pages, stylesheets)


def _only_renamed(old: bytes | None, new: bytes | None, renames: list[tuple[bytes, bytes]]) -> bool:
    """Whether `new` is `old` with only some stylesheet URLs renamed."""
    if old is None or new is None or not renames:
        return False
    for new_url, old_url in renames:
        new = new.replace(new_url, old_url)
    return new == old


def page_url(output: str, base_path: str) -> str:
    """The URL path a browser shows for an output file: `a/index.html` → `/base/a/`."""
    if output == "index.html":
        return base_path
    if output.endswith("/index.html"):
        return base_path + output.removesuffix("index.html")
    return base_path + output


def full_build(root: Path, base_url: str | None) -> Attempt:
    """A first build, with an empty cache."""
    return rebuild(root, base_url, SourceCache(), ())
