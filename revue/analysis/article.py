"""Everything the analysis learns from one article on its own: `analyse_article`.

The result depends only on the article and the config and holds plain values, frozen and
picklable, so a build may cache it by content and compute it in worker processes. The
cross-article steps (revue/analysis/digest.py) take a list of these.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..config import Config
from ..content import Article
from ..dates import ArticleDate
from .lexicon import content_stems
from .minhash import signature
from .names import mentions, person_names
from .overrides import quote_key, texts
from .plain import paragraphs, prose_sentences
from .quotes import Quote, find_quotes
from .summary import computed_summary, excerpt_of
from .themes import assign_themes

LEDE_STEMS = 60  # the title and the first content stems of the prose: what a story is about
LEDE_MIN_STEMS = 20  # a short article's lede is its first half: a footer stays out of it


@dataclass(frozen=True)
class ArticleAnalysis:
    """One article, analysed. Dates are day ordinals; `lede` holds the distinct content
    stems of the title and first prose, sorted; `signature` is their MinHash."""

    slug: str
    source: str
    days: tuple[int, int]  # first and last day the article's date may mean
    theme_ids: tuple[str, ...]
    summary: str
    summary_computed: bool
    excerpt: str
    quotes: tuple[Quote, ...]
    names: tuple[str, ...]  # the distinct capitalised runs of the title and text, sorted
    persons: tuple[str, ...]
    lede: tuple[str, ...]
    signature: bytes
    same_story: tuple[str, ...] = ()
    not_same_story: tuple[str, ...] = ()
    # Per quotation, computed here (cached, in parallel) for the cross-article merging:
    # its text reduced by quote_key, and its distinct content stems, sorted.
    quote_keys: tuple[str, ...] = ()
    quote_stems: tuple[tuple[str, ...], ...] = ()


def analyse_article(article: Article, config: Config) -> ArticleAnalysis:
    """Themes, summary, excerpt, quotations, names and story signature of one article."""
    prose = paragraphs(article.body)
    text = ". ".join([article.title, *prose])
    summary = article.summary or computed_summary(article.body)
    words = content_stems(article.title)  # then the prose's, as content_stems gives them:
    words += [stem for _, stems in prose_sentences(article.body) for stem in stems]
    lede = sorted(set(words[: min(LEDE_STEMS, max(LEDE_MIN_STEMS, len(words) // 2))]))
    overrides = article.overrides
    quotes = _edited_quotes(find_quotes(article.body, article.lang), overrides)
    return ArticleAnalysis(
        slug=article.slug,
        source=article.source,
        days=day_range(article.date),
        theme_ids=assign_themes(article, config),  # scored only when not set by hand
        summary=summary,
        summary_computed=not article.summary,
        excerpt=excerpt_of(article, summary),
        quotes=quotes,
        # Interned: a corpus names the same people again and again, and the cache's pickles
        # then hold (and load) each name once per batch of articles instead of once each.
        names=tuple(sorted(map(sys.intern, mentions(text)))),
        persons=tuple(sorted(set(map(sys.intern, person_names(text))))),
        lede=tuple(lede),
        signature=signature(lede),
        same_story=texts(overrides, "same_story"),
        not_same_story=texts(overrides, "not_same_story"),
        quote_keys=tuple(quote_key(q.text) for q in quotes),
        quote_stems=tuple(tuple(sorted(set(content_stems(q.text)))) for q in quotes),
    )


def day_range(date: ArticleDate) -> tuple[int, int]:
    """The first and last day (ordinals) a date may mean: one day, or a whole month."""
    if date.day is not None:
        day = dt.date(date.year, date.month, date.day).toordinal()
        return day, day
    first = dt.date(date.year, date.month, 1)
    following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
    return first.toordinal(), following.toordinal() - 1


def _edited_quotes(found: tuple[Quote, ...], overrides: Mapping[str, object]) -> tuple[Quote, ...]:
    """Apply `quotes` (feature, add, set the speaker) and `hide_quotes` from the frontmatter:
    featured quotations first, in the editor's order, then the others in text order."""
    hidden = [quote_key(h) for h in texts(overrides, "hide_quotes")]
    kept = [q for q in found if not any(quote_key(q.text).startswith(h) for h in hidden if h)]
    featured: list[Quote] = []
    raw = overrides.get("quotes")
    for item in raw if isinstance(raw, list) else []:
        text = item if isinstance(item, str) else str(item.get("text", ""))
        speaker = "" if isinstance(item, str) else str(item.get("speaker", "")).strip()
        key = quote_key(text)
        match = next((q for q in kept if key and quote_key(q.text).startswith(key)), None)
        if match is not None:
            kept.remove(match)
            quote = replace(match, featured=True)
            if speaker:
                quote = replace(quote, speaker=speaker, named=True)
        else:
            quote = Quote(text.strip(), speaker, bool(speaker), featured=True)
        featured.append(quote)
    return (*featured, *kept)
