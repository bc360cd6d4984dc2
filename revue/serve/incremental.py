"""Rebuild the site after a change, re-reading only the article files that changed and
re-rendering only the outputs whose key changed.

The same dependency graph as the build command (revue/pipeline.py): parsed articles and
their analyses are cached by path with the SHA-256 of their bytes and the Config they were
validated against (an unchanged file is never re-read, a file whose bytes are back to a
cached state is not re-parsed, a config change re-parses everything); a first build, or
one under a new config, shares the build command's table of parsed articles: it takes
those it finds there and adds those it parsed. Every output file has a key hashing its
whole render context, template closure, config and code, and only the outputs whose key
changed are rendered again. The compiled templates are kept while the templates' hashes
stay the same (revue/serve/changes.py then tells browsers what changed).

A rebuild gives every output file, or, with `index=False`, all but the search index, which
is made from the whole model by a separate program: the preview shows the pages first and
adds the index after (`search_index`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Config, load_config
from ..content import article_paths, parse_article
from ..errors import BuildError, SourceError
from ..keys import code_version, read_inputs, sha
from ..parallel import default_jobs, run_all
from ..pipeline import (
    Plan,
    Source,
    collect,
    plan_site,
    read_source,
    render_outputs,
    valid_articles,
    with_site_files,
)
from ..reading import StoredSources
from ..render import Renderer, make_renderer
from ..search import Cache as SearchCache
from ..search import RecordMemo, search_files

Parsed = Source  # one article file as last read: its digest, what validating it gave


@dataclass(frozen=True)
class SourceCache:
    """What a rebuild reuses: parsed article files keyed by their shown path (valid for
    `config`), and the key and bytes of every output of the last good build; `plan` is that
    build's plan when it was made from exactly these articles (the last attempt succeeded)."""

    config: Config | None = None
    articles: Mapping[str, Parsed] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, bytes] = field(default_factory=dict)
    renderer: Renderer | None = None
    code: str = ""
    plan: Plan | None = None
    prior: Plan | None = None  # the last plan made, whose objects the next may reuse


@dataclass(frozen=True)
class Built:
    """A successful build: its output files, the static files' manifest, and its plan
    (that `search_index` makes the index from when the build left it out)."""

    config: Config
    files: Mapping[str, bytes]
    manifest: Mapping[str, str]
    articles: int
    rendered: tuple[str, ...] = ()  # the outputs rendered again (their key changed)
    plan: Plan | None = None


@dataclass(frozen=True)
class Attempt:
    """What one rebuild gave: the updated cache, and the site or the errors."""

    cache: SourceCache
    built: Built | None
    errors: tuple[SourceError, ...] = ()


def rebuild(
    root: Path,
    base_url: str | None,
    cache: SourceCache,
    changed: Collection[Path],
    index: bool = True,
) -> Attempt:
    """Build the site again, re-reading only the article files in `changed` (absolute paths)
    and rendering only the outputs whose key changed since the cache's last good build.
    With `index=False` the search index is left out (`search_index` makes it from the
    result); a chain of rebuilds from one cache should keep the same `index`.

    Never raises BuildError: errors are returned in the Attempt, with the cache updated so
    the next attempt only needs the files changed after this one. The cyclic garbage
    collector waits until the rebuild is over: with 10,000 articles in memory, each of its
    full passes would cost a tenth of a second in the middle of it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _rebuild(root, base_url, cache, changed, index)
    finally:
        if collecting:
            gc.enable()


def _rebuild(
    root: Path,
    base_url: str | None,
    cache: SourceCache,
    changed: Collection[Path],
    index: bool,
) -> Attempt:
    """rebuild(), with the collector paused."""
    try:
        config = load_config(root)
    except BuildError as error:
        return Attempt(SourceCache(code=cache.code, prior=cache.prior), None, tuple(error.errors))
    if base_url:
        config = config.with_base_url(base_url)
    code = cache.code or code_version()
    # A first build (or one under a new config) takes what the build command parsed.
    stored = StoredSources.load(config, code) if cache.config != config else None
    sources = refresh_articles(config, cache, changed, stored)
    if stored is not None:  # and the articles it parsed are kept for the next one
        stored.keep(config, sources.articles)
    articles, errors = valid_articles(sources.articles)
    kept = SourceCache(
        config, sources.articles, cache.keys, cache.files, cache.renderer, code, None, cache.prior
    )
    if errors:
        return Attempt(kept, None, tuple(errors))
    if _same_site(config, cache, sources, changed):  # e.g. an article saved with no change
        built = Built(config, cache.files, cache.plan.manifest, len(articles), (), cache.plan)
        return Attempt(cache, built)
    inputs = read_inputs(config, code)
    # The last plan's story groups are reused when the story facts are the same.
    known = cache.plan.stories if cache.plan is not None else ("", ())
    plan = plan_site(config, articles, sources.articles, inputs, known, cache.prior, True)
    if index:
        plan = with_site_files(plan, config)
    renderer = cache.renderer
    templates_key = sha(*(f"{k}={v}" for k, v in sorted(inputs.templates.items())))
    if renderer is None or renderer.templates_key != templates_key:
        renderer = make_renderer(config, templates_key)
    # The outputs whose key changed or that were never rendered (set operations, in C).
    rekeyed = {output for output, _ in plan.keys.items() - cache.keys.items()}
    stale = sorted(rekeyed | (plan.keys.keys() - cache.files.keys()))
    # Forking pays off for many pages (long lists are paginated: no page is long).
    jobs = default_jobs() if len(stale) >= 200 else 1
    rendered, problems = collect(render_outputs(plan, config, renderer, stale, jobs))
    if problems:
        return Attempt(replace(kept, prior=plan), None, tuple(problems))
    files = {**cache.files, **rendered}
    for output in cache.files.keys() - plan.keys.keys():  # outputs the site no longer has
        del files[output]
    built = Built(config, files, plan.manifest, len(articles), tuple(sorted(rendered)), plan)
    cache = SourceCache(config, sources.articles, plan.keys, files, renderer, code, plan, plan)
    return Attempt(cache, built)


def _same_site(
    config: Config, cache: SourceCache, sources: SourceCache, changed: Collection[Path]
) -> bool:
    """Whether the cache's last good build is still the site: it was made from the cached
    articles, only article files changed, and each was found as it was cached."""
    if cache.plan is None or cache.config != config or not changed:
        return False
    folder = config.root / config.content_dir / "articles"
    for path in changed:
        if not path.is_relative_to(folder) or path == folder:
            return False
        shown = path.relative_to(config.root).as_posix()
        if sources.articles.get(shown) is not cache.articles.get(shown):
            return False
    return sources.articles.keys() == cache.articles.keys()


def search_index(
    built: Built, cache: SearchCache | None = None, memo: RecordMemo | None = None
) -> dict[str, bytes]:
    """The search index's files for a build made with `index=False`, `{path: bytes}` (the
    files `with_site_files` adds), reusing the shards in `cache` and the records in `memo`.
    Raises BuildError when the indexer is missing or fails."""
    plan = built.plan
    if plan is None:
        return {}
    return search_files(plan.site, built.config, cache, memo=memo)


def refresh_articles(
    config: Config,
    cache: SourceCache,
    changed: Collection[Path],
    stored: StoredSources | None = None,
) -> SourceCache:
    """The cache updated for the article files on disk now, in the order of article_paths.

    When every changed path is an article file the cache knows and that is still there (an
    article edited), or lies outside the articles' folder, only those files are read again;
    otherwise (an article added, deleted or renamed, a folder changed, a new config) the
    folder is listed again. A file read is parsed unless the cache holds it with the same
    bytes, or `stored` holds it.
    """
    reuse = cache.config == config
    edited = _edited_articles(config, cache, changed) if reuse else None
    if edited is not None:
        articles = dict(cache.articles)
        candidates = edited
    else:
        articles, candidates = _listed_articles(config, cache if reuse else SourceCache(), changed)
    fresh: list[tuple[str, bytes]] = []
    for shown, path in candidates:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # deleted since the folder was listed
            del articles[shown]
            continue
        except OSError as error:  # unreadable for now: an error until it can be read
            problem = SourceError(shown, 0, f"cannot be read ({error.strerror}): check it")
            articles[shown] = Parsed("", None, (problem,))
            continue
        known = cache.articles.get(shown) if reuse else None
        digest = sha(data)
        if known is not None and known.digest == digest:
            articles[shown] = known
        elif stored is not None and (found := stored.find(shown, digest)) is not None:
            articles[shown] = found
        else:
            fresh.append((shown, data))
    jobs = default_jobs() if len(fresh) >= 200 else 1
    for (shown, _), parsed in zip(fresh, run_all(_read, config, fresh, jobs), strict=True):
        articles[shown] = parsed
    return SourceCache(config, articles)


def _edited_articles(
    config: Config, cache: SourceCache, changed: Collection[Path]
) -> list[tuple[str, Path]] | None:
    """(shown path, path) of the changed article files, when each changed path is either an
    article file the cache holds that is still a file, or outside the articles' folder;
    None when the folder must be listed again."""
    if not cache.articles:
        return None
    folder = config.root / config.content_dir / "articles"
    edited = []
    for path in changed:
        if not path.is_relative_to(folder):
            if folder.is_relative_to(path):  # the folder itself or one holding it
                return None
            continue
        shown = path.relative_to(config.root).as_posix()
        if shown not in cache.articles or not path.is_file():
            return None
        edited.append((shown, path))
    return edited


def _listed_articles(
    config: Config, cache: SourceCache, changed: Collection[Path]
) -> tuple[dict[str, Parsed], list[tuple[str, Path]]]:
    """Every article file listed again, in order: those the cache holds and that did not
    change, and placeholders for the others, with their (shown path, path) to read."""
    changed = {str(path) for path in changed}
    folders = tuple(path + os.sep for path in changed)
    articles: dict[str, Parsed] = {}
    candidates = []
    for path in article_paths(config):
        shown = path.relative_to(config.root).as_posix()
        known = cache.articles.get(shown)
        if known is not None and not _touched(str(path), changed, folders):
            articles[shown] = known
        else:
            articles[shown] = None  # type: ignore[assignment]  # keeps the path order
            candidates.append((shown, path))
    return articles, candidates


def _read(config: Config, item: tuple[str, bytes]) -> Parsed:
    shown, data = item
    return read_source(shown, data, config, parse_article)


def _touched(path: str, changed: set[str], folders: tuple[str, ...]) -> bool:
    """Whether `path`, or a folder holding it, is among the changed paths."""
    return path in changed or path.startswith(folders)


def full_build(root: Path, base_url: str | None) -> Attempt:
    """A first build, with an empty cache."""
    return rebuild(root, base_url, SourceCache(), ())
