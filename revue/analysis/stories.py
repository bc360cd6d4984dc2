"""Same story across outlets: articles whose title and lede share enough content stems,
published within a few days of each other, plus the editor's `same_story` links.

Candidates come from MinHash/LSH (revue/analysis/minhash.py), then each is checked with
the exact Jaccard similarity of the two ledes; groups are the connected components
(union-find). Near-linear: no all-pairs comparison. Components do not depend on the order
pairs are checked in, so pairs already joined (through others) are skipped in bulk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from .article import ArticleAnalysis
from .minhash import candidate_pairs

# Tuned on the seeds (ledes of about 50 distinct stems): the three relays of the Bloomberg
# report share 11–20 stems (Jaccard 0.138–0.27); other pairs share at most 7 (≤ 0.077),
# all of them words the whole review uses (« OpenAI », « Sora », « vidéo », « générer »).
STORY_MIN_JACCARD = 0.11
STORY_MIN_SHARED = 9
STORY_MAX_DAYS = 21
CHUNK_PAIRS = 50_000  # candidate pairs checked between two snapshots of the stories found


class UnionFind:
    """Disjoint sets over 0..n-1; the smaller index is always the root, so results are stable."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        """The sets of two members or more, each sorted, in order of their first member."""
        by_root: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            by_root.setdefault(self.find(item), []).append(item)
        return [members for _, members in sorted(by_root.items()) if len(members) > 1]


def jaccard(first: Sequence[str], second: Sequence[str]) -> tuple[float, int]:
    """|A ∩ B| / |A ∪ B| of two token collections (0 when both are empty), and |A ∩ B|."""
    a, b = set(first), set(second)
    shared = len(a & b)
    return (shared / len(a | b) if a or b else 0.0), shared


def same_story(first: ArticleAnalysis, second: ArticleAnalysis) -> bool:
    """Do two analysed articles tell the same story, by their ledes and dates alone?"""
    return _close_in_time(first, second) and _similar(frozenset(first.lede), second.lede)


def _close_in_time(first: ArticleAnalysis, second: ArticleAnalysis) -> bool:
    gap = max(0, second.days[0] - first.days[1], first.days[0] - second.days[1])
    return gap <= STORY_MAX_DAYS


def _similar(first: frozenset[str], second: Iterable[str]) -> bool:
    other = frozenset(second)
    shared = len(first & other)
    if shared < STORY_MIN_SHARED:
        return False
    return shared / (len(first) + len(other) - shared) >= STORY_MIN_JACCARD


def _close_pairs(pairs: np.ndarray, items: Sequence[ArticleAnalysis]) -> np.ndarray:
    """The pairs whose articles are close enough in time (_close_in_time, vectorized)."""
    first = np.array([a.days[0] for a in items], dtype=np.int64)
    last = np.array([a.days[1] for a in items], dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    gap = np.maximum(0, np.maximum(first[j] - last[i], first[i] - last[j]))
    return pairs[gap <= STORY_MAX_DAYS]


def _roots(links: UnionFind) -> np.ndarray:
    """Every item's root, by pointer jumping over the parent array (no Python loop)."""
    roots = np.array(links.parent, dtype=np.int64)
    while True:
        jumped = roots[roots]
        if np.array_equal(jumped, roots):
            return roots
        roots = jumped


def story_key(analysis: ArticleAnalysis) -> str:
    """A hash of everything group_stories reads of one article: equal keys, equal stories."""
    fields = (
        analysis.slug,
        analysis.days,
        analysis.lede,
        analysis.signature,
        analysis.same_story,
        analysis.not_same_story,
    )
    return hashlib.sha256(repr(fields).encode()).hexdigest()


def group_stories(analyses: Sequence[ArticleAnalysis]) -> tuple[tuple[str, ...], ...]:
    """Stories of two articles or more, as slugs oldest first; stories in order of their
    first article. The frontmatter's `not_same_story` wins over the analysis, `same_story`
    over both."""
    order = sorted(range(len(analyses)), key=lambda i: (analyses[i].days, analyses[i].slug))
    items = [analyses[i] for i in order]
    index = {a.slug: i for i, a in enumerate(items)}
    forbidden = {
        (min(i, index[s]), max(i, index[s]))
        for i, a in enumerate(items)
        for s in a.not_same_story
        if s in index
    }
    ledes = [frozenset(a.lede) for a in items]
    links = UnionFind(len(items))
    pairs = _close_pairs(candidate_pairs([a.signature for a in items]), items)
    # Nearest neighbours in date order first: a long story is joined in the first chunk.
    pairs = pairs[np.lexsort((pairs[:, 0], pairs[:, 1] - pairs[:, 0]))]
    chunk = max(CHUNK_PAIRS, len(items))
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        roots = _roots(links)
        part = part[roots[part[:, 0]] != roots[part[:, 1]]]  # already one story: skip
        for i, j in part.tolist():
            if (i, j) in forbidden or links.find(i) == links.find(j):
                continue
            if _similar(ledes[i], ledes[j]):
                links.union(i, j)
    for i, item in enumerate(items):
        for slug in item.same_story:
            if slug in index:
                links.union(i, index[slug])
    return tuple(tuple(items[i].slug for i in group) for group in links.groups())
