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
    """How strongly one theme matches one article, and which terms matched how often."""

    theme: Theme
    score: int
    matches: tuple[tuple[str, int], ...]


def score_themes(article: Article, config: Config) -> list[ThemeScore]:
    """Score every configured theme against the article's title and body, best first."""
    title = _Index(stems(article.title))
    body = _Index(stems(article.body))
    scores = []
    for theme in config.themes:
        matches = []
        seen: set[tuple[str, ...]] = set()
        for term in theme.terms:
            pattern = _term_stems(term)
            if pattern in seen:  # « concurrent » and « concurrence » share a stem
                continue
            seen.add(pattern)
            count = TITLE_WEIGHT * title.count(pattern) + body.count(pattern)
            if count:
                matches.append((term, count))
        matches.sort(key=lambda m: (-m[1], m[0]))
        scores.append(ThemeScore(theme, sum(c for _, c in matches), tuple(matches)))
    return sorted(scores, key=lambda s: -s.score)


@lru_cache(maxsize=4096)
def _term_stems(term: str) -> tuple[str, ...]:
    """A configured term's stems, computed once for all articles."""
    return tuple(stems(term))


def assign_themes(
    article: Article, config: Config, scores: list[ThemeScore] | None = None
) -> tuple[str, ...]:
    """The article's theme ids: its frontmatter's, else every theme scoring enough, in
    config order. `scores` saves scoring again when the caller has them."""
    if article.themes:
        return article.themes
    scores = score_themes(article, config) if scores is None else scores
    chosen = {s.theme.id for s in scores if s.score >= config.theme_min_score}
    return tuple(t.id for t in config.themes if t.id in chosen)


class _Index:
    """A text's stems, counted, to count a one-stem term with one dictionary access and a
    longer term in time proportional to its first stem's occurrences."""

    def __init__(self, words: list[str]):
        self.words = words
        self.counts = Counter(words)
        self.positions: dict[str, list[int]] | None = None  # built when first needed

    def count(self, pattern: tuple[str, ...]) -> int:
        """How many times the stem sequence `pattern` occurs."""
        if not pattern or any(stem not in self.counts for stem in pattern):
            return 0  # a stem the text lacks: no occurrence, whatever the positions
        if len(pattern) == 1:
            return self.counts[pattern[0]]
        if self.positions is None:
            self.positions = {}
            for index, word in enumerate(self.words):
                self.positions.setdefault(word, []).append(index)
        size = len(pattern)
        return sum(
            1 for i in self.positions[pattern[0]] if tuple(self.words[i : i + size]) == pattern
        )
