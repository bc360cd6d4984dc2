"""A deterministic synthetic corpus of French press articles for the benchmarks.

`write_corpus(root, count)` writes `root/content/articles/NNNNN-slug.md`, each with the
frontmatter keys title, date (ISO datetime), source, url, themes (ids of the default
site.toml) and tags, and a body of a few paragraphs. The same (count, seed) always gives
the same files. Run as a script to make a corpus by hand:

    python benchmarks/corpus.py OUTDIR --articles 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

SOURCES = (
    "Le Monde",
    "Libération",
    "Le Figaro",
    "Les Échos",
    "France Info",
    "Numerama",
    "Le Parisien",
    "Ouest-France",
    "Télérama",
    "La Tribune",
)
THEMES = ("studio-outreach", "labor-worries", "competitors")
TAGS = ("ia-generative", "animation", "doublage", "syndicats", "cinema", "regulation", "emploi")
SUBJECTS = (
    "Les studios d’animation",
    "Les scénaristes",
    "Une start-up parisienne",
    "Le syndicat des techniciens",
    "Les producteurs indépendants",
    "Un géant américain",
)
VERBS = ("s’inquiètent de", "misent sur", "négocient avec", "dénoncent", "testent", "adoptent")
OBJECTS = (
    "la génération de vidéos",
    "Sora",
    "les outils d’OpenAI",
    "la concurrence de Runway",
    "un accord de branche inédit",
    "les modèles entraînés sans autorisation",
)
_TEXT = (
    "le studio présente un outil de génération vidéo aux producteurs et aux agences "
    "les syndicats craignent pour les emplois du cinéma et réclament une régulation "
    "la concurrence de Runway Pika et Google accélère sur le marché des images "
    "une réunion à Hollywood doit convaincre les réalisateurs de tester la démonstration"
)
WORDS = _TEXT.split()


def article_text(index: int, rng: random.Random) -> tuple[str, str]:
    """One article: (file name, file text)."""
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    slug = f"article-{index:05d}"
    start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    date = start + dt.timedelta(hours=7 * index + rng.randrange(6))
    themes = sorted(rng.sample(THEMES, rng.randint(1, 2)))
    tags = sorted(rng.sample(TAGS, 2))
    paragraphs = [
        " ".join(
            " ".join(rng.choices(WORDS, k=rng.randint(8, 18))).capitalize() + "."
            for _ in range(rng.randint(2, 4))
        )
        for _ in range(rng.randint(2, 4))
    ]
    text = (
        "---\n"
        f'title: "{title} ({index})"\n'
        f"date: {date.isoformat()}\n"
        f"source: {rng.choice(SOURCES)}\n"
        f"url: https://example.org/articles/{slug}\n"
        f"themes: [{', '.join(themes)}]\n"
        f"tags: [{', '.join(tags)}]\n"
        "---\n\n" + "\n\n".join(paragraphs) + "\n"
    )
    return f"{date:%Y-%m-%d}-{slug}.md", text


def write_corpus(root: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` articles under `root/content/articles/`; return their paths."""
    rng = random.Random(seed)
    folder = root / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        name, text = article_text(index, rng)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Command line: write a corpus into OUTDIR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write_corpus(args.outdir, args.articles, args.seed)
    print(f"Wrote {len(paths)} articles under {args.outdir / 'content' / 'articles'}/")


if __name__ == "__main__":
    main()
