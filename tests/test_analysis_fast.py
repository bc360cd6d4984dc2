"""The analyses' shortcuts give exactly what the plain way gives: the block-only Markdown
parse with inline syntax parsed only where it may occur, against a full CommonMark parse."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from revue.analysis.blocks import simple_blocks
from revue.analysis.plain import _MD, parse
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


# Lines and line starts for the block reader: every block kind, what may interrupt or
# continue one, markers next to their look-alikes.
_LINE_STARTS = [
    "",
    " ",
    "    ",
    "\t",
    "\u00a0",
    "Texte",
    "« Cité »",
    "## ",
    "# ",
    "####### ",
    "#titre",
    "> ",
    ">",
    "> > ",
    "- ",
    "-",
    "--",
    "---",
    "-x",
    "* ",
    "*",
    "**gras**",
    "***",
    "+ ",
    "+5",
    "1. ",
    "12) ",
    "2024 ",
    "2024.",
    "=",
    "===",
    "=x",
    "_",
    "__x",
    "___",
    "`",
    "``x",
    "```",
    "~~~",
    "~x",
    "<b>",
    "|",
    "[a]: /b",
    "[l](https://ex.com)",
    "{lang=en}",
]
_LINE_ENDS = ["", "mot", " mot", "mot #", " #", "  ", "*e*", "`c`", "»", " \\", "\t"]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(_LINE_STARTS), st.sampled_from(_LINE_ENDS)).map("".join),
        max_size=14,
    ).map("\n".join),
    st.sampled_from(["", "\n", "\n\n"]),
)
def test_the_block_reader_gives_markdown_it_s_tokens(lines: str, end: str) -> None:
    body = lines + end
    fast = simple_blocks(body)
    if fast is not None:
        assert list(fast) == _MD.parse(body, {})


_TEXTS = st.tuples(
    st.sampled_from(["Texte", "« Cité »", "**gras**", "2024 ", "``x", "=x", "[l](https://e.c)"]),
    st.sampled_from(_LINE_ENDS),
).map("".join)
_BLOCKS = st.one_of(
    st.lists(_TEXTS, min_size=1, max_size=3).map("\n".join),
    st.tuples(st.sampled_from(["# ", "## ", "###### "]), _TEXTS).map("".join),
    st.lists(st.one_of(_TEXTS, st.just("")), min_size=1, max_size=4).map(
        lambda lines: "\n".join(f"> {line}" if line else ">" for line in lines)
    ),
    st.lists(_TEXTS, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.sampled_from(_LINE_STARTS),
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_BLOCKS, st.sampled_from(["\n\n", "\n \n", "\n\n\n", "\n"]))),
    st.sampled_from(["", "\n", "\n\n"]),
)
def test_the_block_reader_gives_markdown_it_s_tokens_for_articles(blocks, end: str) -> None:
    body = "".join(block + gap for block, gap in blocks).rstrip("\n") + end
    fast = simple_blocks(body)
    if fast is not None:
        assert list(fast) == _MD.parse(body, {})


def test_the_block_reader_reads_the_usual_articles() -> None:
    body = (
        "Le studio signe un accord.\nSuite du paragraphe, *en italique*.\n\n"
        "## Les réactions\n\n> « Nous sommes inquiets », dit-elle.\n>\n> Deuxième.\n\n"
        "- un point ;\n- **un autre** point.\n\n`code` en tête, [un lien](https://ex.com).\n"
    )
    fast = simple_blocks(body)
    assert fast is not None and list(fast) == _MD.parse(body, {})
    files = [*ROOT.glob("content/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")]
    read = [
        simple_blocks(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]) for path in files
    ]
    assert sum(tokens is not None for tokens in read) >= len(read) // 2
