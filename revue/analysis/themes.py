"""Themes: an article's frontmatter `themes` win; otherwise the config's terms decide.

Terms and text are compared as French Snowball stems, accent-folded, so « studios »,
« Studio » and « studio » all match the term « studio ». A term in the title counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    title = stems(article.title)
    body = stems(article.body)
    scores = []
    for theme in config.themes:
        matches = []
        seen: set[tuple[str, ...]] = set()
        for term in theme.terms:
            pattern = stems(term)
            if tuple(pattern) in seen:  # « concurrent » and « concurrence » share a stem
                continue
            seen.add(tuple(pattern))
            count = TITLE_WEIGHT * _count(title, pattern) + _count(body, pattern)
            if count:
                matches.append((term, count))
        matches.sort(key=lambda m: (-m[1], m[0]))
        scores.append(ThemeScore(theme, sum(c for _, c in matches), tuple(matches)))
    return sorted(scores, key=lambda s: -s.score)


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


def _count(words: list[str], pattern: list[str]) -> int:
    """How many times the stem sequence `pattern` occurs in `words`."""
    if not pattern:
        return 0
    size = len(pattern)
    first = pattern[0]
    return sum(1 for i, w in enumerate(words) if w == first and words[i : i + size] == pattern)
