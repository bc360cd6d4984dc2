"""Themes, summaries, excerpts, French dates and stems."""

from __future__ import annotations

import random

import pytest

from revue.analysis.plain import sentences
from revue.analysis.summary import excerpt_of, summary_of
from revue.analysis.themes import assign_themes, score_themes
from revue.config import load_config
from revue.content import load_articles
from revue.dates import parse_date
from revue.text import fold, slugify, stems


def load_one(project):
    config = load_config(project.root)
    articles, errors = load_articles(config)
    assert errors == []
    return articles[0], config


@pytest.mark.parametrize(
    ("value", "french"),
    [
        ("2024-03-25", "25 mars 2024"),
        ("2024-03", "mars 2024"),
        ("2024-08-01", "1 août 2024"),
        ("2024-12-31T23:30:00+01:00", "31 décembre 2024"),
    ],
)
def test_french_dates_come_from_cldr(value, french):
    assert parse_date(value).french() == french


def test_accent_folding_stems_and_slugs():
    assert fold("Équipement À Noël") == "equipement a noel"
    assert stems("Les studios") == stems("le studio")
    assert stems("équipements") == stems("equipement")
    assert slugify("L’IA à Hollywood : « cœur » !") == "l-ia-a-hollywood-coeur"


def test_sentences_respect_abbreviations_and_quotes():
    text = (
        "Runway AI Inc. a lancé Gen-2. « C’est assez incroyable », a dit M. Kutcher. "
        "Vraiment ? Oui."
    )
    assert sentences(text) == [
        "Runway AI Inc. a lancé Gen-2.",
        "« C’est assez incroyable », a dit M. Kutcher.",
        "Vraiment ?",
        "Oui.",
    ]


def test_summary_prefers_central_sentences_and_the_lede(project):
    project.article(
        "a",
        body="""\
        ## Un intertitre

        OpenAI présente Sora aux studios de Hollywood cette semaine à Los Angeles.
        La météo était clémente sur la ville ce jour-là, disent les passants interrogés.

        Les studios de Hollywood étudient Sora, l’outil vidéo présenté par OpenAI.

        Un autre paragraphe parle de cuisine italienne et de recettes de pâtes fraîches.
    """,
    )
    article, _ = load_one(project)
    assert summary_of(article) == (
        "OpenAI présente Sora aux studios de Hollywood cette semaine à Los Angeles. "
        "Les studios de Hollywood étudient Sora, l’outil vidéo présenté par OpenAI."
    )


def test_summary_never_cuts_a_sentence(project):
    long = "Une phrase très longue " + "et encore plus longue " * 20 + "qui finit enfin."
    project.article("a", body=f"{long} Une deuxième phrase.\n")
    article, _ = load_one(project)
    assert summary_of(article) == long


def test_frontmatter_summary_and_excerpt_win(project):
    project.article(
        "a",
        "summary: Mon résumé.\nexcerpt: Mon extrait.\n",
        body="« Une citation assez longue pour être choisie comme extrait du texte ».\n",
    )
    article, _ = load_one(project)
    assert summary_of(article) == "Mon résumé."
    assert excerpt_of(article, "Mon résumé.") == "Mon extrait."


def test_excerpt_prefers_a_quotation_of_readable_length(project):
    project.article(
        "a",
        body="""\
        Le PDG parle. Il a dit « oui ».

        Puis : « Il doit y avoir une sorte de réglementation afin de nous protéger, sinon nous ne
        survivrons pas », a déclaré Tyler Perry.
    """,
    )
    article, _ = load_one(project)
    assert excerpt_of(article, summary_of(article)) == (
        "Il doit y avoir une sorte de réglementation afin de nous protéger, sinon nous ne "
        "survivrons pas"
    )


def test_themes_from_frontmatter_win(project):
    project.article("a", "themes: [competitors]\n", body="Les studios, les studios, les studios.\n")
    article, config = load_one(project)
    assert assign_themes(article, config) == ("competitors",)


def test_themes_are_assigned_from_stemmed_folded_terms(project):
    project.article(
        "a",
        title="Les concurrents de Sora",
        body="""\
        Runway et Pika proposent déjà des outils. La CONCURRENCE de Kling inquiète aussi.
    """,
    )
    article, config = load_one(project)
    scores = {s.theme_id: s for s in score_themes(article, config)}
    assert scores["competitors"].matches == (
        ("concurrent", 3),
        ("Kling", 1),
        ("Pika", 1),
        ("Runway", 1),
    )
    assert assign_themes(article, config) == ("competitors",)


def test_an_article_may_have_several_themes_or_none(project):
    project.article(
        "a",
        body="""\
        Les studios d’Hollywood reçoivent OpenAI en réunion pour un partenariat. Paramount
        et Universal assistent à la démonstration.
        Les syndicats craignent pour l’emploi : la grève menace, les travailleurs ont peur.
    """,
    )
    project.article("b", title="Météo", body="Il pleut sur Paris.\n")
    config = load_config(project.root)
    articles, _ = load_articles(config)
    themes = {a.slug: assign_themes(a, config) for a in articles}
    assert themes == {"a": ("studio-outreach", "labor-worries"), "b": ()}


@pytest.mark.parametrize(
    "text",
    [
        "L’IA d'OpenAI, jusqu’à «Sora»… Les studios’ « Studio »",
        "x² ٣ snake_case l'_a qu’il lorsqu'elle",
        "Newton-Rex--lui \u00a0 aujourd’hui-même\tÉQUIPES\n",
    ],
)
def test_memoized_stems_are_the_reference_stems(text):
    from revue.analysis.lexicon import fast_stems

    assert fast_stems(text) == stems(text)
    assert fast_stems(text) == stems(text)  # the second time from the caches


def test_sentence_centrality_sums_the_pairwise_similarities():
    from revue.analysis.summary import _centrality, _similarity

    bags = [{"a", "b", "c"}, {"a"}, set(), {"b", "c", "d", "e"}, {"a", "b", "c"}, {"z"}]
    expected = [
        sum(_similarity(bag, other) for j, other in enumerate(bags) if j != i)
        for i, bag in enumerate(bags)
    ]
    assert _centrality(bags) == expected
    assert expected[0] > 0 and expected[5] == 0
    rng = random.Random(7)  # as many sentences as a long article: the same floats still
    words = [f"w{n}" for n in range(60)]
    bags = [set(rng.sample(words, rng.randint(0, 12))) for _ in range(80)]
    expected = [
        sum(_similarity(bag, other) for j, other in enumerate(bags) if j != i)
        for i, bag in enumerate(bags)
    ]
    assert _centrality(bags) == expected
