"""One quotation relayed by several outlets, shown once with all its sources.

Two quotations are the same when their words are the same (a dictionary of normalized
texts), or when they have the same speaker — or, unattributed, belong to the same
story — and share most of their content stems (two translations of one English sentence).
Similar pairs are looked for only among the next QUOTE_WINDOW quotations of the same
speaker or story in date order: linear work, whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .article import ArticleAnalysis
from .lexicon import content_stems
from .lexicon import folded as fold  # memoized revue.text.fold
from .overrides import quote_key
from .people import resolve
from .quotes import Quote
from .stories import UnionFind

QUOTE_WINDOW = 8
MIN_OVERLAP = 0.4  # shared stems / stems of the shorter quotation
MIN_SHARED = 3


@dataclass(frozen=True)
class QuoteGroup:
    """A quotation and where it appears: `sources` are (slug, index in that article's
    quotes), oldest article first. `speaker` is the canonical name when named."""

    quote: Quote
    speaker: str
    sources: tuple[tuple[str, int], ...]


def group_quotes(
    analyses: Sequence[ArticleAnalysis],
    stories: Sequence[Sequence[str]],
    table: dict[str, str],
) -> tuple[QuoteGroup, ...]:
    """Every quotation of every article, the same ones merged; featured first, then by
    number of sources, then newest."""
    story_of = {slug: n for n, story in enumerate(stories) for slug in story}
    ordered = sorted(analyses, key=lambda a: (a.days, a.slug))
    items: list[tuple[ArticleAnalysis, int, Quote, str]] = []
    for analysis in ordered:
        for index, quote in enumerate(analysis.quotes):
            speaker = _speaker(quote, table)
            items.append((analysis, index, quote, speaker))
    links = UnionFind(len(items))
    same_text: dict[str, int] = {}
    buckets: dict[str, list[int]] = {}
    keys, bags = _keys_and_bags(items)
    for position, (analysis, _, _, speaker) in enumerate(items):
        key = keys[position]
        if key in same_text:
            links.union(same_text[key], position)
        same_text.setdefault(key, position)
        bucket = f"s:{speaker}" if speaker else f"t:{story_of.get(analysis.slug, '')}"
        if speaker or analysis.slug in story_of:
            buckets.setdefault(bucket, []).append(position)
    for _, members in sorted(buckets.items()):
        for n, first in enumerate(members):
            for second in members[n + 1 : n + 1 + QUOTE_WINDOW]:
                if _similar(bags[first], bags[second]):
                    links.union(first, second)
    by_root: dict[int, list[int]] = {}
    for position in range(len(items)):
        by_root.setdefault(links.find(position), []).append(position)
    result = [_group([items[p] for p in members]) for _, members in sorted(by_root.items())]
    last_day = {a.slug: a.days[1] for a in analyses}
    result.sort(
        key=lambda g: (
            not g.quote.featured,
            -len(g.sources),
            -max(last_day[slug] for slug, _ in g.sources),
            g.sources,
        )
    )
    return tuple(result)


def _keys_and_bags(
    items: list[tuple[ArticleAnalysis, int, Quote, str]],
) -> tuple[list[str], list[set[str]]]:
    """Each quotation's quote_key and set of content stems: those analyse_article computed,
    or computed now for an analysis made without them."""
    keys, bags = [], []
    for analysis, index, quote, _ in items:
        if len(analysis.quote_keys) == len(analysis.quote_stems) == len(analysis.quotes):
            keys.append(analysis.quote_keys[index])
            bags.append(set(analysis.quote_stems[index]))
        else:
            keys.append(quote_key(quote.text))
            bags.append(set(content_stems(quote.text)))
    return keys, bags


def _speaker(quote: Quote, table: dict[str, str]) -> str:
    """The canonical speaker: the index's name for a named one, the text for a described
    one (« un porte-parole d’OpenAI »), '' for none."""
    if not quote.speaker:
        return ""
    if quote.named:
        return resolve(quote.speaker, table) or quote.speaker
    return fold(quote.speaker)


def _similar(first: set[str], second: set[str]) -> bool:
    shared = len(first & second)
    return shared >= MIN_SHARED and shared >= MIN_OVERLAP * min(len(first), len(second))


def _group(members: list[tuple[ArticleAnalysis, int, Quote, str]]) -> QuoteGroup:
    """The merged quotation: the featured or first attributed version's text, the named
    speaker if any version names one, every article once."""
    chosen = next((m for m in members if m[2].featured), None) or next(
        (m for m in members if m[2].speaker), members[0]
    )
    named = next((m for m in members if m[2].named and m[3]), None)
    speaker = named[3] if named else chosen[2].speaker
    quote = chosen[2]
    if named and not quote.named:
        quote = Quote(quote.text, named[2].speaker, True, lang=quote.lang, featured=quote.featured)
    sources: dict[str, int] = {}
    for analysis, index, _, _ in members:
        sources.setdefault(analysis.slug, index)
    return QuoteGroup(quote, speaker, tuple(sources.items()))
