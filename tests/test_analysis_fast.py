"""The analyses' shortcuts give exactly what the plain way gives: the block-only Markdown
parse with inline syntax parsed only where it may occur, against a full CommonMark parse."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from revue.analysis.plain import parse
from revue.analysis.themes import _Index

ROOT = Path(__file__).resolve().parent.parent
_FULL = MarkdownIt("commonmark", {"html": False})

# Markdown-ish pieces: inline syntax of every kind, block starts, links and references
# with good and bad destinations, entities, escapes, breaks, and plain French words.
_PIECES = [
    *"abcéÀ «»:;!?.,-_*`[]()<>&\\~#=+{}'\"\t\n ",
    "\n\n",
    "  \n",
    "\\\n",
    "> ",
    "- ",
    "1. ",
    "## ",
    "    ",
    "```\n",
    "**",
    "__",
    "``",
    "![",
    "](",
    "[a]: /b\n",
    "[a]",
    "[l](https://ex.com/a_b*c)",
    "[l](https://e.com/a\\)b)",
    "[l](https://e.com/(x))",
    "[l](https://e.com/`x`)",
    "[ l ](http://e.com/&amp;)",
    "[](https://e.com)",
    "***",
    "` `",
    "`  a  `",
    "*a*",
    "**b**",
    "x*y*z",
    "*(a)*",
    "[l](HTTPS://ex.com/é)",
    "[l](javascript:alert(1))",
    "[l](data:image/png;x)",
    "[l](<a b> 'title')",
    "[ref]: javascript:x\n",
    "[ref]",
    "<https://ex.com/p>",
    "<mailto:a@b.c>",
    "<a@b.c>",
    "<b>",
    "&amp;",
    "&eacute;",
    "&#233;",
    "&nope;",
    "{lang=en}",
    "Sam Altman",
    "« c’est »",
]


def _reference_texts(body: str) -> list[str | None]:
    """What `parse` gives per token, read from a full CommonMark parse: the text children of
    each paragraph outside block quotes, joined, spaces collapsed."""
    tokens = _FULL.parse(body)
    texts: list[str | None] = []
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.type == "blockquote_open"
        depth -= token.type == "blockquote_close"
        if not depth and token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            text = "".join(
                child.content
                if child.type in ("text", "code_inline")
                else " "
                if child.type in ("softbreak", "hardbreak")
                else ""
                for child in token.children or []
            )
            texts.append(" ".join(text.split()))
        else:
            texts.append(None)
    return texts


def _check(body: str) -> None:
    tokens, texts = parse(body)
    assert [t.type for t in tokens] == [t.type for t in _FULL.parse(body)]
    assert list(texts) == _reference_texts(body)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_paragraph_texts_match_a_full_parse(body: str) -> None:
    _check(body)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_paragraph_texts_match_a_full_parse_on_any_text(body: str) -> None:
    _check(body)


def test_paragraph_texts_match_a_full_parse_on_the_sample_and_fixtures() -> None:
    files = [*ROOT.glob("content/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")]
    assert files
    for path in files:
        _check(path.read_text(encoding="utf-8"))


def test_a_skipped_link_check_still_refuses_a_bad_destination() -> None:
    body = "[x](javascript:alert(1)) et [y](https://ex.com/*) et [z](ftp://a)"
    assert parse(body)[1][1] == "[x](javascript:alert(1)) et y et z"


@given(
    st.lists(st.sampled_from("abc"), max_size=30),
    st.lists(st.sampled_from("abc"), min_size=1, max_size=4).map(tuple),
)
def test_a_theme_index_counts_a_stem_sequence_wherever_it_occurs(words, pattern) -> None:
    size = len(pattern)
    naive = sum(tuple(words[i : i + size]) == pattern for i in range(len(words)))
    assert _Index(words).count(pattern) == naive
