"""Tests for the configured Markdown parser and the French typography rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from revue.markdown import (
    make_markdown,
    render_markdown,
    typographize,
    typography_rule,
    validate_link,
)

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside « »
NBSP = "\u00a0"  # no-break space: before :

FIXTURE = Path(__file__).parent / "fixtures" / "typography.md"
CASES = read_fixture_file(FIXTURE)


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"), CASES, ids=[case[1] for case in CASES]
)
def test_fixture(line: int, title: str, text: str, expected: str) -> None:
    assert render_markdown(make_markdown(), text) == expected


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"), CASES, ids=[case[1] for case in CASES]
)
def test_fixture_is_idempotent(line: int, title: str, text: str, expected: str) -> None:
    md = make_markdown()
    md.core.ruler.before("text_join", "french_typography_again", typography_rule)
    assert render_markdown(md, text) == expected


def test_fixture_file_keeps_its_special_spaces() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert NNBSP in text
    assert NBSP in text
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oui ; non", f"Oui{NNBSP}; non"),
        ("Oui; non", f"Oui{NNBSP}; non"),
        ("Quelle affaire !", f"Quelle affaire{NNBSP}!"),
        ("Quelle affaire!", f"Quelle affaire{NNBSP}!"),
        ("Qui paiera ?", f"Qui paiera{NNBSP}?"),
        ("Qui paiera?", f"Qui paiera{NNBSP}?"),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("Vraiment?!", f"Vraiment{NNBSP}?!"),
        ("Sources : OpenAI", f"Sources{NBSP}: OpenAI"),
        ("Sources: OpenAI", f"Sources{NBSP}: OpenAI"),
        ("« Sora : »", f"«{NNBSP}Sora{NBSP}:{NNBSP}»"),
        ("«Sora»", f"«{NNBSP}Sora{NNBSP}»"),
        ("L'IA : quel avenir?", f"L’IA{NBSP}: quel avenir{NNBSP}?"),
        ("aujourd'hui", "aujourd’hui"),
        ("Et puis...", "Et puis…"),
        ("? (!) début", "? (!) début"),
        ("à 10:30, en 16:9, 1,5 million", "à 10:30, en 16:9, 1,5 million"),
        ("Voir https://x.y/?a=b:c !", f"Voir https://x.y/?a=b:c{NNBSP}!"),
        ("mailto:a@x.y et http://x.y", "mailto:a@x.y et http://x.y"),
        ('Il a dit "non".', 'Il a dit "non".'),
        ("", ""),
    ],
)
def test_typographize(text: str, expected: str) -> None:
    assert typographize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "« Sora : un progrès ? » ; oui ! Non... l'IA d'aujourd'hui",
        "Sora:x, 10:30 ?! ( ? ) «» « » https://x.y/a?b=c:d ?",
        f"Oui{NBSP}; non{NNBSP}: «{NBSP}x{NBSP}»",
        "a\n? b\n: c « \n» d",
    ],
)
def test_typographize_is_idempotent(text: str) -> None:
    once = typographize(text)
    assert typographize(once) == once


def test_typographize_returns_plain_text() -> None:
    assert typographize("<b>Oui</b> & non ?") == f"<b>Oui</b> & non{NNBSP}?"


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://x.y/a", True),
        ("HTTP://x.y", True),
        ("mailto:a@x.y", True),
        ("/relative/path?a=b:c", True),
        ("../f.html#g:h", True),
        ("#fragment", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java%20script:alert(1)", False),
        ("vbscript:x", False),
        ("data:image/png;base64,AAAA", False),
        ("ftp://x.y", False),
        ("foo:bar", False),
    ],
)
def test_validate_link(url: str, valid: bool) -> None:
    assert validate_link(url) is valid


def test_tweet_blockquote_is_marked_english() -> None:
    html = render_markdown(make_markdown(), "{lang=en .tweet}\n> Hello: world?\n")
    assert html.startswith('<blockquote lang="en" class="tweet">')
    assert "Hello: world?" in html


def test_parser_is_configured() -> None:
    md = make_markdown()
    assert md.options["html"] is False
    assert md.options["linkify"] is False
    assert md.options["typographer"] is False
    assert "<table>" in render_markdown(md, "| a |\n|---|\n| b |\n")
