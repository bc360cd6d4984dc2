"""Story groups kept up to date in a long-lived process (the preview): after an edit that
changes a few articles' ledes, only the articles whose story choice can change are looked
at again, and the groups are exactly those group_stories gives.

Why it can be local: in group_stories (revue/analysis/stories.py), an item's leader
depends only on its earlier LSH candidates, their leaders, and the ledes and dates of those
leaders. An item's earlier candidates are, in each band, the last WINDOW items before it in
its bucket, kept when close enough in time: they all lie in a span of days before it
(`lo`), so they can be found from the signatures of that span alone (`earlier`). A change
then reaches only the items sharing a band bucket with a changed item (its old or new
signature), or with a member of a story whose leader's lede changed; an item whose leader
changes reaches the items sharing a bucket with it, and so on, forward in date order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .article import ArticleAnalysis
from .minhash import BAND_ROWS, SIGNATURE_SIZE, WINDOW
from .stories import (
    STORY_MAX_DAYS,
    date_order,
    forbidden_pairs,
    leader_of,
    leaders_of,
    stories_of,
)

BANDS = SIGNATURE_SIZE // BAND_ROWS


@dataclass(frozen=True, eq=False)
class StoryState:
    """What group_stories computed, kept to update it: the items in date order with their
    story keys (`ranked`: their indexes in the analyses given), their signatures as rows
    and a hash of each band of them (`present`: the item has a signature), the first and
    last day of each, the span `lo[k]:k` holding every item close enough in time to come
    before item k, each item's leader, and the groups."""

    keys: tuple[str, ...]
    items: tuple[ArticleAnalysis, ...]
    ranked: tuple[int, ...]
    matrix: np.ndarray
    bands: np.ndarray
    present: np.ndarray
    first: np.ndarray
    last: np.ndarray
    lo: np.ndarray
    leaders: np.ndarray
    groups: tuple[tuple[str, ...], ...]


def story_state(analyses: Sequence[ArticleAnalysis], keys: Sequence[str]) -> StoryState:
    """group_stories of the analyses (`keys[i]` is analyses[i]'s story_key), as a state."""
    ranked = date_order(analyses)
    items = [analyses[i] for i in ranked]
    leaders = np.array(leaders_of(items, forbidden_pairs(items)), dtype=np.int64)
    matrix = np.zeros((len(items), SIGNATURE_SIZE), dtype=np.uint64)
    for n, item in enumerate(items):
        if item.signature:
            matrix[n] = np.frombuffer(item.signature, dtype="<u8")
    present = np.array([bool(a.signature) for a in items], dtype=bool)
    first = np.array([a.days[0] for a in items], dtype=np.int64)
    last = np.array([a.days[1] for a in items], dtype=np.int64)
    # Before lo[k], every item ends (its last day) more than STORY_MAX_DAYS before k starts.
    lo = np.searchsorted(np.maximum.accumulate(last), first - STORY_MAX_DAYS, side="left")
    return StoryState(
        tuple(keys[i] for i in ranked),
        tuple(items),
        tuple(ranked),
        matrix,
        _band_hashes(matrix),
        present,
        first,
        last,
        lo,
        leaders,
        stories_of(items, leaders.tolist()),
    )


def update_stories(
    state: StoryState, analyses: Sequence[ArticleAnalysis], keys: Sequence[str]
) -> StoryState:
    """The state of these analyses, updated from `state` when only the ledes or signatures
    of some articles changed (same articles, dates and story links); else made anew."""
    if len(analyses) != len(state.items):
        return story_state(analyses, keys)
    # The state's order, checked: an item whose key is the state's is the same article
    # (the key hashes its slug and dates); the others must keep their slug and dates.
    items = [analyses[i] for i in state.ranked]
    ordered_keys = tuple(keys[i] for i in state.ranked)
    if ordered_keys == state.keys:
        return state
    old = state.items
    changed = [k for k, key in enumerate(ordered_keys) if key != state.keys[k]]
    for k in changed:
        a, b = items[k], old[k]
        if (a.slug, a.days, a.same_story, a.not_same_story) != (
            b.slug,
            b.days,
            b.same_story,
            b.not_same_story,
        ):
            return story_state(analyses, keys)
    matrix, bands, present = state.matrix.copy(), state.bands.copy(), state.present.copy()
    for k in changed:
        present[k] = bool(items[k].signature)
        matrix[k] = np.frombuffer(items[k].signature, dtype="<u8") if present[k] else 0
        bands[k] = _band_hashes(matrix[k : k + 1])[0]
    update = _Update(state, items, matrix, bands, present)
    for j in changed:
        update.needs[j] = True
        update.mark(j, state.matrix[j], state.bands[j], bool(state.present[j]))
        update.mark(j, matrix[j], bands[j], bool(present[j]))
        for member in np.flatnonzero(state.leaders == j).tolist():  # j's lede was theirs
            update.needs[member] = True
            update.mark(member, matrix[member], bands[member], bool(present[member]))
    leaders = update.run(changed[0])
    return StoryState(
        ordered_keys,
        tuple(items),
        state.ranked,
        matrix,
        bands,
        present,
        state.first,
        state.last,
        state.lo,
        leaders,
        stories_of(items, leaders.tolist()),
    )


class _Ledes:
    """The items' ledes as frozensets, made when first asked for."""

    def __init__(self, items: Sequence[ArticleAnalysis]):
        self.items = items
        self.made: dict[int, frozenset[str]] = {}

    def __getitem__(self, index: int) -> frozenset[str]:
        found = self.made.get(index)
        if found is None:
            found = self.made[index] = frozenset(self.items[index].lede)
        return found


class _Update:
    """One update's work: which items must be looked at again (`needs`), and their leaders."""

    def __init__(self, state: StoryState, items, matrix, bands, present):
        self.state, self.items, self.present = state, items, present
        self.matrix, self.bands = matrix, bands
        self.leaders = state.leaders.copy()
        self.needs = np.zeros(len(items), dtype=bool)
        self.ledes = _Ledes(items)
        self.forbidden = forbidden_pairs(items)
        # The last item whose span reaches back to each item.
        self.reach = np.searchsorted(state.lo, np.arange(len(items)), side="right") - 1

    def mark(self, source: int, row: np.ndarray, hashes: np.ndarray, has_signature: bool) -> None:
        """Mark the later items that may have `source` (with this signature row) among
        their earlier candidates, and those its `not_same_story` names."""
        for other in self.forbidden.get(source, ()):
            if other > source:
                self.needs[other] = True
        end = int(self.reach[source]) + 1
        if not has_signature or end <= source + 1:
            return
        items, _ = self._shared_bands(source + 1, end, row, hashes)
        self.needs[items] = True

    def earlier(self, k: int) -> np.ndarray:
        """Item k's earlier candidates, as candidate_pairs finds them (see module doc)."""
        if not self.present[k]:
            return np.empty(0, dtype=np.int64)
        lo = int(self.state.lo[k])
        items, bands = self._shared_bands(lo, k, self.matrix[k], self.bands[k])
        order = np.lexsort((-items, bands))  # by band, the latest items first
        ranked_bands = bands[order]
        rank = np.arange(order.size) - np.searchsorted(ranked_bands, ranked_bands)
        found = np.unique(items[order][rank < WINDOW])  # the last WINDOW of each band
        return found[self.state.last[found] >= self.state.first[k] - STORY_MAX_DAYS]

    def run(self, start: int) -> np.ndarray:
        """Look again at every marked item from `start` on, in date order; the leaders."""
        leaders, k = self.leaders, start
        while True:
            rest = self.needs[k:]
            if not rest.any():
                return leaders
            k += int(rest.argmax())
            found = leader_of(k, self.earlier(k), self.items, self.ledes, leaders, self.forbidden)
            if found != leaders[k]:
                leaders[k] = found
                self.mark(k, self.matrix[k], self.bands[k], bool(self.present[k]))
            k += 1

    def _shared_bands(self, start: int, end: int, row: np.ndarray, hashes: np.ndarray):
        """The (item, band) pairs, items start..end-1 with a signature, whose band is that
        band of `row`, by item then band: hashes first, then the rows where they match."""
        items, bands = np.nonzero(self.bands[start:end] == hashes)
        items += start
        keep = self.present[items]
        rows = self.matrix[items]
        for offset in range(BAND_ROWS):
            column = bands * BAND_ROWS + offset
            keep &= rows[np.arange(items.size), column] == row[column]
        return items[keep], bands[keep]


def _band_hashes(matrix: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each band of each signature row (rows × bands): equal bands, equal
    hashes (the converse is checked on the rows)."""
    shaped = matrix.reshape(len(matrix), BANDS, BAND_ROWS)
    mixed = shaped[:, :, 0].copy()
    for offset in range(1, BAND_ROWS):
        mixed = mixed * np.uint64(0x9E3779B97F4A7C15) + shaped[:, :, offset]
    return mixed
