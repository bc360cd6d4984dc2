"""The build command's engine: read with the cache, plan, render what changed, write what
changed, on every core.

1. Article files are listed and stat'ed (revue/reading.py); a file whose (size, mtime,
   inode) is the one the cache saw is not read again (unless it was modified within two
   seconds of that look).
2. If every input's hash (code, config, templates, static files, articles) is the last
   successful build's and the output folder still holds the files it wrote: nothing to do.
3. Otherwise cached articles are looked up by key and the missing ones parsed and analysed
   on every core; the site is planned; outputs whose key or file changed are rendered on
   every core; the new site is staged (unchanged files hard-linked) and swapped in.

The cache lives in `.revue-cache/` in the project (never in the output); deleting it only
makes the next build slower.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from .cache import CACHE_DIR, Store, load_index, save_store
from .config import Config
from .errors import BuildError, SourceError
from .keys import context_digest, read_inputs, sha
from .output import (
    new_staging,
    remove_leftovers,
    retire_later,
    stage_site,
    swap_in,
    write_staged,
)
from .parallel import Background, default_jobs
from .progress import Progress
from .reading import StoredSources, read_sources, source_digests, stat_key

Made = TypeVar("Made")

RACY_NS = 2_000_000_000  # a file modified this close to the cache's look is hashed again
PARALLEL_PAGES = 200  # render on every core from this many pages to render
STREAM_FROM = 500  # from this many outputs to render, write them as they come


@dataclass(frozen=True)
class Report:
    """What a build did: articles, output files, rendered, written and removed counts."""

    articles: int
    files: int
    pages: int
    rendered: int
    written: int
    removed: int


def build(
    config: Config,
    output: Path,
    jobs: int | None = None,
    progress=None,
    keep: list[object] | None = None,
) -> Report:
    """Build the site into `output`, reusing `.revue-cache/`. Raises BuildError with every
    problem found (the previous output is then left untouched). `keep`, when given,
    receives the build's big objects (parsed articles, plan) instead of their being freed:
    a process that ends right after can leave them to the system (build.py)."""
    # The caches are written by forked processes while the build goes on (the second core
    # is idle while planning; and this process's memory never holds a pickler's memo).
    progress = progress or Progress()
    with Background() as background:
        try:
            report = _build(config, output, jobs or default_jobs(), progress, background, keep)
        finally:
            gc.unfreeze()  # what the build kept out of the collector's sight, given back
    progress.step("waiting for the caches' writers")
    return report


def _frozen(make: Callable[[], Made]) -> Made:
    """`make()` with the cyclic garbage collector paused (not in forked workers: see
    revue/parallel.py), and all it made moved out of the collector's sight (gc.freeze)
    before it resumes: the loaded caches, the parsed articles and the model live until the
    build ends and hold no garbage, and each pass over their millions of objects would cost
    a tenth of a second at 10,000 articles (three passes followed each load)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return make()
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _build(
    config: Config,
    output: Path,
    jobs: int,
    progress,
    background: Background,
    keep: list[object] | None,
) -> Report:
    """build(), with a Background to write the caches in."""
    root, output = config.root, output.resolve()
    # What earlier builds left beside the output goes on the other core (see retire_later).
    remove_leftovers(output, lambda old: background.run(shutil.rmtree, old, True))
    looked = time.time_ns()
    store = load_index(root)
    if store.output_dir != str(output):
        store.outputs = {}
    inputs = read_inputs(config, known=store.templates)
    store.templates = {inputs.templates_id: dict(inputs.templates)}
    digests, stats = source_digests(config, store.stats)
    plan_inputs = sha(
        inputs.code,
        inputs.config,
        context_digest(dict(inputs.templates)),
        context_digest(_static_digests(config.root / "static")),
        context_digest(digests),
    )
    progress.step("index, inputs and file stats")
    if plan_inputs == store.signature and _outputs_intact(output, store):
        progress.step("output files' stats")
        files = len(store.outputs)
        pages = sum(1 for o in store.outputs if o.endswith(".html"))
        articles = sum(1 for _ in digests)
        return Report(articles, files, pages, 0, 0, 0)

    # Imported here: a build with nothing to do needs neither Jinja nor Markdown.
    from .pipeline import plan_site, render_outputs, valid_articles, with_site_files
    from .prior import load_prior, save_prior
    from .render import make_renderer
    from .search import FolderCache

    progress.step("imports (Markdown, Jinja, analysis)")
    # Under another code or config every entry is stale: the table is then not even loaded.
    # (The preview, served from another URL, reads the same table: the URL is not in it.)
    stored = _frozen(lambda: StoredSources.load(config, inputs.code))
    progress.step("parsed-articles table")
    # The articles, and below the model, live until the end: out of the collector's sight,
    # they are never traversed again, here or in the forked workers (whose memory then
    # stays shared with this one). Planning 10,000 articles is a quarter faster so.
    sources = _frozen(lambda: read_sources(config, digests, stored, jobs, progress))
    stats = {s: (*stats[s], sources[s].digest) for s in sources if s in stats}
    store.stats = {s: v for s, v in stats.items() if looked - v[1] > RACY_NS}
    background.run(stored.keep, config, sources)
    progress.step("reading articles")
    articles, errors = valid_articles(sources)
    progress.step("validation")
    if errors:
        save_store(root, Store(store.stats, store.outputs, str(output), "", store.templates))
        raise BuildError(errors)

    # The last build's plan, as the preview keeps it: only what changed is modelled again.
    made_under = sha(inputs.code, inputs.config)
    prior, search_records = _frozen(lambda: load_prior(root, made_under, stored.table.entries))
    progress.step("last plan")
    stories = prior.stories if prior is not None else ("", ())
    # The model lives until the end too: planning 100,000 articles took 27 s with the
    # collector passing over it, 20 s without (10,000: 1.8 → 1.55 s, in one process).
    planned = _frozen(
        partial(plan_site, config, articles, sources, inputs, stories, prior, long_lived=True)
    )
    del prior
    progress.step("planning")
    # Kept whatever comes next: a plan of these articles, for the next build to reuse
    # (its writer makes the search records it keeps while this process indexes).
    background.run(save_prior, root, made_under, planned, search_records)
    progress.step("starting the last plan's writer")
    search = FolderCache(root / CACHE_DIR / "search")
    plan = with_site_files(planned, config, search, jobs, search_records)
    progress.step("search index")
    bytecode = root / CACHE_DIR / "templates"
    bytecode.mkdir(parents=True, exist_ok=True)
    renderer = make_renderer(config, bytecode=bytecode)
    stale = [o for o, key in plan.keys.items() if not _unchanged(o, key, output, store)]
    # Forking pays off for many pages (long lists are paginated: no page is long); the
    # other outputs are given as bytes.
    forks = jobs if sum(1 for o in stale if o in plan.pages) >= PARALLEL_PAGES else 1
    progress.step("output files' stats")
    gc.freeze()  # the search records and the renderer too
    # Entry cards rendered by a worker stay there: pages are paginated, so the few a later
    # build renders again cost less than keeping them all (in memory, then on disk).
    counter = progress.counter("rendering", len(stale))
    rendered = render_outputs(plan, config, renderer, stale, forks, counter, keep_fragments=False)
    # Many files are written as they come (bounded memory); a few are kept until the end,
    # so that a build whose pages all come out the same writes nothing.
    staging = new_staging(output) if len(stale) >= STREAM_FROM else None
    records = {o: (key, *store.outputs.get(o, ("", "", None))[1:]) for o, key in plan.keys.items()}
    changed: dict[str, bytes] = {}
    written: set[str] = set()
    problems: set[SourceError] = set()
    made: set[str] = {""}
    try:
        for name, result in rendered:
            if isinstance(result, SourceError):
                problems.add(result)
                continue
            digest = sha(result)
            old = store.outputs.get(name)
            records[name] = (records[name][0], digest, old[2] if old else None)
            if old and old[1] == digest and _same_file(f"{output}/{name}", old[2]):
                continue  # the file in place has these bytes
            if staging is None:
                changed[name] = result
            else:
                stat = write_staged(staging, name, result, made)
                records[name] = (records[name][0], digest, stat_key(stat))
                written.add(name)
        if problems:
            save_store(root, Store(store.stats, store.outputs, str(output), "", store.templates))
            raise BuildError(sorted(problems))
        removed = [o for o in store.outputs if o not in plan.keys]
        progress.step("rendering")

        def on_written(name: str, stat: os.stat_result) -> None:
            records[name] = (records[name][0], records[name][1], stat_key(stat))

        if staging is not None or changed or removed or not output.is_dir():
            staging = stage_site(output, plan.keys, changed, on_written, staging, written)
            swap_in(staging, output, retire_later)
            staging = None
        progress.step("staging and swapping in")
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    pages = sum(1 for o in plan.keys if o.endswith(".html"))
    count = len(changed) + len(written)
    report = Report(len(articles), len(plan.keys), pages, len(stale), count, len(removed))
    store.outputs = records
    store.output_dir = str(output)
    store.signature = plan_inputs
    save_store(root, store)
    progress.step("saving the index")
    if keep is not None:
        keep += (stored, sources, plan, planned, store, records)
    return report


def _same_file(path: Path | str, recorded: tuple[int, int, int] | None) -> bool:
    """Whether the file at `path` is still the one the cache recorded writing."""
    try:
        return recorded is not None and stat_key(os.stat(path)) == tuple(recorded)
    except OSError:
        return False


def _unchanged(output_name: str, key: str, output: Path, store: Store) -> bool:
    """Whether an output's key is the recorded one and its file is still as written."""
    record = store.outputs.get(output_name)
    return (
        record is not None and record[0] == key and _same_file(f"{output}/{output_name}", record[2])
    )


def _outputs_intact(output: Path, store: Store) -> bool:
    """Whether every file the last build wrote is still there, unmodified."""
    return bool(store.outputs) and all(
        _same_file(f"{output}/{name}", record[2]) for name, record in store.outputs.items()
    )


def _static_digests(folder: Path) -> dict[str, str]:
    """The hash of every file under `static/` (a few small files)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): sha(p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
