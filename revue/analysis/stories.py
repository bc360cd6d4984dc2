"""Same story across outlets: articles whose title and lede share enough content stems,
published within a few days of each other, plus the editor's `same_story` links.

Candidates come from MinHash/LSH (revue/analysis/minhash.py), then each is checked with
the exact Jaccard similarity of the two ledes; groups are the connected components
(union-find). Near-linear: no all-pairs comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .article import ArticleAnalysis
from .minhash import candidate_pairs

# Tuned on the seeds (ledes of about 50 distinct stems): the three relays of the Bloomberg
# report share 11–20 stems (Jaccard 0.138–0.27); other pairs share at most 7 (≤ 0.077),
# all of them words the whole review uses (« OpenAI », « Sora », « vidéo », « générer »).
STORY_MIN_JACCARD = 0.11
STORY_MIN_SHARED = 9
STORY_MAX_DAYS = 21


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
    rejected: set[tuple[int, int]] = set(forbidden)
    for i, j in candidate_pairs([a.signature for a in items]):
        if links.find(i) == links.find(j) or (i, j) in rejected:
            continue
        if _close_in_time(items[i], items[j]) and _similar(ledes[i], ledes[j]):
            links.union(i, j)
        else:
            rejected.add((i, j))
    for i, item in enumerate(items):
        for slug in item.same_story:
            if slug in index:
                links.union(i, index[slug])
    return tuple(tuple(items[i].slug for i in group) for group in links.groups())
