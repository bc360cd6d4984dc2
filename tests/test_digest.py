"""The digest: computed summaries, quotations and their speakers, same-story grouping,
merged quotations, the people index, the editor's overrides and `check --explain`."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from revue.analysis.article import analyse_article
from revue.analysis.digest import build_digest
from revue.analysis.plain import paragraphs, sentences
from revue.analysis.quotes import find_quotes
from revue.analysis.summary import SUMMARY_MAX_CHARS, computed_summary
from revue.config import load_config
from revue.content import load_articles

REPO = Path(__file__).resolve().parents[1]

BLOOMBERG_RELAYS = (
    "comment-openai-tenterait-de-seduire-hollywood",
    "openai-lance-une-offensive-de-charme-a-hollywood",
    "openai-seduit-hollywood-avec-son-ia-revolutionnaire",
)


@pytest.fixture(scope="module")
def seeds():
    config = load_config(REPO)
    articles, errors = load_articles(config)
    assert errors == []
    return articles, config, build_digest(articles, config)


def load(project):
    config = load_config(project.root)
    articles, errors = load_articles(config)
    assert errors == []
    return articles, config


# Seeds


def test_the_outlets_relaying_the_bloomberg_report_are_one_story(seeds):
    _, _, digest = seeds
    assert digest.stories == (BLOOMBERG_RELAYS,)


def test_the_tyler_perry_quote_is_attributed_to_him_in_both_outlets(seeds):
    _, _, digest = seeds
    group = next(g for g in digest.quotes if "nous protéger" in g.quote.text)
    assert group.speaker == "Tyler Perry"
    assert [slug for slug, _ in group.sources] == [
        "openai-lance-une-offensive-de-charme-a-hollywood",  # « Perry a expliqué… : »
        "le-generateur-de-videos-d-openai-allie-ou-ennemi-des-videastes",  # « Tyler Perry… : »
    ]


def test_every_computed_summary_is_whole_sentences_of_its_article(seeds):
    articles, _, _ = seeds
    for article in articles:
        whole = {s for p in paragraphs(article.body) for s in sentences(p)}
        summary = computed_summary(article.body)
        chosen = sentences(summary)
        assert 1 <= len(chosen) <= 3, article.path
        assert all(s in whole for s in chosen), article.path
        assert len(chosen) == 1 or len(summary) <= SUMMARY_MAX_CHARS


def test_seed_speakers_come_from_the_text(seeds):
    _, _, digest = seeds
    speakers = {g.quote.text[:30]: g.speaker for g in digest.quotes}
    assert speakers["J'ai une version bêta et c'est"] == "Ashton Kutcher"
    assert speakers["Artistwashing : lorsque vous s"] == "Ed Newton-Rex"
    assert speakers["Artistwashing: when you solici"] == "Ed Newton-Rex"  # the tweet
    assert speakers["On a l'impression qu'il va rév"] == "Claire Enders"  # after her first one
    assert speakers["Aussi impressionnant que soit "] == ""  # « souligner shy kids »: no name


def test_the_people_index_merges_surnames_and_config_aliases(seeds):
    _, _, digest = seeds
    people = {p.name: p for p in digest.people}
    assert people["Sam Altman"].aliases == ("Altman",)
    assert len(people["Sam Altman"].slugs) == 3
    assert people["Kuaishou"].aliases == ("Kling",)
    kling = [digest.quotes[i] for i in people["Kuaishou"].quotes]  # quotations naming it
    assert [g.speaker for g in kling] == ["Mark Gadala-Maria"]
    assert people["Tyler Perry"].kind == "personne"
    assert "Altman" not in people and "Perry" not in people
    assert not any(name.startswith(("un ", "une ")) for name in people)


# Quotations, by hand


def test_an_unattributed_quote_has_no_speaker():
    body = (
        "Le texte circule depuis lundi : « Nous ne laisserons pas les machines écrire nos "
        "films à notre place ». Personne ne sait qui l’a écrit.\n"
    )
    (quote,) = find_quotes(body)
    assert (quote.text, quote.speaker) == (
        "Nous ne laisserons pas les machines écrire nos films à notre place",
        "",
    )


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("« Nous allons tout changer dans ce métier », a déclaré Mira Murati.", "Mira Murati"),
        ("Selon Mira Murati, « nous allons tout changer dans ce métier ».", "Mira Murati"),
        (
            "La directrice Mira Murati a prévenu : « Nous allons tout changer au cinéma ».",
            "Mira Murati",
        ),
        ("« Nous allons tout changer dans ce métier », indique Mira Murati.", "Mira Murati"),
        (
            "« Nous allons tout changer dans ce métier », a déclaré un porte-parole.",
            "un porte-parole",
        ),
        ("Sam Altman et Mira Murati ont dit : « Nous allons tout changer au cinéma ».", ""),
    ],
)
def test_the_speaker_is_only_who_the_sentence_names(body, speaker):
    (quote,) = find_quotes(body + "\n")
    assert quote.speaker == speaker


def test_a_tweet_is_signed_by_its_author():
    body = """\
{lang=en .tweet}
> We are not afraid of the new tools, we just want a fair deal. <https://t.co/x>
>
> — SAG-AFTRA (@sagaftra), 25 mars 2024
"""
    (quote,) = find_quotes(body)
    assert (quote.text, quote.speaker, quote.handle, quote.lang, quote.tweet) == (
        "We are not afraid of the new tools, we just want a fair deal.",
        "SAG-AFTRA",
        "sagaftra",
        "en",
        True,
    )


# Stories and merged quotations, by hand

STORY = (
    "Le studio Lumina a signé mardi à Lyon un accord avec la start-up Pixcine pour produire "
    "trois longs métrages d’animation générés en partie par l’intelligence artificielle, "
    "avec les vidéos de Sora d’OpenAI. "
    "Le montant du contrat, 40 millions d’euros, fait de Lumina le premier studio européen "
    "à parier sur la génération de vidéos pour le cinéma. {extra}\n\n"
    "« Ce partenariat change notre manière de fabriquer des films d’animation », a déclaré "
    "Claire Dubois, présidente de Lumina.\n"
)
# A footer an outlet repeats under every article.
FOOTER = (
    "Abonnez-vous à notre lettre d’information pour suivre l’actualité de l’intelligence "
    "artificielle, de la vidéo et du cinéma, de Sora d’OpenAI à Hollywood."
)


def test_two_outlets_telling_one_story_are_grouped_and_the_quote_shown_once(project, run_cli):
    for name, source, extra in (
        ("a", "Le Monde", "Les équipes lyonnaises seront formées dès l’été."),
        ("b", "Libération", "Pixcine fournira aussi ses outils aux monteurs du studio."),
        ("c", "Le Figaro", "Le premier film doit sortir en 2026."),
    ):
        project.article(
            name, "themes: [studio-outreach]\n", STORY.format(extra=extra), source=source
        )
    articles, config = load(project)
    digest = build_digest(articles, config)
    assert digest.stories == (("a", "b", "c"),)
    (quote,) = digest.quotes
    assert quote.speaker == "Claire Dubois" and [s for s, _ in quote.sources] == ["a", "b", "c"]
    assert run_cli(project, "build")[0] == 0
    theme = (project.root / "_site/themes/demarchage-des-studios/index.html").read_text()
    citations = theme.split('<h2 id="citations">')[1]
    assert citations.count("Ce partenariat change notre manière") == 1
    assert "Rapportée par 3 médias\u00a0:" in theme and "</time>\u202f;" in theme
    assert theme.count('class="entry"') == 1 and "Également traité par" in theme
    page = (project.root / "_site/articles/b/index.html").read_text()
    assert "Également traité par" in page and 'href="../../articles/c/"' in page


def test_unrelated_articles_sharing_boilerplate_words_are_not_grouped(project):
    # Both ledes use the review's common words (intelligence artificielle, générer, vidéo,
    # cinéma, OpenAI, Sora, studio) about different events, and both end with one footer.
    project.article("a", body=f"{STORY.format(extra='')}\n{FOOTER}\n")
    project.article(
        "b",
        body="Inquiets de Sora, le générateur de vidéos d’OpenAI, les doubleurs français ont "
        "manifesté jeudi devant le ministère de la Culture contre le clonage de leurs voix "
        "par l’intelligence artificielle. Ils réclament une loi avant l’été, comme leurs "
        "collègues américains du syndicat SAG-AFTRA, pour protéger le cinéma et les studios "
        "de doublage.\n\n"
        f"{FOOTER}\n",
        source="Libération",
    )
    articles, config = load(project)
    analyses = [analyse_article(a, config) for a in articles]
    shared = set(analyses[0].lede) & set(analyses[1].lede)
    assert {"open", "sor", "video", "intelligent", "artificiel"} <= shared
    assert build_digest(articles, config).stories == ()


def test_an_unattributed_quote_is_shown_as_such(project, run_cli):
    project.article(
        "a",
        "themes: [labor-worries]\n",
        "Sur les pancartes : « Pas de films sans les humains qui les fabriquent ».\n",
    )
    assert run_cli(project, "build")[0] == 0
    theme = (project.root / "_site/themes/inquietudes-des-metiers/index.html").read_text()
    assert "«\u202fPas de films sans les humains qui les fabriquent\u202f»" in theme
    assert "Citation non attribuée" in theme


# Overrides


def test_frontmatter_features_hides_and_attributes_quotes(project):
    project.article(
        "a",
        'quotes:\n  - {text: "Pas de films sans", speaker: Fran Drescher}\n'
        "  - Une citation ajoutée par la rédaction\n"
        'hide_quotes: ["Nous ne signerons"]\n',
        "« Nous ne signerons rien sans garanties sur les emplois », dit le texte. Sur les "
        "pancartes : « Pas de films sans les humains qui les fabriquent ».\n",
    )
    (article,), config = load(project)
    quotes = analyse_article(article, config).quotes
    assert [(q.text, q.speaker, q.featured) for q in quotes] == [
        ("Pas de films sans les humains qui les fabriquent", "Fran Drescher", True),
        ("Une citation ajoutée par la rédaction", "", True),
    ]


def test_frontmatter_links_and_unlinks_stories(project):
    project.article("a", "same_story: [b]\n", "Un texte sur la grève des doubleurs.\n")
    project.article("b", body="Un autre texte, sur un studio lyonnais.\n")
    project.article("c", "not_same_story: [d]\n", STORY.format(extra=""))
    project.article("d", body=STORY.format(extra=""))
    articles, config = load(project)
    assert build_digest(articles, config).stories == (("a", "b"),)


def test_malformed_overrides_are_errors(project, run_cli):
    project.article("a", "quotes: {text: oui}\nsame_story: b\n")
    code, _, err = run_cli(project, "check")
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/articles/a.md:5: 'quotes' must be a list of texts or of {text: …, speaker: …}",
        "content/articles/a.md:6: 'same_story' must be a list of texts like [a, b]",
    ]


def test_config_people_add_aliases_and_hide_names(project):
    project.write(
        "site.toml",
        (project.root / "site.toml").read_text()
        + '\n[[people]]\nname = "Lumina"\nkind = "organisation"\naliases = ["Studio Lumina"]\n'
        '\n[[people]]\nname = "Claire Dubois"\nhide = true\n',
    )
    project.article("a", body=STORY.format(extra=""))
    articles, config = load(project)
    people = {p.name: p for p in build_digest(articles, config).people}
    assert people["Lumina"].slugs == ("a",) and people["Lumina"].kind == "organisation"
    assert "Claire Dubois" not in people


# Determinism, purity, explain


def test_article_analysis_is_plain_picklable_and_stable(seeds):
    articles, config, digest = seeds
    analysis = analyse_article(articles[2], config)
    assert pickle.loads(pickle.dumps(analysis)) == analysis == digest.analyses[articles[2].slug]
    assert dataclasses.is_dataclass(analysis)
    script = (
        "from revue.analysis.minhash import signature;"
        "print(signature(['studio', 'hollywood', 'openai'])[:4])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={"PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_check_explain_shows_summary_quotes_and_story(seeds, monkeypatch, capsys):
    from revue.cli import main

    monkeypatch.chdir(REPO)
    assert main(["check", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "  same story as: comment-openai-tenterait-de-seduire-hollywood, " in out
    assert "  quotations: 13, 12 with their speaker" in out
    assert "  summary (from the frontmatter): Ashton Kutcher considère Sora" in out


def test_a_malformed_people_entry_is_a_config_error(project, run_cli):
    text = (project.root / "site.toml").read_text()
    project.write("site.toml", text + '\n[[people]]\nname = "Lumina"\nkind = "studio"\n')
    line = len(text.splitlines()) + 2
    number = text.count("[[people]]") + 1
    project.article("a")
    code, _, err = run_cli(project, "check")
    assert code == 1
    assert err.splitlines()[0] == (
        f"site.toml:{line}: people #{number} must have a text 'name', and may have kind = "
        '"personne" or "organisation", aliases = ["…"], hide = true'
    )


def test_minhash_signature_is_the_integer_formula():
    """The vectorised signature equals min over tokens of ((a·h + b) mod 2⁶⁴) mod (2⁶¹ − 1)."""
    from revue.analysis.minhash import _PERMUTATIONS, signature, token_hash

    for tokens in (
        [],
        ["studio"],
        ["studio", "hollywood", "openai"],
        [f"t{n}" for n in range(300)],
    ):
        hashes = [token_hash(t) for t in tokens]
        expected = (
            tuple(
                min(((a * h + b) % 2**64) % (2**61 - 1) for h in hashes) for a, b in _PERMUTATIONS
            )
            if hashes
            else ()
        )
        assert signature(tokens) == b"".join(v.to_bytes(8, "little") for v in expected)


def test_candidate_pairs_are_every_pair_sharing_a_band_within_the_window():
    """candidate_pairs equals a brute force: each bucket of a band pairs its members (in
    index order) with their next `window` ones; the union over bands, each pair once,
    sorted by later item then earlier. Enough items and bands that the pairs are merged
    from several batches (MERGE_BANDS)."""
    import random

    from revue.analysis.minhash import BAND_ROWS, SIGNATURE_SIZE, candidate_pairs, signature

    chooser = random.Random(7)
    vocabulary = [f"w{n}" for n in range(40)]
    signatures = [signature(chooser.sample(vocabulary, 12)) for _ in range(60)] + [b""]
    window = 3
    expected: set[tuple[int, int]] = set()
    for band in range(0, SIGNATURE_SIZE * 8, BAND_ROWS * 8):
        buckets: dict[bytes, list[int]] = {}
        for n, sig in enumerate(signatures):
            if sig:
                buckets.setdefault(sig[band : band + BAND_ROWS * 8], []).append(n)
        for members in buckets.values():
            for k, i in enumerate(members):
                expected.update((i, j) for j in members[k + 1 : k + 1 + window])
    first, later = candidate_pairs(signatures, window)
    assert list(zip(first.tolist(), later.tolist(), strict=True)) == sorted(
        expected, key=lambda pair: (pair[1], pair[0])
    )
    assert len(expected) > 100  # a test that pairs something


def test_merged_unique_is_the_sorted_union():
    import numpy as np

    from revue.analysis.minhash import merged_unique

    chooser = np.random.default_rng(3)
    for size in (0, 1, 50, 5000):
        first = np.unique(chooser.integers(0, 2 * size + 1, size))
        second = np.unique(chooser.integers(0, 2 * size + 1, size // 2 + 1))
        assert merged_unique(first, second).tolist() == np.union1d(first, second).tolist()
