"""The digest joined with the site's entries (objects with `.article.slug`): what the
templates show of stories, quotations and people (revue/model.py builds the entries).

    views = digest_views(digest, entries, sections)   # near-linear; with `prior`, the
                                                      # views not showing a changed entry
                                                      # are the prior's objects
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import count
from operator import attrgetter, itemgetter
from typing import Any

from .digest import Digest

RELATED_MAX = 12  # other articles of a story shown next to one: the closest in date
_SLUG, _FIRST = attrgetter("article.slug"), itemgetter(0)
THEME_QUOTES = 30  # quotations shown on a theme page: featured, most relayed, newest first


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
        story = digest.story_of.get(entry.article.slug)
        if story is None or story not in shown:
            shown.add(story)  # type: ignore[arg-type]
            items.append(_story_item(digest, entry, by_slug, known))
    return tuple(items)


def _story_item(
    digest: Digest,
    entry: Any,
    by_slug: Mapping[str, Any],
    known: Mapping[str, tuple[Any, ...]] | None,
) -> tuple[Any, ...]:
    """(entry, *other entries of its story) for a story's lead, (entry,) out of a story."""
    slug = entry.article.slug
    if digest.story_of.get(slug) is None:
        return (entry,)
    found = known.get(slug) if known else None
    return found or (entry, *related(digest, slug, by_slug))


def theme_quote_ids(digest: Digest, entries: Sequence[Any]) -> tuple[int, ...]:
    """The quotations of a theme's entries, in digest order, at most THEME_QUOTES."""
    ids = {i for e in entries for i in digest.quotes_of.get(e.article.slug, ())}
    return tuple(sorted(ids)[:THEME_QUOTES])


@dataclass(frozen=True)
class Views:
    """The model's entries and theme sections with the digest joined in, and the index's
    PersonViews (see digest_views); then, for the next digest_views of a long-lived
    process, what they were made from and of: the digest, the plain entries by slug, and
    the views by slug, story lead, quotation index and theme."""

    entries: tuple
    sections: tuple
    people: tuple[PersonView, ...]
    digest: Digest | None = None
    plain: Mapping[str, Any] = field(default_factory=dict)
    full: Mapping[str, Any] = field(default_factory=dict)
    leads: Mapping[str, tuple] = field(default_factory=dict)
    quotes: Mapping[int, QuoteView] = field(default_factory=dict)
    by_theme: Mapping[str, tuple] = field(default_factory=dict)  # theme id: slugs, ids, view


def digest_views(
    digest: Digest, entries: tuple, sections: tuple, prior: Views | None = None
) -> Views:
    """The model's entries and theme sections (dataclasses with `related`/`quotes` and
    `stories`/`quotes` fields) with the digest joined in, and the index's PersonViews.
    Entries inside `related` and quotation sources are the plain ones (no cycles).

    With the `prior` views of the same digest over the same articles, only the views
    showing an entry that is not the prior's are made again (an entry's story and the
    quotations it shares): the others are reused, identical objects."""
    slugs = list(map(_SLUG, entries))
    by_slug = dict(zip(slugs, entries, strict=True))
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
    # The reused views found in C-level passes; those to make, in the entries' order.
    shown = list(map(old_full.get, slugs)) if old_full else [None] * len(slugs)
    position = dict(zip(slugs, count())) if old_full else {}
    to_make = {i for i, view in enumerate(shown) if view is None}
    to_make.update(position[slug] for slug in stale_slugs if slug in position)
    for i in sorted(to_make):
        slug, ids = slugs[i], digest.quotes_of.get(slugs[i], ())
        shown[i] = replace(
            entries[i],
            related=related(digest, slug, by_slug),
            quotes=quote_views(digest, ids, by_slug, known=quotes),
        )
        quotes.update(zip(sorted(set(ids)), shown[i].quotes, strict=True))
    full = dict(zip(slugs, shown, strict=True))
    made = {}
    for section in sections:
        theme_slugs = tuple(map(_SLUG, section.entries))
        old = prior.by_theme.get(section.theme.id) if old_full else None  # type: ignore[union-attr]
        if old is None or old[0] != theme_slugs:  # other articles: the section made anew
            ids = theme_quote_ids(digest, section.entries)
            entries = tuple(map(full.__getitem__, theme_slugs))
            stories = fresh = story_items(digest, section.entries, by_slug, leads)
        else:  # the same articles: the items showing a changed entry made again
            ids, view = old[1], old[2]
            unchanged = stale_slugs.isdisjoint(theme_slugs)
            entries = view.entries if unchanged else tuple(map(full.__getitem__, theme_slugs))
            stories, fresh = view.stories, []
            if not unchanged:
                items = list(stories)
                for n, lead in enumerate(map(_SLUG, map(_FIRST, stories))):
                    if lead in stale_slugs:
                        items[n] = _story_item(digest, by_slug[lead], by_slug, leads)
                        fresh.append(items[n])
                stories = tuple(items)
        view = replace(
            section,
            entries=entries,
            stories=stories,
            quotes=quote_views(digest, ids, by_slug, known=quotes),
        )
        made[section.theme.id] = (theme_slugs, ids, view)
        # The reused items are in `leads` already (the prior's, less the stale ones).
        leads.update((items[0].article.slug, items) for items in fresh if len(items) > 1)
    views = tuple(view for _, _, view in made.values())
    kept_people = prior.people if old_full else None  # type: ignore[union-attr]
    people = people_views(digest, by_slug, kept_people, changed.keys(), stale_quotes, quotes)
    return Views(tuple(shown), views, people, digest, by_slug, full, leads, quotes, made)


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
    changed: AbstractSet[str] = frozenset(),
    stale_quotes: AbstractSet[int] = frozenset(),
    known: Mapping[int, QuoteView] | None = None,
) -> tuple[PersonView, ...]:
    """The index page's people and organisations, with their entries and quotations.
    `prior` is the views of the same digest's people, reused for those showing no
    `changed` entry and no stale quotation; `known` holds quotation views to reuse."""
    names = digest.anchors
    views = []
    for n, p in enumerate(digest.people):
        if prior is not None and changed.isdisjoint(p.slugs) and stale_quotes.isdisjoint(p.quotes):
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
