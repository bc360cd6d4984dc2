"""Same-story grouping on hand-made ledes: no chaining, and a story's span is bounded."""

from __future__ import annotations

from revue.analysis.article import ArticleAnalysis
from revue.analysis.minhash import signature
from revue.analysis.stories import STORY_MAX_DAYS, group_stories, same_story


def analysis(slug: str, day: int, stems: list[str], **overrides) -> ArticleAnalysis:
    """An analysed article of the given lede stems, dated on day ordinal `day`."""
    lede = tuple(sorted(set(stems)))
    return ArticleAnalysis(
        slug,
        "Le Monde",
        (day, day),
        (),
        (),
        "",
        False,
        "",
        (),
        (),
        (),
        lede,
        signature(lede),
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
