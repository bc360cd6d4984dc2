"""The cross-article analysis: stories, merged quotations and the people index, from the
per-article results — then the views the templates show, built from the site's entries.

    analyses = [analyse_article(a, config) for a in articles]   # cacheable, parallel
    digest = digest_of(analyses, config)                         # near-linear
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..config import Config
from ..content import Article
from ..text import distinct_slugs
from .article import ArticleAnalysis, analyse_article
from .names import mentions
from .people import Person, name_table, people_index, resolve
from .quotegroups import QuoteGroup, group_quotes
from .stories import group_stories

RELATED_MAX = 12  # other articles of a story shown next to one: the closest in date
THEME_QUOTES = 30  # quotations shown on a theme page: featured, most relayed, newest first


@dataclass(frozen=True)
class Digest:
    """What the cross-article steps found. `story_of` and `quotes_of` map an article's slug
    to its story's index in `stories` and to its quotations' indexes in `quotes`."""

    analyses: Mapping[str, ArticleAnalysis]
    stories: tuple[tuple[str, ...], ...]
    story_of: Mapping[str, int]
    story_rank: Mapping[str, int]  # an article's position in its story
    quotes: tuple[QuoteGroup, ...]
    quotes_of: Mapping[str, tuple[int, ...]]
    people: tuple[Person, ...]
    anchors: Mapping[str, str]  # a distinct URL fragment per indexed name


def digest_of(
    analyses: Sequence[ArticleAnalysis],
    config: Config,
    stories: tuple[tuple[str, ...], ...] | None = None,
) -> Digest:
    """Group stories (unless given: `group_stories(analyses)` kept from before), merge
    quotations, index people."""
    stories = group_stories(analyses) if stories is None else stories
    table = name_table(analyses, config)
    quotes = group_quotes(analyses, stories, table)
    quotes_of: dict[str, list[int]] = {}
    for index, group in enumerate(quotes):
        for slug, _ in group.sources:
            quotes_of.setdefault(slug, []).append(index)
    people = people_index(
        analyses,
        config,
        table,
        [g.speaker if g.quote.named else "" for g in quotes],
        [sorted({resolve(run, table) for run in mentions(g.quote.text)} - {""}) for g in quotes],
    )
    names = [person.name for person in people]
    return Digest(
        analyses={a.slug: a for a in analyses},
        stories=stories,
        story_of={slug: n for n, story in enumerate(stories) for slug in story},
        story_rank={slug: n for story in stories for n, slug in enumerate(story)},
        quotes=quotes,
        quotes_of={slug: tuple(ids) for slug, ids in sorted(quotes_of.items())},
        people=people,
        anchors=dict(zip(names, distinct_slugs(names, "nom"), strict=True)),
    )


def build_digest(articles: Sequence[Article], config: Config) -> Digest:
    """Analyse every article, then the corpus (the simple, single-process path)."""
    return digest_of([analyse_article(a, config) for a in articles], config)


# Views: the digest joined with the site's entries (objects with `.article.slug`).


@dataclass(frozen=True)
class QuoteView:
    """A quotation as a page shows it: text, speaker ('' when the text does not say who),
    the index anchor of a named speaker, and the entries quoting it, oldest first."""

    text: str
    speaker: str
    anchor: str
    lang: str
    tweet: bool
    featured: bool
    sources: tuple[Any, ...]


@dataclass(frozen=True)
class PersonView:
    """A person or organisation of the index page."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    anchor: str
    entries: tuple[Any, ...]
    quotes: tuple[QuoteView, ...]


def quote_views(
    digest: Digest, ids: Sequence[int], by_slug: Mapping[str, Any], limit: int | None = None
) -> tuple[QuoteView, ...]:
    """The quotations `ids` (in digest order) as views; unknown articles are left out."""
    names = digest.anchors
    views = []
    for index in sorted(set(ids))[:limit]:
        group = digest.quotes[index]
        views.append(
            QuoteView(
                group.quote.text,
                group.speaker if group.quote.named else group.quote.speaker,
                names.get(group.speaker, "") if group.quote.named else "",
                group.quote.lang,
                group.quote.tweet,
                group.quote.featured,
                tuple(by_slug[s] for s, _ in group.sources if s in by_slug),
            )
        )
    return tuple(views)


def related(digest: Digest, slug: str, by_slug: Mapping[str, Any]) -> tuple[Any, ...]:
    """The other entries of an article's story, oldest first (« Également traité par »):
    the RELATED_MAX closest in date, so a long-running story stays linear to show."""
    story = digest.story_of.get(slug)
    if story is None:
        return ()
    members = digest.stories[story]
    position = digest.story_rank[slug]
    start = max(0, min(position - RELATED_MAX // 2, len(members) - RELATED_MAX - 1))
    near = members[start : start + RELATED_MAX + 1]
    return tuple(by_slug[s] for s in near if s != slug and s in by_slug)


def story_items(
    digest: Digest, entries: Sequence[Any], by_slug: Mapping[str, Any]
) -> tuple[tuple[Any, ...], ...]:
    """A list of entries with each story once: (lead entry, *other entries of its story).
    The lead is the story's first entry in the list's order; the others come oldest first."""
    items = []
    shown: set[int] = set()
    for entry in entries:
        story = digest.story_of.get(entry.article.slug)
        if story is None:
            items.append((entry,))
        elif story not in shown:
            shown.add(story)
            items.append((entry, *related(digest, entry.article.slug, by_slug)))
    return tuple(items)


def theme_quote_ids(digest: Digest, entries: Sequence[Any]) -> tuple[int, ...]:
    """The quotations of a theme's entries, in digest order, at most THEME_QUOTES."""
    ids = {i for e in entries for i in digest.quotes_of.get(e.article.slug, ())}
    return tuple(sorted(ids)[:THEME_QUOTES])


def people_views(digest: Digest, by_slug: Mapping[str, Any]) -> tuple[PersonView, ...]:
    """The index page's people and organisations, with their entries and quotations."""
    names = digest.anchors
    return tuple(
        PersonView(
            p.name,
            p.kind,
            p.aliases,
            names[p.name],
            tuple(by_slug[s] for s in p.slugs if s in by_slug),
            quote_views(digest, p.quotes, by_slug),
        )
        for p in digest.people
    )


def digest_views(digest: Digest, entries: tuple, sections: tuple) -> tuple[tuple, tuple, tuple]:
    """The model's entries and theme sections (dataclasses with `related`/`quotes` and
    `stories`/`quotes` fields) with the digest joined in, and the index's PersonViews.
    Entries inside `related` and quotation sources are the plain ones (no cycles)."""
    by_slug = {e.article.slug: e for e in entries}
    full = tuple(
        replace(
            e,
            related=related(digest, e.article.slug, by_slug),
            quotes=quote_views(digest, digest.quotes_of.get(e.article.slug, ()), by_slug),
        )
        for e in entries
    )
    by_full = {e.article.slug: e for e in full}
    views = tuple(
        replace(
            section,
            entries=tuple(by_full[e.article.slug] for e in section.entries),
            stories=story_items(digest, section.entries, by_slug),
            quotes=quote_views(digest, theme_quote_ids(digest, section.entries), by_slug),
        )
        for section in sections
    )
    return full, views, people_views(digest, by_slug)
