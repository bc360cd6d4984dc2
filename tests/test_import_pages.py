"""Importing whole pages: a saved HTML page (any declared encoding) and the text of a whole
page pasted from a browser, with its menus, banners, boxes, comments and footer."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest

from revue.import_command import ImportFailure, import_files, import_source
from revue.ingest.byline import _date_in, _doubled, author_in, read_header
from revue.ingest.decode import DecodeError, decode
from revue.ingest.htmlpage import import_page
from revue.ingest.lang import language
from revue.ingest.pagemeta import json_ld_article, parse, title
from revue.ingest.pagetext import page_lines
from revue.ingest.xmlbody import xml_to_markdown
from revue.ingest.zone import find_zone, is_prose

PAGES = Path(__file__).parent / "fixtures" / "import"
TITLE = "La médiathèque de Saint-Aubin rouvre après deux ans de travaux"
FIRST = "Après deux ans de chantier, la médiathèque de Saint-Aubin a rouvert ses portes"


def imported(name: str):
    """Import one of the invented pages through the same reader as the command."""
    return import_source(PAGES / name, source=None, url=None)


# --- saved HTML pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["page.html", "page-latin1.html"])
def test_html_page_metadata_comes_from_the_page_itself(name: str) -> None:
    result = imported(name)
    assert result.metadata["title"] == TITLE
    assert result.metadata["author"] == "Camille Berthier"  # the Organization is left out
    assert result.metadata["date"] == "2023-11-02"  # datePublished, not dateModified
    assert result.metadata["source"] == "Le Courrier du Val"
    assert (
        result.metadata["url"] == "https://courrier-du-val.example/culture/mediatheque-saint-aubin"
    )
    assert result.metadata["lang"] == "fr"


def test_html_body_keeps_structure_and_drops_chrome() -> None:
    body = imported("page.html").body
    assert body.startswith(FIRST)
    assert "## Des horaires élargis" in body
    assert "- Prêt de liseuses pour les abonnés" in body
    assert "> Une médiathèque, c’est le salon de la ville" in body
    for chrome in ("Accueil", "cookies", "Jeannot56", "Enfin !", "marché de Noël", "Crédits"):
        assert chrome not in body
    assert TITLE not in body  # the title lives in the frontmatter


def test_latin1_page_is_read_with_its_declared_encoding() -> None:
    body = imported("page-latin1.html").body
    assert "médiathèque" in body and "Ã" not in body


def test_english_page_imports_with_its_language_and_says_what_is_missing() -> None:
    result = imported("page-english.html")
    assert result.metadata["lang"] == "en"
    assert result.metadata["title"] == "City library reopens after two years of work"
    assert "date" not in result.metadata and "author" not in result.metadata
    assert "no date found: add `date:` by hand" in result.notes


def test_json_ld_article_is_found_in_a_list_and_in_cdata() -> None:
    page = """<html><head><script type="application/ld+json">//<![CDATA[
    [{"@type": "BreadcrumbList"}, {"@type": ["NewsArticle"], "headline": "Un titre"}]
    //]]></script></head><body><h1>Autre</h1></body></html>"""
    assert json_ld_article(parse(page))["headline"] == "Un titre"


def test_title_drops_the_site_name_when_no_heading_matches() -> None:
    page = "<html><head><title>Les retraites en débat | Le Journal</title></head><body></body>"
    assert title(parse(page), {}, "Le Journal") == "Les retraites en débat"


def test_page_lines_follow_blocks_and_skip_scripts_and_comments() -> None:
    page = "<body><div>Un <b>mot</b><!-- note --> suivi</div><script>x()</script><p>Fin</p>"
    assert page_lines(parse(page)) == ["Un mot suivi", "Fin"]


def test_xml_body_escapes_markdown_and_keeps_only_web_links() -> None:
    xml = (
        '<doc><main><p># pas un titre</p><p>Voir <ref target="https://a.example/x">ici</ref>'
        ' et <ref target="javascript:alert(1)">là</ref> *vraiment*</p></main></doc>'
    )
    assert xml_to_markdown(xml) == (
        "\\# pas un titre\n\nVoir [ici](https://a.example/x) et là \\*vraiment\\*"
    )


def test_page_without_article_is_refused() -> None:
    with pytest.raises(ImportFailure) as failure:
        imported("no-article.html")
    assert str(failure.value) == (
        f"{PAGES / 'no-article.html'}: no article text found in it; "
        "check that it is the page of one article"
    )


def test_import_page_of_markup_without_text_has_no_body() -> None:
    assert import_page("<html><body><div></div></body></html>").body == ""


# --- whole pasted pages -------------------------------------------------------------------


def test_pasted_page_keeps_only_the_article() -> None:
    result = imported("page.pasted.txt")
    body = result.body
    assert body.startswith(FIRST)
    assert "## Des horaires élargis" in body
    assert body.rstrip().endswith("qui a dû emprunter.")
    for chrome in ("cookies", "Partager", "Newsletter", "marché de Noël", "Jeannot56", "parking"):
        assert chrome not in body


def test_pasted_page_header_gives_title_author_date_and_outlet() -> None:
    result = imported("page.pasted.txt")
    assert result.metadata["title"] == TITLE
    assert result.metadata["author"] == "Camille Berthier"
    assert result.metadata["date"] == "2023-11-02"  # the publication, not the update
    assert result.metadata["source"] == "Le Courrier du Val"
    assert "source « Le Courrier du Val » read from the page's © line: check it" in result.notes


@pytest.mark.parametrize(
    ("line", "following", "names"),
    [
        ("Par Jeanne Dupont et Marie Martin", None, ["Jeanne Dupont", "Marie Martin"]),
        ("jeudi 13 juin 2019, par Le Collectif", None, ["Le Collectif"]),
        ("Marie Martin | lundi 9 décembre 2019 à 09h08", None, ["Marie Martin"]),
        ("Auteur(s) :", "Les Membres du Chœur de la Ville", ["Les Membres du Chœur de la Ville"]),
        ("Par la suite, le projet a été abandonné.", None, []),
        (
            "Le Journal | 04.05.2015 | Par Paul Roux (avec Léa Petit)",
            None,
            ["Paul Roux (avec Léa Petit)"],
        ),
    ],
)
def test_byline_lines(line: str, following: str | None, names: list[str]) -> None:
    assert author_in(line, following) == names


def test_header_prefers_the_publication_date_and_the_line_above_the_byline() -> None:
    lines = [
        "Accueil",
        "Une rubrique",
        "Le conseil municipal vote le budget de l'année prochaine",
        "Par Jeanne Dupont",
        "Mis à jour le 3 mars 2024 · publié le 2 mars 2024 à 18h00",
        "Le conseil municipal a voté mardi soir le budget de la commune pour l'année prochaine, "
        "après un débat de plus de trois heures entre la majorité et l'opposition.",
    ]
    header = read_header(lines, 5, 6)
    assert header.title == "Le conseil municipal vote le budget de l'année prochaine"
    assert header.author == ["Jeanne Dupont"]
    assert header.date == "2024-03-02"


AUDIO_PAGE = [
    "Accueil",
    "Nos émissionsNos émissions",
    "Le marché aux truffes",
    "Un reportage sonore",
    "Les chercheurs de diamant noir du Périgord",
    "18'40 ÉcouterÉcouter Ajouter à ma liste",
    "« On ne vend pas une truffe, on vend une saison entière »",
    "Chaque samedi de l'hiver, les trufficulteurs du Périgord installent leurs paniers sur "
    "la place du village et attendent les acheteurs venus de toute la région.",
    "Un reportage",
    "de Louise Garnier",
    "Mise en ligne",
    "12 janvier 2024",
    "Vous aimerez aussi",
    "Les vendanges à la main",
    "Le marché aux truffes",
    "Le marché aux truffes",
    "Les chercheurs de diamant noir du Périgord",
    "Partager",
]


def test_title_printed_three_times_beats_a_quotation_above_the_article() -> None:
    header = read_header(AUDIO_PAGE, 7, 8)
    assert header.title == "Le marché aux truffes"
    assert header.date == "2024-01-12"


def test_title_printed_once_leaves_the_quotation_its_place() -> None:
    page = [line for n, line in enumerate(AUDIO_PAGE) if n not in (14, 15)]
    assert read_header(page, 7, 8).title == AUDIO_PAGE[6]


@pytest.mark.parametrize(
    ("line", "doubled"),
    [
        ("Nos émissionsNos émissions", True),
        ("Nos émissions Nos émissions", True),
        ("18'40 ÉcouterÉcouter Ajouter à ma liste", True),
        ("Le couscous de Bonbonne", False),
        ("Le marché aux truffes", False),
    ],
)
def test_link_labels_printed_twice(line: str, doubled: bool) -> None:
    assert _doubled(line) is doubled


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Publié le 27 mars 20 à 9:21", ("2020-03-27", 0)),
        ("Le 17/02/2020", ("2020-02-17", 1)),
        ("Date 23.05.2011", ("2011-05-23", 0)),
        ("Mis à jour le 5 mai 2024", ("2024-05-05", 2)),
        ("Le 12 mai, 20 ans après", None),
    ],
)
def test_date_lines(line: str, found: tuple[str, int] | None) -> None:
    assert _date_in(line) == found


def test_header_leaves_out_what_it_cannot_find() -> None:
    lines = ["Menu", "Un paragraphe d'article qui ne dit rien de son auteur ni de sa date, hélas."]
    header = read_header(lines, 1, 2)
    assert (header.title, header.author, header.date) == (None, [], None)


def test_prose_lines_and_zone() -> None:
    prose = "Le maire a présenté le projet aux habitants, qui ont posé de nombreuses questions."
    assert is_prose(prose)
    assert not is_prose("Accueil Actualité Culture Sport Économie Météo Se connecter")
    assert not is_prose("12/03 " + prose)  # an entry of a dated list of links
    lines = [f"Rubrique {n}" for n in range(20)] + [prose, prose + " Oui."] + ["Pied"] * 10
    zone = find_zone(lines)
    assert zone is not None and (zone.start, zone.end) == (20, 22)


def test_article_pasted_alone_is_not_cut() -> None:
    text = (PAGES / "published.txt").read_text(encoding="utf-8")
    assert find_zone([line for line in text.split("\n") if line]) is None


# --- reading bytes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "html", "text"),
    [
        ("\ufeffÉté".encode(), False, "Été"),
        ("Été".encode("utf-16"), False, "Été"),
        (b'<meta charset="windows-1252"><p>\x93Oui\x94</p>', True, "<meta charset"),
        (b"<p>caf\xe9</p>", True, "café"),
    ],
)
def test_decode(data: bytes, html: bool, text: str) -> None:
    assert text in decode(data, html=html)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"caf\xe9\n", "not UTF-8 text (byte 0xe9 on line 1); save it as UTF-8 and try again"),
        (bytes(range(256)) * 4, "binary data, not text; give a saved web page or a pasted text"),
    ],
)
def test_decode_refuses(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as error:
        decode(data, html=False)
    assert str(error.value) == message


def test_language() -> None:
    assert (
        language(
            "Der Bürgermeister hat die Pläne für die neue Bibliothek vorgestellt, "
            "und die Bürger sind mit dem Projekt nicht zufrieden, sagt er."
        )
        == "de"
    )
    assert language("Un texte trop court") is None


# --- the command ----------------------------------------------------------------------------


def run(tmp_path: Path, *paths: Path, stdin: bytes | None = None) -> tuple[int, list[str]]:
    """import_files into tmp_path/out/; the exit code and the printed lines."""
    import io

    lines: list[str] = []
    code = import_files(
        list(paths),
        articles_dir=tmp_path / "articles",
        source=None,
        url=None,
        output=tmp_path / "out",
        force=False,
        echo=lines.append,
        stdin=io.BytesIO(stdin) if stdin is not None else None,
    )
    return code, lines


def test_standard_input_is_read_with_a_dash(tmp_path: Path) -> None:
    page = (PAGES / "page.html").read_bytes()
    code, lines = run(tmp_path, Path("-"), stdin=page)
    assert code == 0
    (written,) = (tmp_path / "out").iterdir()
    assert written.name.startswith("2023-11-02-la-mediatheque-de-saint-aubin")
    assert lines[0] == f"Imported - → {written}"
    post = frontmatter.loads(written.read_text(encoding="utf-8"))
    assert post["author"] == "Camille Berthier"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.txt", b"  \n\n", "empty file, nothing to import"),
        (
            "image.html",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50,
            "binary data, not text; give a saved web page or a pasted text",
        ),
        (
            "ancien.txt",
            b"Un caf\xe9 en terrasse.\n",
            "not UTF-8 text (byte 0xe9 on line 1); save it as UTF-8 and try again",
        ),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, lines = run(tmp_path, path)
    assert (code, lines) == (1, [f"{path}: {message}"])
    assert not (tmp_path / "out").exists()
