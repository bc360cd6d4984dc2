"""Story groups kept up to date in a long-lived process (the preview): after an edit that
changes a few articles' ledes, only the articles whose story choice can change are looked
at again, and the groups are exactly those group_stories gives.

Why it can be local: in group_stories (revue/analysis/stories.py), an item's leader
depends only on its earlier LSH candidates, their leaders, and the ledes and dates of those
leaders. An item's earlier candidates are, in each band, the last WINDOW items before it in
its bucket (kept when close enough in time): with each band's items sorted by (bucket,
index), they are the WINDOW entries before the item's place. A change then reaches the
items that follow a changed item in one of its buckets (old or new), those that follow a
member of a story whose leader's lede changed, and, when an item's leader changes, those
that follow it, and so on, forward in date order.

Buckets are compared by a 64-bit hash of their band; the entries found that way are checked
against the signatures, and the state is made anew in the (never seen) case of a collision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .article import ArticleAnalysis
from .minhash import BAND_ROWS, SIGNATURE_SIZE, WINDOW, sorted_unique
from .stories import (
    STORY_MAX_DAYS,
    date_order,
    forbidden_pairs,
    leader_of,
    leaders_of,
    stories_of,
)

BANDS = SIGNATURE_SIZE // BAND_ROWS
_BAND = np.arange(BANDS)[:, None]
_STEPS = np.arange(1, WINDOW + 1)[None, :]


@dataclass(frozen=True, eq=False)
class StoryState:
    """What group_stories computed, kept to update it: the items in date order with their
    story keys (`ranked`: their indexes in the analyses given), their signatures as rows
    (`present`: the item has one), for each band the items having a signature sorted by
    (band hash, index) with those hashes, and each item's place there; each item's first
    and last day, its leader, and the groups."""

    keys: tuple[str, ...]
    items: tuple[ArticleAnalysis, ...]
    ranked: tuple[int, ...]
    matrix: np.ndarray
    present: np.ndarray
    order: np.ndarray  # bands × items with a signature
    hashes: np.ndarray  # bands × items with a signature
    place: np.ndarray  # bands × items (-1: no signature)
    first: np.ndarray
    last: np.ndarray
    leaders: np.ndarray
    groups: tuple[tuple[str, ...], ...]
    forbidden: dict[int, set[int]]  # forbidden_pairs of the items (read, never changed)


class _Collision(Exception):
    """Two different bands hash alike where it matters: the state is made anew."""


def story_state(analyses: Sequence[ArticleAnalysis], keys: Sequence[str]) -> StoryState:
    """group_stories of the analyses (`keys[i]` is analyses[i]'s story_key), as a state."""
    ranked = date_order(analyses)
    items = [analyses[i] for i in ranked]
    forbidden = forbidden_pairs(items)
    leaders = np.array(leaders_of(items, forbidden), dtype=np.int64)
    matrix = np.zeros((len(items), SIGNATURE_SIZE), dtype=np.uint64)
    for n, item in enumerate(items):
        if item.signature:
            matrix[n] = np.frombuffer(item.signature, dtype="<u8")
    present = np.array([bool(a.signature) for a in items], dtype=bool)
    with_signature = np.flatnonzero(present)
    bands = _band_hashes(matrix[with_signature])
    order = np.empty((BANDS, len(with_signature)), dtype=np.int64)
    for band in range(BANDS):
        order[band] = with_signature[np.lexsort((with_signature, bands[:, band]))]
    hashes = _band_hashes(matrix)[order, _BAND]
    return StoryState(
        tuple(keys[i] for i in ranked),
        tuple(items),
        tuple(ranked),
        matrix,
        present,
        order,
        hashes,
        _places(order, len(items)),
        np.array([a.days[0] for a in items], dtype=np.int64),
        np.array([a.days[1] for a in items], dtype=np.int64),
        leaders,
        stories_of(items, leaders.tolist()),
        forbidden,
    )


def update_stories(
    state: StoryState, analyses: Sequence[ArticleAnalysis], keys: Sequence[str]
) -> StoryState:
    """The state of these analyses, updated from `state` when only the ledes or signatures
    of some articles changed (same articles, dates, story links, and each with or without
    a signature as before); else made anew."""
    if len(analyses) != len(state.items):
        return story_state(analyses, keys)
    # The state's order, checked: an item whose key is the state's is the same article
    # (the key hashes its slug and dates); the others must keep their slug and dates.
    items = list(map(analyses.__getitem__, state.ranked))
    ordered_keys = tuple(map(keys.__getitem__, state.ranked))
    if ordered_keys == state.keys:
        return state
    pairs = enumerate(zip(ordered_keys, state.keys, strict=True))
    changed = [k for k, (new, old) in pairs if new != old]
    for k in changed:
        a, b = items[k], state.items[k]
        if (a.slug, a.days, a.same_story, a.not_same_story, bool(a.signature)) != (
            b.slug,
            b.days,
            b.same_story,
            b.not_same_story,
            bool(b.signature),
        ):
            return story_state(analyses, keys)
    try:
        return _updated(state, items, ordered_keys, changed)
    except _Collision:
        return story_state(analyses, keys)


def _updated(
    state: StoryState, items: list[ArticleAnalysis], keys: tuple[str, ...], changed: list[int]
) -> StoryState:
    """update_stories once the change is known to be local: `changed` items' signatures."""
    matrix = state.matrix.copy()
    for k in changed:
        if items[k].signature:
            matrix[k] = np.frombuffer(items[k].signature, dtype="<u8")
    order, hashes = _reordered(state, matrix, changed)
    after = _Buckets(matrix, order, hashes, _places(order, len(items)))
    before = _Buckets(state.matrix, state.order, state.hashes, state.place)
    update = _Update(state, items, after)  # the same slugs and links: the same forbidden
    for j in changed:
        update.needs[j] = True
        update.mark_followers(before, j)  # whose windows held j
        update.mark_followers(after, j)  # whose windows hold j now
        for member in np.flatnonzero(state.leaders == j).tolist():  # j's lede was theirs
            update.needs[member] = True
            update.mark_followers(after, member)
    update.prefetch()
    leaders = update.run(changed[0])
    same = np.array_equal(leaders, state.leaders)  # the same stories (links are the same)
    return StoryState(
        keys,
        tuple(items),
        state.ranked,
        matrix,
        state.present,
        order,
        hashes,
        after.place,
        state.first,
        state.last,
        leaders,
        state.groups if same else stories_of(items, leaders.tolist()),
        state.forbidden,
    )


@dataclass(frozen=True)
class _Buckets:
    """The signatures and, per band, the items by (band hash, index): see StoryState."""

    matrix: np.ndarray
    order: np.ndarray
    hashes: np.ndarray
    place: np.ndarray

    def near(self, item: int, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The items `steps` places from `item` in each band's order that share its bucket
        there, and those bands; raises _Collision for a band hash shared by another band."""
        places = self.place[:, item][:, None] + steps  # bands × steps
        inside = (places >= 0) & (places < self.order.shape[1])
        places = np.clip(places, 0, max(self.order.shape[1] - 1, 0))
        own = self.hashes[_BAND[:, 0], self.place[:, item]][:, None]
        same = inside & (self.hashes[_BAND, places] == own)
        found, bands = self.order[_BAND, places][same], np.broadcast_to(_BAND, same.shape)[same]
        for offset in range(BAND_ROWS):
            columns = bands * BAND_ROWS + offset
            if (self.matrix[found, columns] != self.matrix[item, columns]).any():
                raise _Collision
        return found, bands

    def earlier_of(
        self, items: np.ndarray, first: np.ndarray, last: np.ndarray
    ) -> dict[int, np.ndarray]:
        """`near(item, -steps)` for each of `items` (with a signature) at once, as each
        item's distinct candidates close enough in time (`first`/`last`: the items' days)."""
        places = self.place[:, items][:, :, None] - _STEPS[None]  # bands × items × steps
        inside = places >= 0  # the window looks back: never past the end
        places = np.maximum(places, 0)
        bands = np.broadcast_to(_BAND[:, :, None], places.shape)
        own = self.hashes[_BAND, self.place[:, items]][:, :, None]
        same = inside & (self.hashes[bands, places] == own)
        found = self.order[bands, places][same]
        owner = np.broadcast_to(items[None, :, None], places.shape)[same]
        bands = bands[same]
        for offset in range(BAND_ROWS):
            columns = bands * BAND_ROWS + offset
            if (self.matrix[found, columns] != self.matrix[owner, columns]).any():
                raise _Collision
        keep = last[found] >= first[owner] - STORY_MAX_DAYS
        pairs = sorted_unique(owner[keep] * len(self.place[0]) + found[keep])
        owner, found = np.divmod(pairs, len(self.place[0]))
        bounds = np.searchsorted(owner, items, side="left").tolist()
        ends = np.searchsorted(owner, items, side="right").tolist()
        return {
            item: found[start:end]
            for item, start, end in zip(items.tolist(), bounds, ends, strict=True)
        }


class _Ledes:
    """The items' ledes as frozensets, made when first asked for."""

    def __init__(self, items: Sequence[ArticleAnalysis]):
        self.items = items
        self.made: dict[int, frozenset[str]] = {}

    def __getitem__(self, index: int) -> frozenset[str]:
        """Item `index`'s lede, as a frozenset."""
        found = self.made.get(index)
        if found is None:
            found = self.made[index] = frozenset(self.items[index].lede)
        return found


class _Update:
    """One update's work: which items must be looked at again (`needs`), and their leaders."""

    def __init__(self, state: StoryState, items: list[ArticleAnalysis], buckets: _Buckets):
        self.state, self.items, self.buckets = state, items, buckets
        self.leaders = state.leaders.copy()
        self.needs = np.zeros(len(items), dtype=bool)
        self.ledes = _Ledes(items)
        self.forbidden = state.forbidden
        self.known: dict[int, np.ndarray] = {}  # earlier candidates found ahead, by item

    def mark_followers(self, buckets: _Buckets, source: int) -> None:
        """Mark the items whose earlier candidates may hold `source` (the WINDOW following
        it in each of its buckets), and those its `not_same_story` names."""
        for other in self.forbidden.get(source, ()):
            if other > source:
                self.needs[other] = True
        if self.state.present[source]:
            self.needs[buckets.near(source, _STEPS)[0]] = True

    def prefetch(self) -> None:
        """Find the earlier candidates of every item marked so far at once (one pass of
        array operations instead of one per item: most items looked at are these)."""
        marked = np.flatnonzero(self.needs & self.state.present)
        if len(marked):
            self.known = self.buckets.earlier_of(marked, self.state.first, self.state.last)

    def earlier(self, k: int) -> np.ndarray:
        """Item k's earlier candidates, as candidate_pairs finds them (see module doc)."""
        if not self.state.present[k]:
            return np.empty(0, dtype=np.int64)
        found = self.known.get(k)
        if found is None:  # an item marked on the way
            found = self.buckets.earlier_of(np.array([k]), self.state.first, self.state.last)[k]
        return found

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
                self.mark_followers(self.buckets, k)
            k += 1


def _reordered(
    state: StoryState, matrix: np.ndarray, changed: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each band's order and hashes with the changed items moved to their new buckets."""
    moving = [k for k in changed if state.present[k]]
    if not moving:
        return state.order, state.hashes
    moved = np.zeros(len(state.items), dtype=bool)
    moved[moving] = True
    new_hashes = _band_hashes(matrix[moving])  # moving × bands
    order, hashes = np.empty_like(state.order), np.empty_like(state.hashes)
    for band in range(BANDS):
        stay = ~moved[state.order[band]]
        kept, kept_hashes = state.order[band][stay], state.hashes[band][stay]
        entering = sorted(zip(new_hashes[:, band].tolist(), moving, strict=True))
        places = []
        for value, item in entering:
            low = np.searchsorted(kept_hashes, np.uint64(value), side="left")
            high = np.searchsorted(kept_hashes, np.uint64(value), side="right")
            places.append(low + np.searchsorted(kept[low:high], item))
        order[band] = np.insert(kept, places, [item for _, item in entering])
        hashes[band] = np.insert(kept_hashes, places, [value for value, _ in entering])
    return order, hashes


def _places(order: np.ndarray, count: int) -> np.ndarray:
    """Each item's place in each band's order (bands × items; -1 for none)."""
    place = np.full((BANDS, count), -1, dtype=np.int64)
    place[_BAND, order] = np.arange(order.shape[1])
    return place


def _band_hashes(matrix: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each band of each signature row (rows × bands): equal bands, equal
    hashes (the converse is checked on the rows)."""
    shaped = matrix.reshape(len(matrix), BANDS, BAND_ROWS)
    mixed = shaped[:, :, 0].copy()
    for offset in range(1, BAND_ROWS):
        mixed = mixed * np.uint64(0x9E3779B97F4A7C15) + shaped[:, :, offset]
    return mixed
