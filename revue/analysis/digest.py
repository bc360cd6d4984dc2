"""The cross-article analysis: stories, merged quotations and the people index, from the
per-article results — then the views the templates show, built from the site's entries.

    analyses = [analyse_article(a, config) for a in articles]   # cacheable, parallel
    digest = digest_of(analyses, config)                         # near-linear
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import Config
from ..content import Article
from ..text import distinct_slugs
from .article import ArticleAnalysis, analyse_article
from .lexicon import folded as fold
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
    table: Mapping[str, str] = field(default_factory=dict)  # name_table: spelling → name


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
        table=table,
    )


def same_cross_facts(first: ArticleAnalysis, second: ArticleAnalysis, table: Mapping) -> bool:
    """Whether digest_of, given the same stories, reads the same of two analyses of one
    article in a corpus whose name table is `table`: the same fields, and names that
    resolve alike (a capitalised run that names nobody the index knows changes nothing)."""
    a, b = first, second
    return (a.slug, a.days, a.quotes, a.persons, a.quote_keys, a.quote_stems) == (
        b.slug,
        b.days,
        b.quotes,
        b.persons,
        b.quote_keys,
        b.quote_stems,
    ) and (a.names == b.names or _resolved(a, table) == _resolved(b, table))


def _resolved(analysis: ArticleAnalysis, table: Mapping) -> set[tuple[str, str, bool]]:
    """What people_index reads of an analysis's names: each run naming someone, whom, and
    whether the run is an alias."""
    found = set()
    for run, _ in analysis.names:
        canonical = resolve(run, table)  # type: ignore[arg-type]
        if canonical:
            found.add((run, canonical, table.get(fold(run)) == canonical and run != canonical))
    return found


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
    digest: Digest,
    ids: Sequence[int],
    by_slug: Mapping[str, Any],
    limit: int | None = None,
    known: Mapping[int, QuoteView] | None = None,
) -> tuple[QuoteView, ...]:
    """The quotations `ids` (in digest order) as views; unknown articles are left out.
    `known` holds views to reuse by quotation index (see Views)."""
    names = digest.anchors
    views = []
    for index in sorted(set(ids))[:limit]:
        found = known.get(index) if known else None
        if found is not None:
            views.append(found)
            continue
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
    digest: Digest,
    entries: Sequence[Any],
    by_slug: Mapping[str, Any],
    known: Mapping[str, tuple[Any, ...]] | None = None,
) -> tuple[tuple[Any, ...], ...]:
    """A list of entries with each story once: (lead entry, *other entries of its story).
    The lead is the story's first entry in the list's order; the others come oldest first.
    `known` holds items to reuse by their lead's slug (see Views)."""
    items = []
    shown: set[int] = set()
    for entry in entries:
        slug = entry.article.slug
        story = digest.story_of.get(slug)
        if story is None:
            items.append((entry,))
        elif story not in shown:
            shown.add(story)
            found = known.get(slug) if known else None
            items.append(found or (entry, *related(digest, slug, by_slug)))
    return tuple(items)


def theme_quote_ids(digest: Digest, entries: Sequence[Any]) -> tuple[int, ...]:
    """The quotations of a theme's entries, in digest order, at most THEME_QUOTES."""
    ids = {i for e in entries for i in digest.quotes_of.get(e.article.slug, ())}
    return tuple(sorted(ids)[:THEME_QUOTES])


@dataclass(frozen=True)
class Views:
    """The model's entries and theme sections with the digest joined in, and the index's
    PersonViews (see digest_views); then, for the next digest_views of a long-lived
    process, what they were made from and of: the digest, the plain entries by slug, and
    the views by slug, story lead and quotation index."""

    entries: tuple
    sections: tuple
    people: tuple[PersonView, ...]
    digest: Digest | None = None
    plain: Mapping[str, Any] = field(default_factory=dict)
    full: Mapping[str, Any] = field(default_factory=dict)
    leads: Mapping[str, tuple] = field(default_factory=dict)
    quotes: Mapping[int, QuoteView] = field(default_factory=dict)


def digest_views(
    digest: Digest, entries: tuple, sections: tuple, prior: Views | None = None
) -> Views:
    """The model's entries and theme sections (dataclasses with `related`/`quotes` and
    `stories`/`quotes` fields) with the digest joined in, and the index's PersonViews.
    Entries inside `related` and quotation sources are the plain ones (no cycles).

    With the `prior` views of the same digest over the same articles, only the views
    showing an entry that is not the prior's are made again (an entry's story and the
    quotations it shares): the others are reused, identical objects."""
    by_slug = {e.article.slug: e for e in entries}
    changed = _changed(digest, by_slug, prior)
    old_full: Mapping[str, Any] = {}
    quotes: dict[int, QuoteView] = {}
    leads: dict[str, tuple] = {}
    stale_slugs, stale_quotes = set(changed), set()
    if prior is not None and changed is not by_slug:  # reuse what shows no changed entry
        for slug in changed:
            story = digest.story_of.get(slug)
            if story is not None:
                stale_slugs.update(digest.stories[story])
            for index in digest.quotes_of.get(slug, ()):
                stale_quotes.add(index)
                stale_slugs.update(s for s, _ in digest.quotes[index].sources)
        old_full = prior.full
        quotes = {i: v for i, v in prior.quotes.items() if i not in stale_quotes}
        leads = {s: v for s, v in prior.leads.items() if s not in stale_slugs}
    full: dict[str, Any] = {}
    shown = []
    for e in entries:
        slug = e.article.slug
        found = old_full.get(slug) if slug not in stale_slugs else None
        if found is None:
            ids = digest.quotes_of.get(slug, ())
            found = replace(
                e,
                related=related(digest, slug, by_slug),
                quotes=quote_views(digest, ids, by_slug, known=quotes),
            )
            quotes.update(zip(sorted(set(ids)), found.quotes, strict=True))
        full[slug] = found
        shown.append(found)
    views = tuple(
        replace(
            section,
            entries=tuple(full[e.article.slug] for e in section.entries),
            stories=story_items(digest, section.entries, by_slug, leads),
            quotes=quote_views(
                digest, theme_quote_ids(digest, section.entries), by_slug, known=quotes
            ),
        )
        for section in sections
    )
    for section in views:
        leads.update((items[0].article.slug, items) for items in section.stories if len(items) > 1)
    reused = prior.people if old_full else None  # type: ignore[union-attr]
    people = people_views(digest, by_slug, reused, changed, stale_quotes, quotes)
    return Views(tuple(shown), views, people, digest, by_slug, full, leads, quotes)


def _changed(digest: Digest, by_slug: Mapping[str, Any], prior: Views | None) -> Mapping[str, Any]:
    """The slugs whose plain entry is not the prior's; `by_slug` itself (everything) when the
    prior views cannot be reused: none, another digest or other articles."""
    if (
        prior is None
        or prior.digest is None
        or not same_digest(prior.digest, digest)
        or prior.plain.keys() != by_slug.keys()
    ):
        return by_slug
    return {s: e for s, e in by_slug.items() if prior.plain[s] is not e}


def same_digest(first: Digest, second: Digest) -> bool:
    """Whether two digests hold the same cross-article results (identical objects; their
    `analyses` may differ in what the cross-article steps do not read)."""
    return (
        all(
            getattr(first, name) is getattr(second, name)
            for name in ("stories", "story_of", "story_rank", "quotes", "quotes_of", "people")
        )
        and first.anchors is second.anchors
    )


def people_views(
    digest: Digest,
    by_slug: Mapping[str, Any],
    prior: Sequence[PersonView] | None = None,
    changed: Collection[str] = (),
    stale_quotes: Collection[int] = (),
    known: Mapping[int, QuoteView] | None = None,
) -> tuple[PersonView, ...]:
    """The index page's people and organisations, with their entries and quotations.
    `prior` is the views of the same digest's people, reused for those showing no
    `changed` entry and no stale quotation; `known` holds quotation views to reuse."""
    names = digest.anchors
    views = []
    for n, p in enumerate(digest.people):
        if prior is not None and not (
            any(s in changed for s in p.slugs) or any(q in stale_quotes for q in p.quotes)
        ):
            views.append(prior[n])
            continue
        views.append(
            PersonView(
                p.name,
                p.kind,
                p.aliases,
                names[p.name],
                tuple(by_slug[s] for s in p.slugs if s in by_slug),
                quote_views(digest, p.quotes, by_slug, known=known),
            )
        )
    return tuple(views)
