"""The cross-article analysis: stories, merged quotations and the people index, from the
per-article results (the views the templates show are made from it: analysis/views.py).

    analyses = [analyse_article(a, config) for a in articles]   # cacheable, parallel
    digest = digest_of(analyses, config)                         # near-linear
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..config import Config
from ..content import Article
from ..text import distinct_slugs
from .article import ArticleAnalysis, analyse_article
from .names import mentions
from .people import Person, is_alias, name_table, people_index, resolve
from .quotegroups import QuoteGroup, group_quotes
from .stories import group_stories


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
    for run in analysis.names:
        canonical = resolve(run, table)  # type: ignore[arg-type]
        if canonical:
            found.add((run, canonical, is_alias(run, canonical, table)))
    return found


def build_digest(articles: Sequence[Article], config: Config) -> Digest:
    """Analyse every article, then the corpus (the simple, single-process path)."""
    return digest_of([analyse_article(a, config) for a in articles], config)
