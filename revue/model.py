"""The site in memory: which pages exist, at which URL, showing which articles.

`build_site` is pure: validated articles and the config in, a Site out. URLs here are
relative to the site root and end with '/' for pages served as `dir/index.html`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import compress, count, filterfalse, groupby
from operator import attrgetter, is_not

from .analysis.article import ArticleAnalysis, analyse_article
from .analysis.digest import Digest, digest_of, same_cross_facts
from .analysis.views import Views, digest_views
from .config import Config, Theme
from .content import Article
from .dates import ArticleDate
from .keys import context_digest
from .pages import ListPages, Page, site_pages
from .text import distinct_slugs

# What the analyses found in one article alone: a pure function of the article and the
# config, so the build cache keeps it with the parsed article (keyed by the file's hash).
Facts = ArticleAnalysis


@dataclass(frozen=True)
class Entry:
    """One article as the pages show it. `key` names everything it was made from (the file's
    hash, its path, the config, the code), for the build cache; '' when unknown."""

    article: Article
    url: str
    themes: tuple[Theme, ...]
    summary: str
    excerpt: str
    full_text: bool
    key: str = field(default="", compare=False)
    related: tuple[Entry, ...] = ()  # the same story in other articles (analysis/views.py)
    quotes: tuple = ()  # QuoteView, analysis/views.py

    @functools.cached_property
    def order(self) -> tuple:
        """What lists sort the entry by: its date (oldest first), then its slug."""
        return (self.article.date.sort_key, self.article.slug)

    @functools.cached_property
    def month(self) -> tuple[int, int]:
        """The year and month of the archives the entry is in."""
        return (self.article.date.year, self.article.date.month)

    @functools.cached_property
    def outlet_order(self) -> tuple[str, str]:
        """What the outlets are sorted by: the outlet's name, case folded, then as is."""
        return (self.article.source.casefold(), self.article.source)

    @functools.cached_property
    def __cache_key__(self) -> str:
        """What the cache hashes for this entry instead of its fields ('' when unknown): the
        article's key, and what other articles add to it (its story, its quotations).
        Computed once per entry: every page showing the entry reuses it."""
        if not self.key or not (self.related or self.quotes):
            return self.key
        related = (r.__cache_key__ or context_digest(r) for r in self.related)
        quotes = context_digest(self.quotes) if self.quotes else ""
        # Hex digests, joined by a separator they never hold.
        return hashlib.sha256("\0".join((self.key, *related, "", quotes)).encode()).hexdigest()


@dataclass(frozen=True)
class ThemeSection:
    """A theme with its articles, newest first."""

    theme: Theme
    url: str
    feed_url: str
    entries: tuple[Entry, ...]
    stories: tuple[tuple[Entry, ...], ...] = ()  # entries, each story once (lead, *others)
    quotes: tuple = ()  # QuoteView, analysis/views.py


@dataclass(frozen=True)
class Month:
    """One month of the archive."""

    date: ArticleDate
    url: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Outlet:
    """A publication (« source ») and the articles of it the review cites; `url` is its
    page, `anchor` the slug of its name (made distinct from other outlets')."""

    name: str
    anchor: str
    entries: tuple[Entry, ...]
    url: str = ""


@dataclass(frozen=True)
class ThemeLink:
    """A theme as the navigation of every page shows it."""

    theme: Theme
    url: str
    feed_url: str


@dataclass(frozen=True)
class Nav:
    """What every page shows of the whole site (the templates' `site`): the theme links.
    Kept small on purpose: every page's cache key covers it."""

    sections: tuple[ThemeLink, ...]
    people_url: str = ""  # the people index, when there is one


@dataclass(frozen=True)
class Parts:
    """What build_site made on the way, for the next build_site of a long-lived process (the
    preview) to reuse: the plain entries by key, the digest with what it was made from, the
    views, the pages by output and each list's pages by URL. Reused objects were made from
    identical inputs (same keys, same objects: revue/reuse.py), so reusing them changes
    nothing but the time taken."""

    entries: Mapping[str, Entry] = field(default_factory=dict)
    config: Config | None = None
    analyses: tuple[ArticleAnalysis, ...] = ()
    digest: Digest | None = None
    views: Views | None = None
    pages: Mapping[str, Page] = field(default_factory=dict)
    lists: Mapping[str, ListPages] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """Everything the templates can show, and the list of pages to render."""

    entries: tuple[Entry, ...]
    sections: tuple[ThemeSection, ...]
    unthemed: tuple[Entry, ...]
    months: tuple[Month, ...]
    outlets: tuple[Outlet, ...]
    pages: tuple[Page, ...]
    people: tuple = ()  # PersonView, analysis/views.py
    parts: Parts | None = field(default=None, compare=False, repr=False)

    @property
    def nav(self) -> Nav:
        """The part of the site every page shows."""
        return Nav(
            tuple(ThemeLink(s.theme, s.url, s.feed_url) for s in self.sections),
            "personnes/" if self.people else "",
        )


def article_facts(article: Article, config: Config) -> Facts:
    """Run the per-article analyses (revue/analysis/article.py)."""
    return analyse_article(article, config)


def build_site(
    articles: list[Article],
    config: Config,
    facts: Mapping[str, Facts] | None = None,
    keys: Mapping[str, str] | None = None,
    stories: tuple[tuple[str, ...], ...] | None = None,
    prior: Parts | None = None,
) -> Site:
    """Arrange validated articles into entries, themes, months, outlets and pages.

    `facts` and `keys` (by article path) are the cached analyses and cache keys; missing
    facts are computed here; `stories`, when given, is what group_stories gives for them.
    `prior`, a previous site's parts (or an empty Parts to start with), makes a site whose
    unchanged objects are the prior's and whose own parts are kept for the next call."""
    # The passes over every article are map/zip/attrgetter (loops in C) where they can be:
    # the preview runs them on every edit.
    paths = list(map(_PATH, articles))
    found = list(map((facts or {}).get, paths))
    for i in [i for i, analysis in enumerate(found) if analysis is None]:
        found[i] = article_facts(articles[i], config)
    analyses = tuple(found)
    digest = _digest(analyses, config, stories, prior)
    entry_keys = list(map((keys or {}).get, paths))  # None: no key
    made_entries = list(map((prior.entries if prior is not None else {}).get, entry_keys))
    for i in [i for i, entry in enumerate(made_entries) if entry is None]:
        made_entries[i] = _entry(articles[i], config, analyses[i], entry_keys[i])
    made = dict(zip(map(_entry_id, made_entries), made_entries, strict=True))
    entries = tuple(sorted(made_entries, key=_ORDER, reverse=True))
    by_theme: dict[str, list[Entry]] = {theme.id: [] for theme in config.themes}
    for entry in entries:
        for theme in entry.themes:
            by_theme[theme.id].append(entry)
    sections = tuple(
        ThemeSection(
            theme,
            f"themes/{theme.slug}/",
            f"themes/{theme.slug}/atom.xml",
            tuple(by_theme[theme.id]),
        )
        for theme in config.themes
    )
    views = digest_views(digest, entries, sections, prior.views if prior is not None else None)
    entries, sections, people = views.entries, views.sections, views.people
    unthemed = tuple(filterfalse(_THEMES, entries))
    months = tuple(
        Month(ArticleDate(year, month), f"archives/{year:04d}/{month:02d}/", tuple(group))
        for (year, month), group in groupby(entries, key=_YEAR_MONTH)
    )
    by_outlet = sorted(entries, key=_OUTLET_ORDER)
    groups = [(name, tuple(group)) for name, group in groupby(by_outlet, key=_OUTLET)]
    outlets = tuple(
        Outlet(name, anchor, group, f"medias/{anchor}/")
        for (name, group), anchor in zip(
            groups, distinct_slugs((name for name, _ in groups), "media"), strict=True
        )
    )
    known, known_lists = (prior.pages, prior.lists) if prior is not None else (None, None)
    pages, lists = site_pages(
        entries, sections, unthemed, months, outlets, people, config, known, known_lists
    )
    if prior is None:
        return Site(entries, sections, unthemed, months, outlets, pages, people)
    by_output = dict(zip(map(_OUTPUT, pages), pages, strict=True))
    parts = Parts(made, config, analyses, digest, views, by_output, lists)
    return Site(entries, sections, unthemed, months, outlets, pages, people, parts)


def _digest(
    analyses: tuple[Facts, ...],
    config: Config,
    stories: tuple[tuple[str, ...], ...] | None,
    prior: Parts | None,
) -> Digest:
    """digest_of the analyses; the prior's digest (with these analyses) when it was made
    under an equal config from the same stories and the same cross facts, in order (the
    persons and quotations, hence the name table, are then the same)."""
    if (
        prior is not None
        and prior.digest is not None
        and stories is not None
        and prior.digest.stories == stories
        and prior.config == config
        and len(prior.analyses) == len(analyses)
        and all(
            same_cross_facts(analyses[i], prior.analyses[i], prior.digest.table)
            for i in compress(count(), map(is_not, analyses, prior.analyses))
        )
    ):
        return replace(
            prior.digest, analyses=dict(zip(map(_SLUG, analyses), analyses, strict=True))
        )
    return digest_of(analyses, config, stories)


_PATH, _THEMES, _OUTPUT = attrgetter("path"), attrgetter("themes"), attrgetter("output")
_ORDER, _OUTLET_ORDER = attrgetter("order"), attrgetter("outlet_order")
_OUTLET, _SLUG = attrgetter("article.source"), attrgetter("slug")
_YEAR_MONTH = attrgetter("month")


def _entry_id(entry: Entry) -> str:
    """What Parts.entries knows an entry by: its key, or its path when it has none."""
    return entry.key or entry.article.path


def _entry(article: Article, config: Config, facts: Facts, key: str | None) -> Entry:
    """An article's entry: its facts, and whether its full text is shown."""
    themes = tuple(t for t in config.themes if t.id in facts.theme_ids)
    full_text = config.full_text if article.full_text is None else article.full_text
    return Entry(
        article,
        f"articles/{article.slug}/",
        themes,
        facts.summary,
        facts.excerpt,
        full_text,
        key or "",
    )
