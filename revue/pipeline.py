"""From article files to the whole site in memory: the stages after reading, in order.

One dependency graph serves the build command and the preview: every article source and
every output file has a key (revue/keys.py) that hashes everything it is made from.
`read_source` turns one file's bytes into an article and its analyses (cached by the file's
key); `plan_site` models the site and gives each output file its key; `render_outputs`
renders only the outputs asked for, on every core. A caller renders the outputs whose key
is not the one it holds, and reuses the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, compress
from operator import attrgetter, is_not

from .analysis.stories import group_stories, story_key
from .analysis.story_update import StoryState, story_state, update_stories
from .assets import fingerprint
from .config import Config
from .content import Article, duplicate_slugs, parse_article
from .errors import BuildError, SourceError
from .keys import Inputs, context_digest, page_digest, sha, source_key
from .markdown import typographize
from .model import Facts, Page, Parts, Site, article_facts, build_site
from .output import read_static
from .parallel import run_all
from .render import Renderer, all_pages, make_renderer, render_page
from .search import Cache as SearchCache
from .search import RecordMemo, search_files

NOJEKYLL = ".nojekyll"
_PATH, _FACTS, _STORY_KEY = attrgetter("path"), attrgetter("facts"), attrgetter("story_key")
_ERRORS, _ARTICLE = attrgetter("errors"), attrgetter("article")


@dataclass(frozen=True)
class Source:
    """One article file as read: the hash of its bytes, the article (None when invalid), its
    errors, and the per-article analyses (with `story_key`, the hash of what the story
    grouping reads of them). A pure function of (bytes, path, config, code)."""

    digest: str
    article: Article | None
    errors: tuple[SourceError, ...]
    facts: Facts | None = None
    typeset: tuple[tuple[str, str], ...] = ()
    story_key: str = ""


def read_source(shown: str, data: bytes, config: Config, parse=parse_article) -> Source:
    """Parse, validate and analyse one article file's bytes (`shown` is its path)."""
    article, errors = parse(shown, data, config)
    if article is None:
        return Source(sha(data), None, tuple(errors))
    facts = article_facts(article, config)
    typeset = pretypeset(article, facts)
    return Source(sha(data), article, tuple(errors), facts, typeset, story_key(facts))


def pretypeset(article: Article, facts: Facts) -> tuple[tuple[str, str], ...]:
    """French typography, done once and cached, on the article's texts the templates show
    through the `typo` filter (a table of a pure function: any other text is typeset when
    rendering)."""
    texts = {
        article.title,
        article.source,
        facts.summary,
        f"« {facts.excerpt} »",
        f"« {article.title} »",
    }
    return tuple((text, typographize(text)) for text in sorted(texts))


def valid_articles(sources: Mapping[str, Source]) -> tuple[list[Article], list[SourceError]]:
    """The published articles of the sources (by path, in path order), and every error."""
    errors = list(chain.from_iterable(map(_ERRORS, sources.values())))
    articles = [a for a in map(_ARTICLE, sources.values()) if a is not None and not a.is_draft]
    errors.extend(duplicate_slugs(articles))
    return articles, sorted(errors)


@dataclass(frozen=True)
class Plan:
    """The site to produce: the model, each template output's page, the files given as
    bytes (static files, and those `with_site_files` adds), and the key of every output file."""

    site: Site
    pages: Mapping[str, Page]
    static: Mapping[str, bytes]
    manifest: Mapping[str, str]
    keys: Mapping[str, str]
    sources: Mapping[str, Source]
    stories: tuple[str, tuple[tuple[str, ...], ...]] = ("", ())
    # A long-lived process's (page, digest, (shared, template hash), key) by output.
    digests: Mapping[str, tuple] = field(default_factory=dict)
    story_state: StoryState | None = None  # a long-lived process's, see _stories
    memo: Mapping[int, tuple[object, str]] = field(default_factory=dict)  # see Memo
    # A long-lived process's ((code, reading) hashes, source keys by path): see _source_keys.
    source_keys: tuple[tuple[str, str], Mapping[str, str]] = (("", ""), {})


def plan_site(
    config: Config,
    articles: list[Article],
    sources: Mapping[str, Source],
    inputs: Inputs,
    stories: tuple[str, tuple[tuple[str, ...], ...]] = ("", ()),
    prior: Plan | None = None,
    long_lived: bool = False,
) -> Plan:
    """Model the site from the articles (with their cached analyses) and key every output.

    `stories` is a previous plan's (key, story groups): reused when the key is this plan's
    (the same story facts of the same articles), else computed again; the plan holds its
    own for the next one. A `long_lived` process (the preview) passes its `prior` plan
    (None the first time, then the last plan made): the model then reuses the prior's
    unchanged objects (revue/model.py, Parts) and each page the prior had (the same
    object) keeps its digest; the plan keeps what the next one may reuse."""
    static, manifest = fingerprint(read_static(config.root / "static"))
    keys_by_path = _source_keys(sources, inputs, prior)
    facts = dict(zip(sources, map(_FACTS, sources.values()), strict=True))  # None: none
    state = prior.story_state if prior is not None else None
    stories, state = _stories(articles, sources, inputs, stories, state, long_lived)
    parts = (prior.site.parts if prior is not None else None) or Parts()
    site = build_site(
        articles,
        config,
        facts,
        keys_by_path,
        stories[1] if stories[0] else None,
        parts if long_lived else None,
    )
    pages = {page.output: page for page in all_pages(site, prior.pages if prior else None)}
    shared = sha(inputs.code, inputs.config, context_digest(site.nav), context_digest(manifest))
    # Every model object hashed once for all pages (and, in a long-lived process, once for
    # as long as it is reused: see Memo).
    memo: dict[int, tuple[object, str]] = {} if prior is None else Memo(prior.memo)
    known = prior.digests if prior is not None else {}
    digests = {}  # output: (page, its digest, (shared, template hash), the key)
    for output, page in pages.items():
        salt = (shared, inputs.templates.get(page.template, "missing"))
        found = known.get(output)
        if found is None or found[0] is not page:
            found = (page, page_digest(page, memo), (), "")
        if found[2] != salt:
            found = (page, found[1], salt, sha(*salt, found[1]))
        digests[output] = found
    keys = {output: found[3] for output, found in digests.items()}
    if isinstance(memo, Memo):
        memo.previous = {}  # what this plan did not use goes with the prior plan
    keys.update({name: sha("static", data) for name, data in static.items()})
    keys[NOJEKYLL] = sha("empty")
    if not long_lived:
        return Plan(site, pages, static, manifest, keys, sources, stories)
    salted = ((inputs.code, inputs.reading), keys_by_path)
    return Plan(site, pages, static, manifest, keys, sources, stories, digests, state, memo, salted)


def _source_keys(
    sources: Mapping[str, Source], inputs: Inputs, prior: Plan | None
) -> dict[str, str]:
    """The cache key of each source read from a file, by path (an article not read from a
    file is hashed field by field instead); the prior plan's for the sources it had (the
    same objects) under the same code and config."""
    if prior is not None and prior.source_keys[0] == (inputs.code, inputs.reading):
        keys = dict(prior.source_keys[1])
        for path in keys.keys() - sources.keys():
            del keys[path]
        fresh = compress(sources, map(is_not, sources.values(), map(prior.sources.get, sources)))
    else:
        keys, fresh = {}, iter(sources)
    for path in fresh:
        digest = sources[path].digest
        if digest:
            keys[path] = source_key(inputs.code, inputs.reading, path, digest)
        else:
            keys.pop(path, None)
    return keys


class Memo(dict):
    """A memo of context_digest (revue/keys.py) that also finds the objects the previous
    plan's memo hashed, and keeps them: an object still in the model is hashed once for
    as long as it is reused. The previous memo holds its objects (their ids stay theirs)
    until plan_site cuts the link. Only `get` looks there: the one call context_digest
    makes."""

    def __init__(self, previous: Mapping[int, tuple[object, str]]):
        super().__init__()
        self.previous = previous

    def get(self, key, default=None):  # type: ignore[override]
        """The (object, digest) memoized for an object's id here or in the previous memo."""
        found = dict.get(self, key)
        if found is None:
            found = self.previous.get(key)
            if found is None:
                return default
            self[key] = found
        return found


def _stories(
    articles: list[Article],
    sources: Mapping[str, Source],
    inputs: Inputs,
    known: tuple[str, tuple[tuple[str, ...], ...]],
    state: StoryState | None = None,
    long_lived: bool = False,
) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], StoryState | None]:
    """The articles' story groups and their key: `known` when its key is theirs, else
    computed; ('', ()) when some article has no story key (an article not read from a file:
    build_site then groups the stories itself). A long-lived process keeps a StoryState
    (revue/analysis/story_update.py) with them and updates it: given back with the groups."""
    # Whole-list passes in C (map, attrgetter): this runs on every edit in the preview.
    found = list(map(sources.get, map(_PATH, articles)))
    if not all(found):  # an article not read from a file (a Source is always true)
        return ("", ()), None
    keys = list(map(_STORY_KEY, found))
    facts = list(map(_FACTS, found))
    if not (all(keys) and all(facts)):
        return ("", ()), None
    key = sha("stories", inputs.code, "\0".join(keys))  # hex digests: no NUL in them
    if known[0] == key and (state is not None or not long_lived):
        return known, state
    if not long_lived:
        return (key, group_stories(facts)), None
    state = story_state(facts, keys) if state is None else update_stories(state, facts, keys)
    return (key, state.groups), state


def with_site_files(
    plan: Plan,
    config: Config,
    cache: SearchCache | None = None,
    jobs: int | None = None,
    records: RecordMemo | None = None,
) -> Plan:
    """The plan with the files made from the whole model besides the templates' outputs
    (the search index), keyed by their bytes like static files. Separate from plan_site so
    that the preview can show the pages first and add the search index after. `cache`
    keeps the index's shards from one build to the next (see revue/search.py); `jobs`
    bounds the indexing processes run at once; `records` keeps the search records of the
    entries from one build to the next."""
    files = search_files(plan.site, config, cache, jobs=jobs, memo=records)
    keys = {**plan.keys, **{name: sha("static", data) for name, data in files.items()}}
    return replace(plan, static={**plan.static, **files}, keys=keys)


def render_outputs(
    plan: Plan,
    config: Config,
    renderer: Renderer,
    outputs: Sequence[str],
    jobs: int = 1,
    done: Callable[[int], None] | None = None,
    keep_fragments: bool = True,
) -> Iterator[tuple[str, bytes | SourceError]]:
    """Each asked output's bytes, or the SourceError of its template, in the given order.
    With `keep_fragments`, the renderer keeps the entry cards rendered in worker processes
    too (for a caller that renders again with the same renderer). Only the pages go to the
    worker processes: the files given as bytes (the static files and the search index's,
    half the outputs of a cold build) are yielded from here."""
    applied = renderer.typeset_of  # the sources whose texts are in the table already
    for path, source in plan.sources.items():
        if applied.get(path) is not source:
            renderer.typeset.update(source.typeset)
            applied[path] = source
    nav = plan.site.nav
    static = plan.static  # and NOJEKYLL, empty
    shared = (renderer, plan.pages, nav, config, plan.manifest, keep_fragments)
    pages = [output for output in outputs if output != NOJEKYLL and output not in static]
    results = run_all(_render_one, shared, pages, jobs, done)
    for output in outputs:
        if output == NOJEKYLL or output in static:
            if done:
                done(1)
            yield output, static.get(output, b"")
            continue
        result, fragments = next(results)
        renderer.fragments.update(fragments)  # those a worker process rendered
        yield output, result
    next(results, None)  # run_all returns: its worker processes end here


def _render_one(shared: tuple, output: str) -> tuple[bytes | SourceError, tuple]:
    """One page, and the fragments rendered for it that were not known yet."""
    renderer, pages, nav, config, manifest, keep_fragments = shared
    result = render_page(renderer, pages[output], nav, config, manifest)
    fragments = tuple(renderer.fresh.items()) if keep_fragments else ()
    renderer.fresh.clear()
    return result, fragments


def build_files(config: Config, articles: list[Article]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The site as `{path: bytes}` (rendered pages, feeds, hashed static files), and the
    manifest `{static name: hashed URL}`, all rendered in this process, without a cache.
    Raises BuildError when a template fails."""
    sources = {a.path: Source("", a, (), None) for a in articles}
    plan = with_site_files(plan_site(config, articles, sources, Inputs("", "", {})), config)
    files, errors = collect(render_outputs(plan, config, make_renderer(config), list(plan.keys)))
    if errors:
        raise BuildError(errors)
    return files, dict(plan.manifest)


def collect(
    rendered: Iterator[tuple[str, bytes | SourceError]],
) -> tuple[dict[str, bytes], list[SourceError]]:
    """Split rendered outputs into files and the (sorted, distinct) template errors."""
    files: dict[str, bytes] = {}
    errors: set[SourceError] = set()
    for output, result in rendered:
        if isinstance(result, SourceError):
            errors.add(result)
        else:
            files[output] = result
    return files, sorted(errors)
