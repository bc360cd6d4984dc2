"""Validation of article files: every error names path:line, says what is wrong and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from revue import frontmatter_yaml
from revue.config import load_config
from revue.content import load_articles


def errors_of(project) -> list[str]:
    _, errors = load_articles(load_config(project.root))
    return [str(e) for e in sorted(errors)]


def test_valid_article_is_loaded_with_its_fields(project):
    project.article(
        "2024-03-25-sora",
        """
        url: https://example.org/a
        author: [Anne, Bruno]
        themes: [competitors]
        tags: [ia, cinema]
        sources: Bloomberg
    """,
        title="« Sora » à Hollywood",
        date="2024-03",
    )
    articles, errors = load_articles(load_config(project.root))
    assert errors == []
    (article,) = articles
    assert article.slug == "sora"
    assert article.title == "« Sora » à Hollywood"
    assert article.date.iso == "2024-03"
    assert article.date.french() == "mars 2024"
    assert article.authors == ("Anne", "Bruno")
    assert article.themes == ("competitors",)
    assert article.sources == ("Bloomberg",)
    assert article.extra == {"tags": ["ia", "cinema"]}
    assert article.body_line == 12


def test_missing_required_fields_are_all_reported(project):
    project.write(
        "content/articles/a.md",
        """
        ---
        url: https://example.org
        ---
        Texte.
    """,
    )
    assert errors_of(project) == [
        "content/articles/a.md:1: missing required field 'date': add a line `date: 2024-03-25`",
        "content/articles/a.md:1: missing required field 'source': add a line `source: Le Monde`",
        "content/articles/a.md:1: missing required field 'title': "
        "add a line `title: Titre de l’article`",
    ]


def test_every_error_of_every_file_is_reported_at_once(project):
    project.article("a", "tittle: x\n", date="2024-13-01")
    project.article("b", "thèmes: [competitors]\nthemes: [concurents]\n")
    project.write("content/articles/c.md", "pas de frontmatter\n")
    assert errors_of(project) == [
        "content/articles/a.md:3: bad date: '2024-13-01' is not a real day "
        "(month must be in 1..12)",
        "content/articles/a.md:5: unknown key 'tittle': did you mean 'title'?",
        "content/articles/b.md:5: unknown key 'thèmes': did you mean 'themes'?",
        "content/articles/b.md:6: unknown theme 'concurents': did you mean 'competitors'?",
        "content/articles/c.md:1: no frontmatter: the file must start with a line '---', "
        "then `title:`, `date:`, `source:`, then a line '---'",
    ]


def test_broken_yaml_points_at_the_line_in_the_file(project):
    project.write(
        "content/articles/bad.md",
        """
        ---
        title: Bon titre
        date: 2024-03-25
        source: [Le Monde
        url: https://example.org
        ---
        Texte.
    """,
    )
    (error,) = errors_of(project)
    assert error.startswith("content/articles/bad.md:4: broken YAML in the frontmatter: ")
    assert error.endswith("(check quotes, colons and indentation)")


def test_date_formats(project):
    project.article("a", date="2024-02-30")
    project.article("b", date="25/03/2024")
    project.article("c", date="2024-03-25T10:30:00+01:00")
    project.article("d", date="2024-03")
    errors = errors_of(project)
    assert errors == [
        "content/articles/a.md:3: bad date: '2024-02-30' is not a real day "
        "(day is out of range for month)",
        "content/articles/b.md:3: bad date: '25/03/2024' is not a date: write YYYY-MM-DD "
        "(2024-03-25), YYYY-MM (2024-03) or an ISO datetime (2024-03-25T10:30:00+01:00)",
    ]


def test_unknown_theme_lists_the_known_ones(project):
    project.article("a", "themes: [economie]\n")
    assert errors_of(project) == [
        "content/articles/a.md:5: unknown theme 'economie': known themes: "
        "studio-outreach, labor-worries, competitors",
    ]


def test_theme_given_by_its_french_label_is_suggested(project):
    project.article("a", "themes: Concurrents\n")
    assert errors_of(project) == [
        "content/articles/a.md:5: unknown theme 'Concurrents': did you mean 'competitors'?",
    ]


def test_duplicate_slugs_are_reported(project):
    project.article("2024-03-01-sora")
    project.article("2024-03-02-sora")
    assert errors_of(project) == [
        "content/articles/2024-03-02-sora.md:1: slug 'sora' is also used by "
        "content/articles/2024-03-01-sora.md: rename one file or set a different `slug:`",
    ]


def test_empty_body_and_duplicate_key(project):
    project.article("a", body="\n\n")
    project.write(
        "content/articles/b.md",
        """
        ---
        title: Un
        title: Deux
        date: 2024-03-25
        source: X
        ---
        Texte.
    """,
    )
    assert errors_of(project) == [
        "content/articles/a.md:6: the article has no body: write its text below the closing '---'",
        "content/articles/b.md:3: 'title' is given twice: keep only one",
    ]


def test_invalid_utf8_names_the_line(project):
    path = Path(project.root / "content/articles/latin1.md")
    path.write_bytes("---\ntitle: Été\n---\n".encode("latin-1"))
    assert errors_of(project) == [
        "content/articles/latin1.md:2: not UTF-8 text (byte 0xc9): "
        "re-save the file with the UTF-8 encoding",
    ]


def test_bom_and_crlf_are_accepted(project):
    path = Path(project.root / "content/articles/windows.md")
    path.write_bytes(
        "\ufeff---\r\ntitle: Été\r\ndate: 2024-03-25\r\nsource: X\r\n---\r\nTexte.\r\n".encode()
    )
    articles, errors = load_articles(load_config(project.root))
    assert errors == []
    assert articles[0].title == "Été"


def test_drafts_and_editor_backups_are_not_published(project):
    project.article("brouillon", "draft: true\n")
    project.write("content/articles/.#lock.md", "garbage")
    project.article("publie")
    articles, errors = load_articles(load_config(project.root))
    assert errors == []
    assert [a.slug for a in articles] == ["publie"]


def test_config_errors_name_the_table_line(project, run_cli):
    text = (project.root / "site.toml").read_text()
    text = text.replace('id = "competitors"', 'id = "labor-worries"')
    (project.root / "site.toml").write_text(text)
    line = text.splitlines().index("[[themes]]", text.splitlines().index('id = "labor-worries"'))
    code, _, err = run_cli(project, "build")
    assert code == 1
    assert err.splitlines()[0] == f"site.toml:{line + 1}: theme id 'labor-worries' is used twice"


# ------------------------------------------------------------ frontmatter YAML shortcuts

_YAML_PIECES = [
    *"ab:,-[]{}?'\"#&*\n ",
    "a: ",
    "b: ",
    "- ",
    "  ",
    "\n  - ",
    "&x ",
    "*x",
    "&y [",
    "*y",
    "? ",
    "---\n",
    "2024-03-25",
    "!!str ",
]


def _outcome(parse, text: str):
    """What parsing gives: the mapping and key lines, or the error's type, line and text."""
    try:
        return parse(text)
    except (yaml.YAMLError, frontmatter_yaml.FrontmatterShapeError) as error:
        return type(error).__name__, getattr(error, "line", None), str(error)


def _checked_first(text: str):
    """The parse with the size always checked on the events before composing."""
    fy = frontmatter_yaml
    try:
        fy._check_size(text, fy._FastLoader)
        return fy._parse_yaml_with(fy._FastLoader, text)
    except yaml.YAMLError:
        fy._check_size(text, fy._Loader)
        return fy._parse_yaml_with(fy._Loader, text)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_YAML_PIECES), max_size=30).map("".join))
@example("a: [b, c, d, e, f]")  # as many values as allowed, then one more
@example("a: [b, c, d, e, f, g]")
@example("a: [[b]]")  # as deep as allowed, then one deeper
@example("a: [[[b]]]")
@example("a: &x [b, c]\nd: *x")
def test_frontmatter_checked_on_its_nodes_gives_what_checking_its_events_gives(text: str):
    with pytest.MonkeyPatch.context() as patch:  # small limits, so that examples reach them
        patch.setattr(frontmatter_yaml, "MAX_VALUES", 6)
        patch.setattr(frontmatter_yaml, "MAX_DEPTH", 3)
        patch.setattr(frontmatter_yaml, "SAFE_COLLECTIONS", 8)
        assert _outcome(frontmatter_yaml.parse_yaml, text) == _outcome(_checked_first, text)
