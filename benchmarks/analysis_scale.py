"""Time the analysis at growing corpus sizes, to show the cross-article steps grow linearly.

    python benchmarks/analysis_scale.py --articles 1000 10000
    python benchmarks/analysis_scale.py --articles 1000 10000 --long

Articles come from benchmarks/corpus.py (a small shared vocabulary: every article looks
like every other, the worst case for same-story candidates), each given one quotation from
a pool of 3,000 with a speaker among 300 names, so quotation merging and the people index
have work. `--long` pads each body to 600–950 words of press prose (headings, a list, a
blockquote, emphasis, links), the length of a real article. Prints, per size: the
per-article analysis (what a build caches and spreads over worker processes; also in CPU
ms per article, steadier than wall time on a shared machine) and each cross-article step,
in seconds and per 1,000 articles (and all of them in CPU seconds).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import article_text

from revue.analysis.article import analyse_article
from revue.analysis.digest import digest_of
from revue.analysis.people import name_table, people_index
from revue.analysis.quotegroups import group_quotes
from revue.analysis.stories import group_stories
from revue.config import load_config
from revue.content import parse_article

FIRST = ("Claire", "Paul", "Mira", "Sam", "Tyler", "Ashton", "Brad", "Ed", "Joanna", "Eric")
LAST = [f"Nom{n:02d}" for n in range(30)]
VERBS = ("réclament", "refusent", "défendent", "imaginent", "financent", "redoutent")
NOUNS = ("les studios", "les scénaristes", "les monteurs", "les doubleurs", "les agences")


def quoted_paragraph(index: int, rng: random.Random) -> str:
    """One attributed quotation drawn from a fixed pool, so outlets relay the same ones."""
    number = rng.randrange(3000)
    words = random.Random(number)
    speaker = f"{words.choice(FIRST)} {words.choice(LAST)}"
    vocabulary = " ".join(f"terme{words.randrange(5000)}" for _ in range(8))
    quote = (
        f"{words.choice(NOUNS).capitalize()} {words.choice(VERBS)} {words.choice(NOUNS)} "
        f"pour {vocabulary}"
    )
    return f"\n« {quote} », a déclaré {speaker}, directeur de la société.\n"


_PROSE = (
    "les studios les scénaristes les doubleurs testent réclament craignent un outil de "
    "génération vidéo une régulation européenne la concurrence de Runway et de Pika "
    "selon un rapport publié cette semaine les syndicats du cinéma demandent des garanties "
    "sur les emplois les contrats et la rémunération des auteurs face aux modèles entraînés "
    "sans autorisation à Hollywood comme à Paris les producteurs indépendants hésitent"
)
PROSE = _PROSE.split(" ")


def long_body(rng: random.Random) -> str:
    """600–950 words of Markdown press prose: paragraphs with *emphasis* and links, one
    `##` heading, a list and a blockquote, like the articles of a real review."""

    def sentence(low: int = 8, high: int = 22) -> str:
        words = rng.choices(PROSE, k=rng.randint(low, high))
        if rng.random() < 0.15:
            words[1] = f"*{words[1]}*"
        return " ".join(words).capitalize() + rng.choice(".....?!")

    blocks, words = [], 0
    target = rng.randint(600, 950)
    while words < target:
        paragraph = " ".join(sentence() for _ in range(rng.randint(3, 6)))
        if rng.random() < 0.3:
            paragraph += " Voir [le rapport](https://example.org/rapport)."
        blocks.append(paragraph)
        words += len(paragraph.split())
        if len(blocks) == 2:
            blocks.append("## Une filière sous pression")
            blocks.append("\n".join(f"- {sentence(4, 10)}" for _ in range(3)))
            blocks.append(f"> « {sentence(10, 20)[:-1]} », explique une productrice.")
    return "\n\n".join(blocks) + "\n"


def corpus(count: int, config, long: bool = False) -> list:
    """`count` parsed articles of the benchmark corpus, each with a quotation (and with
    long bodies when `long`)."""
    rng = random.Random(1)
    articles = []
    for index in range(count):
        name, text = article_text(index, rng)
        article, errors = parse_article(f"content/articles/{name}", text.encode(), config)
        assert article is not None, errors
        articles.append(article)
    quotes, bodies = random.Random(2), random.Random(3)
    return [
        parse_article(
            a.path, _with_quote(a, quotes, index, bodies if long else None).encode(), config
        )[0]
        for index, a in enumerate(articles)
    ]


def _with_quote(article, rng: random.Random, index: int, bodies: random.Random | None) -> str:
    body = article.body + ("\n" + long_body(bodies) if bodies else "")
    return (
        f"---\ntitle: {article.title!r}\ndate: {article.date.iso}\nsource: {article.source}\n"
        f"---\n\n{body}{quoted_paragraph(index, rng)}"
    )


def analyse_all(articles: list, config) -> tuple[list, float]:
    """The analyses, and the CPU seconds they took."""
    start = time.process_time()
    analyses = [analyse_article(a, config) for a in articles]
    return analyses, time.process_time() - start


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--long", action="store_true", help="600–950-word bodies")
    args = parser.parse_args()
    config = load_config(Path(__file__).resolve().parents[1])
    print(
        f"{'articles':>9} {'per-article':>12} {'CPU ms/art':>10} {'stories':>8} {'names':>8} "
        f"{'quotes':>8} {'people':>8} {'cross total':>12} {'cross per 1k':>13} {'cross CPU':>10}  "
        "stories/quote groups"
    )
    for count in args.articles:
        articles = corpus(count, config, args.long)
        (analyses, cpu), per_article = timed(analyse_all, articles, config)
        stories, t_stories = timed(group_stories, analyses)
        table, t_names = timed(name_table, analyses, config)
        quotes, t_quotes = timed(group_quotes, analyses, stories, table)
        _, t_people = timed(people_index, analyses, config, table, [g.speaker for g in quotes])
        start_cpu = time.process_time()
        digest, t_total = timed(digest_of, analyses, config)
        cross_cpu = time.process_time() - start_cpu
        assert digest.stories == stories
        print(
            f"{count:>9} {per_article:>11.2f}s {cpu / count * 1000:>10.2f} "
            f"{t_stories:>7.2f}s {t_names:>7.2f}s "
            f"{t_quotes:>7.2f}s {t_people:>7.2f}s {t_total:>11.2f}s "
            f"{t_total / count * 1000:>12.3f}s {cross_cpu:>9.2f}s  {len(stories)}/{len(quotes)}"
        )


if __name__ == "__main__":
    main()
