"""The site in memory: which pages exist, at which URL, showing which articles.

`build_site` is pure: validated articles and the config in, a Site out. URLs here are
relative to the site root and end with '/' for pages served as `dir/index.html`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby

from .analysis.digest import Digest, build_digest, digest_views
from .config import Config, Theme
from .content import Article
from .dates import ArticleDate
from .text import slugify

FEED_SIZE = 50


@dataclass(frozen=True)
class Entry:
    """One article as the pages show it."""

    article: Article
    url: str
    themes: tuple[Theme, ...]
    summary: str
    excerpt: str
    full_text: bool
    related: tuple[Entry, ...] = ()  # the same story in other articles (analysis/digest.py)
    quotes: tuple = ()  # QuoteView, analysis/digest.py


@dataclass(frozen=True)
class ThemeSection:
    """A theme with its articles, newest first."""

    theme: Theme
    url: str
    feed_url: str
    entries: tuple[Entry, ...]
    stories: tuple[tuple[Entry, ...], ...] = ()  # entries, each story once (lead, *others)
    quotes: tuple = ()  # QuoteView, analysis/digest.py


@dataclass(frozen=True)
class Month:
    """One month of the archive."""

    date: ArticleDate
    url: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Outlet:
    """A publication (« source ») and the articles of it the review cites."""

    name: str
    anchor: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, its URL, the template and what the template gets."""

    output: str
    url: str
    template: str
    title: str
    context: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """Everything the templates can show, and the list of pages to render."""

    entries: tuple[Entry, ...]
    sections: tuple[ThemeSection, ...]
    unthemed: tuple[Entry, ...]
    months: tuple[Month, ...]
    outlets: tuple[Outlet, ...]
    pages: tuple[Page, ...]
    people: tuple = ()  # PersonView, analysis/digest.py


def build_site(articles: list[Article], config: Config) -> Site:
    """Arrange validated articles into entries, themes, months, outlets and pages."""
    digest = build_digest(articles, config)
    entries = tuple(
        sorted(
            (_entry(a, config, digest) for a in articles),
            key=lambda e: (e.article.date.sort_key, e.article.slug),
            reverse=True,
        )
    )
    sections = tuple(
        ThemeSection(
            theme,
            f"themes/{theme.slug}/",
            f"themes/{theme.slug}/atom.xml",
            tuple(e for e in entries if theme in e.themes),
        )
        for theme in config.themes
    )
    entries, sections, people = digest_views(digest, entries, sections)
    unthemed = tuple(e for e in entries if not e.themes)
    months = tuple(
        Month(ArticleDate(year, month), f"archives/{year:04d}/{month:02d}/", tuple(group))
        for (year, month), group in groupby(
            entries, key=lambda e: (e.article.date.year, e.article.date.month)
        )
    )
    by_outlet = sorted(entries, key=lambda e: (e.article.source.casefold(), e.article.source))
    outlets = tuple(
        Outlet(name, slugify(name) or "media", tuple(group))
        for name, group in groupby(by_outlet, key=lambda e: e.article.source)
    )
    pages = _pages(entries, sections, unthemed, months, outlets, config)
    if people:
        pages += (
            Page(
                "personnes/index.html",
                "personnes/",
                "people.html",
                "Personnes et organisations",
                {"people": people},
            ),
        )
    return Site(entries, sections, unthemed, months, outlets, pages, people)


def _entry(article: Article, config: Config, digest: Digest) -> Entry:
    """An article's themes, summary and excerpt (from its analysis), and whether its full
    text is shown."""
    analysis = digest.analyses[article.slug]
    themes = tuple(t for t in config.themes if t.id in analysis.theme_ids)
    full_text = config.full_text if article.full_text is None else article.full_text
    return Entry(
        article,
        f"articles/{article.slug}/",
        themes,
        analysis.summary,
        analysis.excerpt,
        full_text,
    )


def _pages(
    entries: tuple[Entry, ...],
    sections: tuple[ThemeSection, ...],
    unthemed: tuple[Entry, ...],
    months: tuple[Month, ...],
    outlets: tuple[Outlet, ...],
    config: Config,
) -> tuple[Page, ...]:
    """Every page and feed of the site, in a stable order."""
    pages = [
        Page(
            "index.html",
            "",
            "home.html",
            config.title,
            {"sections": sections, "unthemed": unthemed},
        ),
        Page(
            "atom.xml",
            "atom.xml",
            "atom.xml",
            config.title,
            {"entries": entries[:FEED_SIZE], "feed_url": "atom.xml", "page_url": ""},
        ),
        Page("archives/index.html", "archives/", "archives.html", "Archives", {"months": months}),
        Page("medias/index.html", "medias/", "outlets.html", "Médias cités", {"outlets": outlets}),
        Page("404.html", "404.html", "404.html", "Page introuvable", {}),
        Page("recherche/index.html", "recherche/", "search.html", "Recherche", {}),
    ]
    for section in sections:
        pages.append(
            Page(
                f"{section.url}index.html",
                section.url,
                "theme.html",
                section.theme.label,
                {"section": section},
            )
        )
        pages.append(
            Page(
                section.feed_url,
                section.feed_url,
                "atom.xml",
                f"{section.theme.label} — {config.title}",
                {
                    "entries": section.entries[:FEED_SIZE],
                    "feed_url": section.feed_url,
                    "page_url": section.url,
                },
            )
        )
    for month in months:
        pages.append(
            Page(
                f"{month.url}index.html",
                month.url,
                "month.html",
                f"Archives de {month.date.french()}",
                {"month": month},
            )
        )
    for entry in entries:
        pages.append(
            Page(
                f"{entry.url}index.html",
                entry.url,
                "article.html",
                entry.article.title,
                {"entry": entry},
            )
        )
    return tuple(pages)
