"""Same-story grouping on hand-made ledes: no chaining, a story's span is bounded; the
preview's story updates give the same groups."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from revue.analysis import story_update
from revue.analysis.article import ArticleAnalysis
from revue.analysis.minhash import BAND_ROWS, SIGNATURE_SIZE, signature
from revue.analysis.stories import STORY_MAX_DAYS, group_stories, same_story, story_key
from revue.analysis.story_update import story_state, update_stories


def analysis(slug: str, day: int, stems: list[str], **overrides) -> ArticleAnalysis:
    """An analysed article of the given lede stems, dated on day ordinal `day`."""
    lede = tuple(sorted(set(stems)))
    return ArticleAnalysis(
        slug=slug,
        source="Le Monde",
        days=(day, day),
        theme_ids=(),
        summary="",
        summary_computed=False,
        excerpt="",
        quotes=(),
        names=(),
        persons=(),
        lede=lede,
        signature=signature(lede),
        **overrides,
    )


def stems(first: int, last: int) -> list[str]:
    return [f"mot{n}" for n in range(first, last)]


def test_a_chain_of_similar_pairs_is_not_one_story():
    # a~b and b~c share 20 of 60 stems each, a and c share none.
    a, b = analysis("a", 0, stems(0, 40)), analysis("b", 1, stems(20, 60))
    c = analysis("c", 2, stems(40, 80))
    assert same_story(a, b) and same_story(b, c) and not same_story(a, c)
    assert group_stories([c, b, a]) == (("a", "b"),)


def test_a_months_long_run_of_similar_articles_is_cut_into_stories():
    # One article every 3 days for 180 days, each sharing 30 stems of 50 with every other.
    run = [
        analysis(f"a{n:02d}", 3 * n, stems(0, 30) + stems(100 + 10 * n, 110 + 10 * n))
        for n in range(60)
    ]
    stories = group_stories(run)
    # Each story: its first article and those of the next STORY_MAX_DAYS days.
    assert stories == tuple(
        tuple(f"a{n:02d}" for n in range(k, min(k + 8, 60))) for k in range(0, 60, 8)
    )
    by_slug = {a.slug: a for a in run}
    for story in stories:
        first = by_slug[story[0]]
        for slug in story[1:]:
            member = by_slug[slug]
            assert same_story(first, member)
            assert member.days[0] - first.days[1] <= STORY_MAX_DAYS


def test_not_same_story_keeps_an_article_out_of_the_whole_story():
    lede = stems(0, 40)
    a, b = analysis("a", 0, lede), analysis("b", 1, lede)
    c = analysis("c", 2, lede, not_same_story=("a",))
    assert group_stories([a, b, c]) == (("a", "b"),)


def test_same_story_links_still_join_stories():
    a, b = analysis("a", 0, stems(0, 40)), analysis("b", 1, stems(0, 40))
    c, d = analysis("c", 40, stems(40, 80)), analysis("d", 41, stems(40, 80), same_story=("a",))
    assert group_stories([a, b, c, d]) == (("a", "b", "c", "d"),)


def random_lede(rng: random.Random) -> list[str]:
    """A lede on one of a few topics (its own words, and some every topic shares): similar
    within a topic, apart across topics; now and then none."""
    if rng.random() < 0.03:
        return []
    topic = rng.randrange(TOPICS)
    own = [f"t{topic}mot{n}" for n in range(30)]
    return rng.sample(own, rng.randint(10, 20)) + rng.sample(SHARED, rng.randint(0, 4))


def random_corpus(rng: random.Random, count: int) -> list[ArticleAnalysis]:
    """Articles over three months, some with month-long dates, a few story links."""
    corpus = []
    for n in range(count):
        day = rng.randint(0, 90)
        days = (day, day + 29) if rng.random() < 0.1 else (day, day)
        links = {}
        if n > 10 and rng.random() < 0.03:
            links["not_same_story"] = (f"a{rng.randrange(n)}",)
        if n > 10 and rng.random() < 0.02:
            links["same_story"] = (f"a{rng.randrange(n)}",)
        corpus.append(replace(analysis(f"a{n}", 0, random_lede(rng), **links), days=days))
    return corpus


TOPICS = 12
SHARED = [f"commun{n}" for n in range(8)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_updated_stories_are_the_stories_of_the_edited_articles(seed: int) -> None:
    rng = random.Random(seed)
    corpus = random_corpus(rng, 300)
    state = story_state(corpus, [story_key(a) for a in corpus])
    assert state.groups == group_stories(corpus)
    for _ in range(25):
        for n in rng.sample(range(len(corpus)), rng.choice((1, 1, 2, 5))):
            lede = sorted(set(random_lede(rng)))
            kept = corpus[n]
            corpus[n] = replace(kept, lede=tuple(lede), signature=signature(lede))
        state = update_stories(state, corpus, [story_key(a) for a in corpus])
        assert state.groups == group_stories(corpus)
    assert len(state.groups) > 10 and max(len(g) for g in state.groups) > 5  # not trivial


def test_stories_are_made_anew_when_dates_or_links_change() -> None:
    rng = random.Random(4)
    corpus = random_corpus(rng, 120)
    state = story_state(corpus, [story_key(a) for a in corpus])
    corpus[7] = replace(corpus[7], days=(200, 200))
    corpus[9] = replace(corpus[9], same_story=(corpus[3].slug,))
    updated = update_stories(state, corpus, [story_key(a) for a in corpus])
    assert updated.groups == group_stories(corpus)
    assert update_stories(updated, corpus, [story_key(a) for a in corpus]) is updated


def crafted(slug: str, day: int, lede: list[str], bands: dict[int, str]) -> ArticleAnalysis:
    """An analysis whose signature shares exactly the given LSH bands (band → tag) with the
    analyses given the same tags, and no other band (unlike MinHash's signatures)."""
    offset = 10**9 + 1000 * sum(map(ord, slug))  # apart from other slugs' and the tags'
    values = np.arange(SIGNATURE_SIZE, dtype=np.uint64) + np.uint64(offset)
    for band, tag in bands.items():
        values[band * BAND_ROWS : (band + 1) * BAND_ROWS] = sum(map(ord, tag))
    return replace(analysis(slug, day, lede), signature=values.astype("<u8").tobytes())


def updated_groups(before: list, after: list) -> tuple:
    state = story_state(before, [story_key(a) for a in before])
    return update_stories(state, after, [story_key(a) for a in after]).groups


def test_an_article_losing_its_only_candidate_leaves_the_story() -> None:
    # k is a candidate of j alone (band 0), j of the leader (band 1); all three ledes alike.
    lede = stems(0, 30)
    leader, j, k = (
        crafted("leader", 0, lede, {1: "x"}),
        crafted("j", 1, lede, {0: "y", 1: "x"}),
        crafted("k", 2, lede, {0: "y"}),
    )
    assert group_stories([leader, j, k]) == (("leader", "j", "k"),)
    moved = crafted("j", 1, lede, {1: "x", 2: "z"})  # j's signature leaves k's bucket
    assert group_stories([leader, moved, k]) == (("leader", "j"),)
    assert updated_groups([leader, j, k], [leader, moved, k]) == (("leader", "j"),)


def test_a_leader_whose_lede_changes_loses_or_wins_the_articles_it_matches() -> None:
    # e is near both ledes, k only the old one; k's only candidate is e.
    old, new = stems(0, 30), stems(25, 55)
    leader = crafted("leader", 0, old, {1: "x"})
    e = crafted("e", 1, stems(0, 55), {0: "y", 1: "x"})
    k = crafted("k", 2, old, {0: "y"})
    assert group_stories([leader, e, k]) == (("leader", "e", "k"),)
    edited = replace(leader, lede=tuple(sorted(new)))  # the same bands, another lede
    assert group_stories([edited, e, k]) == (("leader", "e"),)
    assert updated_groups([leader, e, k], [edited, e, k]) == (("leader", "e"),)
    # And back: k, outside the story, joins it through e when the leader's lede is k's.
    assert updated_groups([edited, e, k], [leader, e, k]) == (("leader", "e", "k"),)


def test_an_article_leaves_a_story_that_an_article_it_keeps_apart_from_joins() -> None:
    lede = stems(0, 30)
    s, e = crafted("s", 0, lede, {1: "x"}), crafted("e", 1, lede, {0: "y", 1: "x"})
    f, k = crafted("f", 1, lede, {}), crafted("k", 2, lede, {0: "y"})
    k = replace(k, not_same_story=("f",))
    joined = crafted("f", 1, lede, {1: "x"})  # f now a candidate of s: it joins the story
    assert group_stories([s, e, f, k]) == (("s", "e", "k"),)
    assert group_stories([s, e, joined, k]) == (("s", "e", "f"),)
    assert updated_groups([s, e, f, k], [s, e, joined, k]) == (("s", "e", "f"),)


def test_a_band_hash_shared_by_two_bands_makes_the_stories_anew(monkeypatch) -> None:
    # Band 0 of a and of b hash alike (revue/analysis/story_update.py) but differ.
    lede = stems(0, 30)
    mix = (1 << 64) - 0x9E3779B97F4A7C15 + 5  # 1 * multiplier + mix = 5 (mod 2**64)
    a, b = crafted("a", 0, lede, {1: "x"}), crafted("b", 1, lede, {1: "x"})
    values_a = np.frombuffer(a.signature, dtype="<u8").copy()
    values_b = np.frombuffer(b.signature, dtype="<u8").copy()
    values_a[0:2], values_b[0:2] = (0, 5), (1, mix)
    a = replace(a, signature=values_a.astype("<u8").tobytes())
    b = replace(b, signature=values_b.astype("<u8").tobytes())
    c = crafted("c", 2, lede, {1: "x"})
    state = story_state([a, b, c], [story_key(x) for x in (a, b, c)])
    made = []
    monkeypatch.setattr(
        story_update, "story_state", lambda *args: made.append(1) or story_state(*args)
    )
    edited = replace(b, lede=tuple(stems(0, 31)))  # b looked at again: its band 0 seen
    updated = update_stories(state, [a, edited, c], [story_key(x) for x in (a, edited, c)])
    assert made and updated.groups == group_stories([a, edited, c])
