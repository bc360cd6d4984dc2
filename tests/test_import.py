"""Tests for the importer: pasted web pages → Markdown articles with frontmatter."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import frontmatter
import pytest

from revue.import_command import import_files
from revue.ingest import ImportResult, article_file_name, article_file_text, import_text
from revue.ingest.sentences import sentences, unglue

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = {path.name[:3]: path for path in sorted((FIXTURES / "seeds").glob("*.txt"))}
TODAY = dt.date(2025, 6, 1)


@cache
def seed(number: str, **options: str) -> ImportResult:
    """Import one of the five pasted pages."""
    return import_text(SEEDS[number].read_text(encoding="utf-8"), today=TODAY, **options)


def fixture(name: str) -> ImportResult:
    """Import one of the small hand-written pages."""
    return import_text((FIXTURES / "import" / name).read_text(encoding="utf-8"), today=TODAY)


def paragraphs(body: str) -> list[str]:
    """The plain paragraphs of a body: no headings, tweets or attribute lines."""
    blocks = [block.strip() for block in body.split("\n\n")]
    return [b for b in blocks if b and not b.startswith(("#", ">", "{"))]


# --- what each seed gives ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "title"),
    [
        ("001", "OpenAI séduit Hollywood avec son IA révolutionnaire pour vidéos"),
        ("004", "Le générateur de vidéos d’OpenAI, allié ou ennemi des vidéastes ?"),
    ],
)
def test_title_is_the_first_line(number: str, title: str) -> None:
    result = seed(number)
    assert result.metadata["title"] == title
    assert title not in result.body


@pytest.mark.parametrize("number", ["000", "002", "003"])
def test_page_starting_with_the_lede_has_no_title(number: str) -> None:
    result = seed(number)
    assert "title" not in result.metadata
    assert "no title found: add `title:` by hand" in result.notes


@pytest.mark.parametrize("number", ["000", "003"])
def test_date_marker_gives_the_month(number: str) -> None:
    result = seed(number)
    assert result.metadata["date"] == "2024-03"
    assert "date 2024-03" not in result.body
    assert not any(note.startswith("date ") for note in result.notes)


def test_date_cited_with_its_weekday_is_used_with_a_note() -> None:
    result = seed("004")
    assert result.metadata["date"] == "2024-03-25"
    assert (
        "date 2024-03-25 taken from a date cited in the text (« lundi 25 mars »): check it"
        in result.notes
    )


def test_date_of_a_tweet_is_the_last_resort() -> None:
    result = seed("002")
    assert result.metadata["date"] == "2024-06-07"
    assert "date 2024-06-07 taken from a date cited in the text (a tweet): check it" in (
        result.notes
    )


def test_page_without_any_date_leaves_it_out() -> None:
    result = seed("001")
    assert "date" not in result.metadata
    assert "no date found: add `date:` by hand" in result.notes


@pytest.mark.parametrize(
    ("number", "sources", "line"),
    [
        ("000", ["OpenAI", "Bloomberg"], "Sources : OpenAI"),
        ("001", ["CNEWS"], "Source : CNEWS"),
        ("002", ["Ashton Kutcher", "Oliver Zeller"], "Sources : Ashton Kutcher"),
    ],
)
def test_sources_line_becomes_a_list(number: str, sources: list[str], line: str) -> None:
    result = seed(number)
    assert result.metadata["sources"] == sources
    assert line not in result.body


@pytest.mark.parametrize("number", ["003", "004"])
def test_no_sources_line_no_sources(number: str) -> None:
    assert "sources" not in seed(number).metadata


def test_lone_source_line_naming_an_uncited_outlet_is_the_outlet() -> None:
    result = seed("001")
    assert result.metadata["source"] == "CNEWS"
    assert any("« CNEWS »" in note and "check it" in note for note in result.notes)


@pytest.mark.parametrize("number", ["000", "002", "003", "004"])
def test_outlet_is_left_out_when_unknown(number: str) -> None:
    result = seed(number)
    assert "source" not in result.metadata
    assert "no outlet found: add `source:` by hand (or pass --source)" in result.notes


def test_source_and_url_given_by_the_editor_win() -> None:
    result = seed("001", source="Le Monde", url="https://www.lemonde.fr/article")
    assert result.metadata["source"] == "Le Monde"
    assert result.metadata["url"] == "https://www.lemonde.fr/article"
    assert result.metadata["sources"] == ["CNEWS"]


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_no_url_is_guessed_and_language_is_french(number: str) -> None:
    result = seed(number)
    assert "url" not in result.metadata
    assert "author" not in result.metadata
    assert result.metadata["lang"] == "fr"
    assert list(result.metadata) == [
        key
        for key in ("title", "date", "source", "author", "url", "sources", "summary", "lang")
        if key in result.metadata
    ]


# --- page chrome ---------------------------------------------------------------------------

CHROME = [
    ("001", "Temps de lecture"),
    ("001", "Notez cet article"),
    ("001", "Sommaire"),
    ("001", "Laisser un commentaire"),
    ("001", "Votre adresse e-mail ne sera pas publiée"),
    ("004", "Pour afficher ce contenu"),
    ("004", "Ces cookies et traceurs"),
    ("004", "Plus d’infos."),
    ("004", "« Accepter »"),
    ("004", "Publier un commentaire"),
    ("004", "Ajouter un commentaire"),
    ("004", "Votre adresse email ne sera pas publiée"),
    ("004", "Sujets liés :"),
    ("004", "Je m'inscris"),
    ("004", "webinar"),
    ("004", "Visuel enquête"),
    ("004", "Les meilleurs outils pour les professionnels du web"),
    ("004", "© Patrick - stock.adobe.com"),
    ("002", "Voir aussi :"),
    ("002", "Sam Altman tente de convaincre Hollywood"),
    ("002", "Et vous ?"),
    ("002", "Envisagez-vous un futur"),
    ("000", "Que pensez-vous des propos"),
    ("000", "L’IA peut-elle révolutionner la créativité cinématographique ?"),
    ("000", "Quelles sont les limites de l’IA dans le cinéma ?"),
]


@pytest.mark.parametrize(("number", "phrase"), CHROME)
def test_chrome_is_dropped_and_reported(number: str, phrase: str) -> None:
    result = seed(number)
    assert phrase.strip("« »") not in result.body
    assert phrase in "\n".join(result.dropped)


@pytest.mark.parametrize(
    ("number", "phrase"),
    [
        ("002", "Quel rôle l’IA devrait-elle jouer"),
        ("002", "Sora : OpenAI lance un modèle"),
        ("004", "Accepter"),
        ("004", "Community managers"),
    ],
)
def test_chrome_is_gone_from_the_body(number: str, phrase: str) -> None:
    assert phrase not in seed(number).body


def test_dropped_items_are_labelled() -> None:
    dropped = seed("001").dropped
    assert "reading-time widget: « ⌛ Temps de lecture : 2 minutes »" in dropped
    assert "rating widget: « Notez cet article »" in dropped
    assert "table of contents: « Sommaire »" in dropped


def test_table_of_contents_keeps_a_heading_it_does_not_repeat() -> None:
    body = seed("001").body
    assert body.startswith("## La percée de Sora dans le monde du cinéma\n\n")
    assert "## Une technologie contestée à Hollywood" in body
    assert "## OpenAI vise des partenariats dans le cinéma" in body


def test_hidden_embeds_are_noted() -> None:
    notes = seed("004").notes
    assert any(note.startswith("2 embedded social-media post(s)") for note in notes)


# --- tweets ----------------------------------------------------------------------------------


def test_plain_text_tweets_become_blockquotes() -> None:
    body = seed("000").body
    assert body.count("{lang=en .tweet}\n>") == 3
    assert (
        "{lang=en .tweet}\n"
        "> Artistwashing: when you solicit positive comments about your generative AI model "
        "from a handful of creators, while training on people's work without "
        "permission/payment. <https://t.co/YarexRGEu2>\n"
        ">\n"
        "> — Ed Newton-Rex (@ednewtonrex), 25 mars 2024"
    ) in body
    assert "> — OpenAI (@OpenAI), 15 février 2024" in body
    assert "> — OpenAI (@OpenAI), 25 mars 2024" in body


def test_tweet_text_spanning_several_lines_is_gathered() -> None:
    result = seed("000")
    assert result.body.startswith(
        "{lang=en .tweet}\n> Introducing Sora, our text-to-video model.\n>\n> Sora can create"
    )
    assert "> Prompt: “Beautiful, snowy… [pic.twitter.com/ruTEWn87vf]" in result.body
    assert any(note.startswith("tweet by OpenAI (@OpenAI)") for note in result.notes)


def test_raw_tweet_embed_becomes_a_blockquote() -> None:
    body = seed("002").body
    assert (
        "{lang=en .tweet}\n"
        "> Move over OpenAI.\n"
        ">\n"
        "> A Chinese competitor KLING is taking over text to video.\n"
    ) in body
    assert (
        "> 1.) Woman walks on the beach [pic.twitter.com/iTugvICC3h](https://t.co/iTugvICC3h)\n"
        ">\n"
        "> — Mark Gadala-Maria (@markgadala), "
        "[7 juin 2024](https://twitter.com/markgadala/status/1799082470924550477)"
    ) in body
    assert any(line.startswith("tweet embed code") for line in seed("002").dropped)


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_no_raw_html_survives(number: str) -> None:
    result = seed(number)
    text = "\n".join([article_file_text(result), *result.dropped, *result.notes])
    for leftover in ("<script", "<blockquote", "twitter-tweet", "[Tweet]", "[/Tweet]", "&mdash;"):
        assert leftover not in text
    assert not re.search(r"<(?!https?://)[a-zA-Z/]", text)


def test_french_tweet_is_marked_french() -> None:
    raw = (
        "Le festival ouvre ses portes ce soir.\n\n"
        "Quelle soirée pour le cinéma français ! — Jean Dupont (@jdupont) 3 avril 2024\n\n"
        "La suite de la programmation sera annoncée demain."
    )
    body = import_text(raw, today=TODAY).body
    assert "{lang=fr .tweet}\n> Quelle soirée pour le cinéma français !\n>\n" in body
    assert "> — Jean Dupont (@jdupont), 3 avril 2024" in body


def test_html_left_in_a_paste_becomes_markdown() -> None:
    raw = 'Un <strong>texte</strong> avec un <a href="https://exemple.fr/a">lien</a>.<br>Fin.'
    result = import_text(raw + '<script src="https://exemple.fr/x.js"></script>', today=TODAY)
    assert result.body == "Un texte avec un [lien](https://exemple.fr/a).\n\nFin."
    assert "HTML tags: a, br, strong" in result.dropped
    assert "embed code: « script https://exemple.fr/x.js »" in result.dropped


# --- sentences, paragraphs and headings ------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "glued", "fixed"),
    [
        ("000", "cinématographique.Le directeur", "cinématographique. Le directeur"),
        ("000", "créatives.« Sora", "créatives.\n\n« Sora"),
        ("000", "Je suis choqué.Je n'aurais", "Je suis choqué.\n\nJe n'aurais"),
        ("004", "extérieurs.« En travaillant", "extérieurs. « En travaillant"),
        ("004", "alarme :« Une forme", "alarme : « Une forme"),
        ("004", "survivre.« ", "survivre. »"),
    ],
)
def test_glued_sentences_are_split(number: str, glued: str, fixed: str) -> None:
    body = seed(number).body
    assert glued not in body
    assert fixed in body


def test_wall_of_text_becomes_readable_paragraphs() -> None:
    result = seed("000")
    found = paragraphs(result.body)
    assert len(found) >= 15
    for paragraph in found:
        assert 1 <= len(sentences(paragraph)) <= 5
        assert len(paragraph) <= 1000
        assert paragraph.count("«") == paragraph.count("»"), paragraph
    assert "a 11315-character line was cut into paragraphs" in "\n".join(result.notes)


def test_abbreviations_urls_and_brackets_are_not_split() -> None:
    body = seed("000").body
    assert "Meta Platforms Inc. et Google (Alphabet Inc.) ont" in body
    assert "Vision Pro [casque de réalité mixte]. Ils essaient" in body
    assert "Runway AI Inc., Pika" in body


def test_outline_headings_of_seed_000_are_dropped_and_reported() -> None:
    result = seed("000")
    assert "## " not in result.body
    assert "Conclusion" not in result.body
    outline = next(line for line in result.dropped if line.startswith("page outline"))
    assert "« Des voix s'élèvent contre OpenAI »" in outline
    assert "« Conclusion »" in outline
    assert any(note.startswith("5 headings with no text under them") for note in result.notes)


def test_section_headings_are_detected() -> None:
    assert "## Un outil pour « donner vie » à des idées initialement difficiles" in (
        seed("004").body
    )
    assert "## C’est sur la question de la mise au rebut totale de l’humain" in seed("002").body
    assert "## Sora doit séduire Hollywood" in seed("003").body


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_summary_is_whole_sentences_of_the_lede(number: str) -> None:
    result = seed(number)
    summary = str(result.metadata["summary"])
    assert summary in result.body
    assert len(summary) <= 400
    assert summary.endswith((".", "!", "?", "»"))
    first_paragraph = paragraphs(result.body)[0]
    assert first_paragraph.startswith(summary)


def test_summary_of_seed_001() -> None:
    assert seed("001").metadata["summary"] == (
        "L’éditeur de ChatGPT voit en Hollywood un marché très attractif pour son intelligence "
        "artificielle Sora, capable de transformer du texte en vidéo. D’autres entreprises "
        "technologiques s’intéressent également à l’industrie cinématographique."
    )


# --- small hand-written pages -----------------------------------------------------------------


def test_byline_gives_author_and_publication_date() -> None:
    result = fixture("published.txt")
    assert result.metadata["title"] == "La Bourse salue l’accord entre deux géants du logiciel"
    assert result.metadata["date"] == "2023-11-02"
    assert result.metadata["author"] == "Jeanne Martin"
    assert result.metadata["source"] == "Le Journal de l’Éco"
    assert "Jeanne Martin" not in result.body
    assert "byline: « Par Jeanne Martin, publié le 2 novembre 2023 à 10h30 »" in result.dropped
    assert not any(note.startswith(("date", "no date")) for note in result.notes)


def test_hand_written_page_chrome_and_glued_sentences() -> None:
    result = fixture("published.txt")
    body = result.body
    assert "accord de licence. Le marché attendait" in body
    assert "prudents. Les taux" in body
    assert "Microsoft Corp. et d’Apple Inc. ont progressé" in body
    assert "<https://www.exemple.fr/Accord.Html>" in body
    assert "3.5 %" in body
    assert "## Un marché sous tension" in body
    for chrome in ("Accueil >", "min de lecture", "Partager sur Facebook", "Laisser un"):
        assert chrome not in body
    assert result.metadata["summary"] == (
        "Les actions de Microsoft Corp. et d’Apple Inc. ont progressé mardi après l’annonce "
        "d’un accord de licence. Le marché attendait ce rapprochement depuis des mois. "
        "« Nous sommes ravis », a déclaré un porte-parole."
    )


def test_page_without_date_has_no_date_key() -> None:
    result = fixture("undated.txt")
    assert "date" not in result.metadata
    assert "no date found: add `date:` by hand" in result.notes
    assert article_file_name(result) == "undated-une-start-up-lyonnaise-leve-des-fonds.md"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le modèle a été présenté mardi.Il sera disponible en juin.",
            "Le modèle a été présenté mardi. Il sera disponible en juin.",
        ),
        ("Elle a dit « non ».Puis elle est partie.", "Elle a dit « non ». Puis elle est partie."),
        ("Qui paiera ?Personne.", "Qui paiera ? Personne."),
        ("Apple Inc.Le groupe", "Apple Inc.Le groupe"),
        ("L'armée U.S.Army recrute.", "L'armée U.S.Army recrute."),
        ("Voir https://exemple.fr/Page.Html demain.", "Voir https://exemple.fr/Page.Html demain."),
        ("Une hausse de 3.5 points.", "Une hausse de 3.5 points."),
    ],
)
def test_unglue(text: str, expected: str) -> None:
    assert unglue(text) == expected


def test_sentences_keep_abbreviations_and_quotations() -> None:
    assert sentences("Apple Inc. et Meta Platforms Inc. ont signé. M. Dupont approuve.") == [
        "Apple Inc. et Meta Platforms Inc. ont signé.",
        "M. Dupont approuve.",
    ]
    assert sentences("Il a dit : « Bonjour. Au revoir ». Puis rien.") == [
        "Il a dit : « Bonjour. Au revoir ».",
        "Puis rien.",
    ]


def test_canonical_link_gives_the_url() -> None:
    raw = (
        '<link rel="canonical" href="https://www.exemple.fr/economie/article">\n'
        "Un titre d’article\n\nLe premier paragraphe du texte. Il est court."
    )
    result = import_text(raw, today=TODAY)
    assert result.metadata["url"] == "https://www.exemple.fr/economie/article"
    assert result.metadata["title"] == "Un titre d’article"


# --- the article file --------------------------------------------------------------------------


def test_file_round_trips_through_frontmatter() -> None:
    result = seed("000")
    post = frontmatter.loads(article_file_text(result))
    assert post.metadata["date"] == "2024-03"
    assert post.metadata == result.metadata
    assert post.content == result.body
    assert article_file_text(result).startswith("---\ndate: '2024-03'\n")


def test_day_date_stays_a_string() -> None:
    post = frontmatter.loads(article_file_text(seed("004")))
    assert post.metadata["date"] == "2024-03-25"
    assert (
        post.metadata["title"]
        == "Le générateur de vidéos d’OpenAI, allié ou ennemi des vidéastes ?"
    )


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("001", "undated-openai-seduit-hollywood-avec-son-ia-revolutionnaire-pour.md"),
        ("004", "2024-03-25-le-generateur-de-videos-d-openai-allie-ou-ennemi-des.md"),
        ("003", "2024-03-openai-programmerait-des-reunions-de-sensibilisation-aupres.md"),
    ],
)
def test_file_name(number: str, name: str) -> None:
    assert article_file_name(seed(number)) == name


# --- import_files ------------------------------------------------------------------------------

PUBLISHED = FIXTURES / "import" / "published.txt"
PUBLISHED_NAME = "2023-11-02-la-bourse-salue-l-accord-entre-deux-geants-du-logiciel.md"


def run(paths: list[Path], tmp_path: Path, **options: object) -> tuple[int, list[str]]:
    """Run import_files into tmp_path/articles; return the exit code and the printed lines."""
    lines: list[str] = []
    settings: dict = {"source": None, "url": None, "output": None, "force": False, **options}
    code = import_files(paths, articles_dir=tmp_path / "articles", echo=lines.append, **settings)
    return code, lines


def test_import_files_writes_the_article_and_reports(tmp_path: Path) -> None:
    code, lines = run([PUBLISHED], tmp_path)
    target = tmp_path / "articles" / PUBLISHED_NAME
    assert code == 0
    assert target.read_text(encoding="utf-8") == article_file_text(
        import_text(PUBLISHED.read_text(encoding="utf-8"))
    )
    assert lines[0] == f"Imported {PUBLISHED} → {target}"
    assert "  title:   La Bourse salue l’accord entre deux géants du logiciel" in lines
    assert "  date:    2023-11-02" in lines
    assert "  url:     (not found)" in lines
    assert "  dropped: reading-time widget: « ⏱ 3 min de lecture »" in lines
    assert any(line.startswith("  note:    source « Le Journal de l’Éco »") for line in lines)
    assert [p.name for p in (tmp_path / "articles").iterdir()] == [PUBLISHED_NAME]


def test_missing_fields_are_reported(tmp_path: Path) -> None:
    _, lines = run([SEEDS["001"]], tmp_path)
    assert "  date:    (not found: add `date:` by hand)" in lines
    assert "  source:  CNEWS" in lines


def test_import_files_never_overwrites_without_force(tmp_path: Path) -> None:
    run([PUBLISHED], tmp_path)
    target = tmp_path / "articles" / PUBLISHED_NAME
    target.write_text("edited by hand\n", encoding="utf-8")
    code, lines = run([PUBLISHED], tmp_path)
    assert code == 1
    assert lines == [f"{target}: already exists; pass --force to overwrite it"]
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    code, _ = run([PUBLISHED], tmp_path, force=True)
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: La Bourse")


def test_output_file_and_folder(tmp_path: Path) -> None:
    exact = tmp_path / "elsewhere" / "mon-article.md"
    assert run([PUBLISHED], tmp_path, output=exact)[0] == 0
    assert exact.read_text(encoding="utf-8").startswith("---\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    assert run([PUBLISHED], tmp_path, output=folder)[0] == 0
    assert (folder / PUBLISHED_NAME).exists()
    assert run([PUBLISHED], tmp_path, output=f"{tmp_path}/new/")[0] == 0
    assert (tmp_path / "new" / PUBLISHED_NAME).exists()
    assert not (tmp_path / "articles").exists()


def test_output_file_takes_a_single_input(tmp_path: Path) -> None:
    code, lines = run([PUBLISHED, SEEDS["001"]], tmp_path, output=tmp_path / "one.md")
    assert code == 1
    assert "names one file but 2 texts were given" in lines[0]
    assert not (tmp_path / "one.md").exists()


def test_invalid_utf8_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Titre\nUn été à Paris".encode("latin-1"))
    code, lines = run([bad], tmp_path)
    assert code == 1
    assert lines == [f"{bad}: not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8 and try again"]
    assert not (tmp_path / "articles").exists()


@pytest.mark.parametrize(
    ("content", "message"), [("", "empty file, nothing to import"), ("  \n\n", "empty file")]
)
def test_empty_file_fails(tmp_path: Path, content: str, message: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    code, lines = run([empty], tmp_path)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{empty}: {message}")


def test_one_failure_does_not_stop_the_others(tmp_path: Path) -> None:
    code, lines = run([tmp_path / "missing.txt", PUBLISHED], tmp_path)
    assert code == 1
    assert lines[0] == f"{tmp_path / 'missing.txt'}: no such file"
    assert (tmp_path / "articles" / PUBLISHED_NAME).exists()


def test_written_file_round_trips_with_month_date(tmp_path: Path) -> None:
    run([SEEDS["003"]], tmp_path)
    (written,) = (tmp_path / "articles").iterdir()
    post = frontmatter.loads(written.read_text(encoding="utf-8"))
    assert post.metadata["date"] == "2024-03"
    assert isinstance(post.metadata["date"], str)
