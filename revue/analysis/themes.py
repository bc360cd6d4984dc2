"""Themes: an article's frontmatter `themes` win; otherwise the config's terms decide.

Terms and text are compared as French Snowball stems, accent-folded, so « studios »,
« Studio » and « studio » all match the term « studio ». A term in the title counts twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..config import Config, Theme
from ..content import Article
from .lexicon import fast_stems as stems

TITLE_WEIGHT = 2


@dataclass(frozen=True)
class ThemeScore:
    """How strongly one theme matches one article (by the theme's id: plain data, shared by
    nothing), and which terms matched how often."""

    theme_id: str
    score: int
    matches: tuple[tuple[str, int], ...]


def score_themes(article: Article, config: Config) -> list[ThemeScore]:
    """Score every configured theme against the article's title and body, best first."""
    terms = _theme_terms(config.themes)
    title = _Index(stems(article.title))
    body = _Index(stems(article.body))
    scores = []
    for theme, patterns in zip(config.themes, terms, strict=True):
        matches = []
        for term, pattern in patterns:
            count = TITLE_WEIGHT * title.count(pattern) + body.count(pattern)
            if count:
                matches.append((term, count))
        matches.sort(key=lambda m: (-m[1], m[0]))
        scores.append(ThemeScore(theme.id, sum(c for _, c in matches), tuple(matches)))
    return sorted(scores, key=lambda s: -s.score)


@lru_cache(maxsize=8)
def _theme_terms(themes: tuple[Theme, ...]) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    """Per theme, each term that may count with its stems, computed once for all articles: a
    term is left out when an earlier term of the theme has its stems (« concurrent » and
    « concurrence » share a stem) or when it has none."""
    result = []
    for theme in themes:
        patterns: dict[tuple[str, ...], str] = {}
        for term in theme.terms:
            patterns.setdefault(tuple(stems(term)), term)
        result.append(tuple((term, pattern) for pattern, term in patterns.items() if pattern))
    return tuple(result)


def assign_themes(article: Article, config: Config) -> tuple[str, ...]:
    """The article's theme ids: its frontmatter's (then nothing is scored), else every
    theme scoring enough, in config order."""
    if article.themes:
        return article.themes
    scores = score_themes(article, config)
    chosen = {s.theme_id for s in scores if s.score >= config.theme_min_score}
    return tuple(t.id for t in config.themes if t.id in chosen)


class _Index:
    """A text's stems, counted, to count a one-stem term with one dictionary access and a
    longer term only when the text holds all its stems."""

    def __init__(self, words: list[str]):
        self.words = words
        self.counts = Counter(words)

    def count(self, pattern: tuple[str, ...]) -> int:
        """How many times the stem sequence `pattern` (not empty) occurs."""
        counts = self.counts
        if len(pattern) == 1:
            return counts.get(pattern[0], 0)
        if any(stem not in counts for stem in pattern):
            return 0  # a stem the text lacks: no occurrence, whatever the positions
        words, first, size = self.words, pattern[0], len(pattern)
        found = 0
        index = -1
        for _ in range(counts[first]):  # each occurrence of the first stem, found in C
            index = words.index(first, index + 1)
            found += tuple(words[index : index + size]) == pattern
        return found
