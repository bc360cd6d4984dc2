"""Same story across outlets: articles whose title and lede share enough content stems,
published within a few days of each other, plus the editor's `same_story` links.

Candidates come from MinHash/LSH (revue/analysis/minhash.py), then each is checked with
the exact Jaccard similarity of two ledes. Stories are made by leader clustering in date
order: an article joins the story (among those of its earlier candidates) whose first
article is the most similar to it, if that first article is similar enough and at most
STORY_MAX_DAYS away; otherwise it starts a story. So every member of a story is similar
to the story's first article and within STORY_MAX_DAYS of it.

Why not connected components: similarity does not chain. A~B and B~C does not make A~C,
and a year of articles on one subject links pairwise into one « story » of thousands. On
a generated corpus of 10,000 articles (ledes of ~52 stems from a 287-stem vocabulary),
the pairwise rule accepts 91 % of the candidate pairs within STORY_MAX_DAYS and 82 % of
random pairs (median 13 shared stems, Jaccard 0.14): components made one story of all
10,000 articles over a whole year; leaders bound each story to three weeks (there, still
up to ~300 articles, as almost any two of them pass the pairwise rule). Deterministic
(date order, ties to the earliest story) and near-linear: each article is compared with
the first articles of its candidates' stories only. `not_same_story` keeps an article out
of a story holding the article it names; `same_story` links then join whole stories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .article import ArticleAnalysis
from .minhash import WINDOW, candidate_pairs

# Tuned on the seeds (ledes of about 50 distinct stems): the three relays of the Bloomberg
# report share 11–20 stems (Jaccard 0.138–0.27); other pairs share at most 7 (≤ 0.077),
# all of them words the whole review uses (« OpenAI », « Sora », « vidéo », « générer »).
STORY_MIN_JACCARD = 0.11
STORY_MIN_SHARED = 9
STORY_MAX_DAYS = 21


class UnionFind:
    """Disjoint sets over 0..n-1; the smaller index is always the root, so results are stable."""

    def __init__(self, size: int, parent: Sequence[int] | None = None):
        """`parent`, when given, is a start: each item's root, not after the item."""
        self.parent = list(range(size)) if parent is None else list(parent)

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
        roots = np.array(self.parent, dtype=np.int64)
        while True:  # every item to its root (roots come first: the chains are short)
            up = roots[roots]
            if np.array_equal(up, roots):
                break
            roots = up
        order = np.argsort(roots, kind="stable")  # by root, then by item
        cuts = np.flatnonzero(np.diff(roots[order])) + 1
        return [g.tolist() for g in np.split(order, cuts) if len(g) > 1]


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
    return _similarity(first, frozenset(second)) is not None


def _similarity(first: frozenset[str], second: frozenset[str]) -> float | None:
    """The Jaccard similarity of two ledes, or None when they are not similar enough."""
    shared = len(first & second)
    if shared < STORY_MIN_SHARED:
        return None
    score = shared / (len(first) + len(second) - shared)
    return score if score >= STORY_MIN_JACCARD else None


def _close_mask(items: Sequence[ArticleAnalysis]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A mask of the index pairs whose articles are close enough in time (_close_in_time,
    vectorized)."""
    first = np.array([a.days[0] for a in items], dtype=np.int64)
    last = np.array([a.days[1] for a in items], dtype=np.int64)

    def close(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        gap = np.maximum(0, np.maximum(first[j] - last[i], first[i] - last[j]))
        return gap <= STORY_MAX_DAYS

    return close


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
    items = [analyses[i] for i in date_order(analyses)]
    return stories_of(items, leaders_of(items, forbidden_pairs(items)))


def date_order(analyses: Sequence[ArticleAnalysis]) -> list[int]:
    """The analyses' indexes oldest first (ties by slug): the order stories are made in."""
    return sorted(range(len(analyses)), key=lambda i: (analyses[i].days, analyses[i].slug))


def forbidden_pairs(items: Sequence[ArticleAnalysis]) -> dict[int, set[int]]:
    """For each item (by index), the items its `not_same_story` or theirs keep it apart from."""
    forbidden: dict[int, set[int]] = {}
    apart = [(i, a.not_same_story) for i, a in enumerate(items) if a.not_same_story]
    index = {a.slug: i for i, a in enumerate(items)} if apart else {}
    for i, slugs in apart:
        for slug in slugs:
            if slug in index and index[slug] != i:
                forbidden.setdefault(i, set()).add(index[slug])
                forbidden.setdefault(index[slug], set()).add(i)
    return forbidden


def stories_of(
    items: Sequence[ArticleAnalysis], leaders: Sequence[int]
) -> tuple[tuple[str, ...], ...]:
    """The stories (as group_stories gives them) of items in date order and their leaders,
    joined by the items' `same_story` links."""
    links = UnionFind(len(items), leaders)  # a leader leads itself, and comes first
    linked = [(i, item.same_story) for i, item in enumerate(items) if item.same_story]
    if linked:
        index = {a.slug: i for i, a in enumerate(items)}
        for i, slugs in linked:
            for slug in slugs:
                if slug in index:
                    links.union(i, index[slug])
    return tuple(tuple(items[i].slug for i in group) for group in links.groups())


def leaders_of(items: Sequence[ArticleAnalysis], forbidden: dict[int, set[int]]) -> list[int]:
    """Each item's story leader (an index; itself when it leads one), items in date order.
    An item joins the story, among those of its earlier LSH candidates, whose leader is the
    most similar to it (the earliest leader on a tie), close enough in time and holding no
    article its `not_same_story` forbids; otherwise it leads a new story."""
    ledes = [frozenset(a.lede) for a in items]
    signatures = [a.signature for a in items]
    first, later = candidate_pairs(signatures, WINDOW, keep=_close_mask(items))
    bounds = np.searchsorted(later, np.arange(len(items) + 1))  # sorted by later item
    leader = np.arange(len(items))
    for j in range(len(items)):
        leader[j] = leader_of(j, first[bounds[j] : bounds[j + 1]], items, ledes, leader, forbidden)
    return leader.tolist()


def leader_of(
    j: int,
    earlier: np.ndarray,
    items: Sequence[ArticleAnalysis],
    ledes: Sequence[frozenset[str]],
    leader: np.ndarray,
    forbidden: dict[int, set[int]],
) -> int:
    """Item j's story leader, given its `earlier` candidates (indexes) and their leaders."""
    best, best_score = j, 0.0
    for story in sorted(set(leader[earlier].tolist())):  # a few items: faster in Python
        if not _close_in_time(items[story], items[j]):
            continue
        if any(leader[k] == story for k in forbidden.get(j, ()) if k < j):
            continue
        score = _similarity(ledes[story], ledes[j])
        if score is not None and score > best_score:
            best, best_score = story, score
    return best
