"""Markdown body → plain French paragraphs and sentences, for the analyses."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.rules_inline.balance_pairs import processDelimiters
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token

from .blocks import simple_blocks
from .lexicon import content_stems

# The block parse only: each paragraph's inline syntax is parsed when it is read, and only
# when its text holds a character that may start some (`inline_text`).
# Raw HTML is off: its rules would only ever decline, so they are not run at all.
_MD = MarkdownIt("commonmark", {"html": False}).disable(["inline", "html_block", "html_inline"])
# No inline rule of this parser starts on other characters: `!` only before `[`, a line
# break is a space once spaces are collapsed, and raw HTML is off.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[<&]")
# A web address of printable ASCII: markdown-it's normalizeLink keeps its scheme, which
# validateLink accepts. Any other destination is normalized and checked as markdown-it does.
_WEB_URL = re.compile(r"https?://[!-~]*", re.IGNORECASE)
# What `_simple_text` reads itself: `*` runs, code spans, and links of plain text to a web
# address without parentheses, escapes or entities. Anything else it leaves to markdown-it.
_SIMPLE_SYNTAX = re.compile(r"[`*\[\\_<&]|!\[")
_SIMPLE_LINK = re.compile(r"\[([^\[\]\\`*_<&\n]*)\]\((https?://[!-'*-\[\]-~]*)\)")


def _valid_link(url: str) -> bool:
    """markdown-it's validateLink(normalizeLink(url)), without normalizing a plain web
    address: the text never shows a destination, only whether there is a link."""
    return _WEB_URL.fullmatch(url) is not None or validateLink(normalizeLink(url))


_MD.normalizeLink = str  # type: ignore[method-assign]  # checked whole by _valid_link
_MD.validateLink = _valid_link  # type: ignore[method-assign]

# A sentence ends with . ! ? or … (maybe followed by a closing » or quote) before a space
# and an upper-case letter or an opening «. Abbreviations like « M. » or « Inc. » do not end one.
# The match starts at the punctuation mark (a literal first character is fast to scan for).
_BOUNDARY = re.compile(r"[.!?…](?:\s*[»”])?\s+(?=[«“\"A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|Mme|MM|Dr|St|Inc|Corp|Ltd|etc|cf|p|av|J\.-C)|\b[A-Z])\.$")


@lru_cache(maxsize=4)  # paragraphs and quotations read the same parse: Markdown is costly
def parse(body: str) -> tuple[tuple[Token, ...], tuple[str | None, ...]]:
    """The body's CommonMark block tokens (raw HTML off; inline tokens have no children),
    and for each token the plain text (`inline_text`) of a paragraph outside block quotes,
    None for any other token. Callers must not modify the tokens."""
    env: dict = {}  # the link reference definitions the inline syntax may use
    tokens = simple_blocks(body) or tuple(_MD.parse(body, env))
    texts: list[str | None] = []
    depth = 0
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        prose = not depth and token.type == "inline" and tokens[index - 1].type == "paragraph_open"
        texts.append(inline_text(token.content, env) if prose else None)
    return tokens, tuple(texts)


@lru_cache(maxsize=16)  # the analyses of one article ask for it several times
def paragraphs(body: str) -> tuple[str, ...]:
    """The body's prose paragraphs as plain text, skipping headings, quotes, lists and code."""
    result = []
    depth = 0
    tokens, texts = parse(body)
    for token, text in zip(tokens, texts, strict=True):
        if token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif text and depth == 0 and not text.startswith("{"):
            result.append(text)
    return tuple(result)


@lru_cache(maxsize=16)
def prose_sentences(body: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every sentence of the prose paragraphs with its content stems, in text order. A
    sentence boundary is always a space, so a paragraph's stems are its sentences' stems
    one after the other: the summary and the lede read the same stemming."""
    return tuple(
        (sentence, tuple(content_stems(sentence)))
        for paragraph in paragraphs(body)
        for sentence in sentences(paragraph)
    )


def sentences(paragraph: str) -> list[str]:
    """Split a plain paragraph into sentences, never inside an abbreviation."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.start() + 1].rstrip()
        if _ABBREVIATION.search(candidate, max(0, len(candidate) - 8)):  # its end only
            continue
        candidate = paragraph[start : match.end()].strip()
        if candidate:
            pieces.append(candidate)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def inline_text(content: str, env: dict) -> str:
    """An inline token's text without markup, spaces collapsed and ends stripped: the text
    of the children CommonMark parses from `content` (link references from `env`), or
    `content` itself when it holds no character that may start inline syntax."""
    if _INLINE_SYNTAX.search(content) is None:
        return " ".join(content.split())
    simple = _simple_text(content, env)
    if simple is not None:
        return " ".join(simple.split())
    text = "".join(
        child.content
        if child.type in ("text", "text_special", "code_inline")
        else " "
        if child.type in ("softbreak", "hardbreak")
        else ""
        for child in _MD.inline.parse(content, _MD, env, [])
    )
    return " ".join(text.split())


def _simple_text(content: str, env: dict) -> str | None:
    """The text of `content` as markdown-it's inline rules give it, read here when its only
    syntax is `*` emphasis, code spans and plain links (_SIMPLE_SYNTAX), else None.

    The scan goes left to right as markdown-it's does; each `*` of a run is a delimiter,
    flanking as markdown-it's scanDelims says, paired by its own processDelimiters; a
    paired `*` shows nothing, a lone one shows itself."""
    parts: list[str] = []
    delimiters: list[Delimiter] = []
    state: StateInline | None = None
    pos = 0
    while (found := _SIMPLE_SYNTAX.search(content, pos)) is not None:
        start = found.start()
        parts.append(content[pos:start])
        if found.group() == "*":
            state = state or StateInline(content, _MD, env, [])
            run = state.scanDelims(start, True)
            for _ in range(run.length):  # one delimiter per `*`, `token` its index in parts
                delimiters.append(
                    Delimiter(ord("*"), run.length, len(parts), -1, run.can_open, run.can_close)
                )
                parts.append("*")
            pos = start + run.length
        elif found.group() == "`":
            pos = _code_span(content, start, parts)
        elif (link := _SIMPLE_LINK.match(content, start)) is not None:
            parts.append(link.group(1))
            pos = link.end()
        else:
            return None
    parts.append(content[pos:])
    processDelimiters(state, delimiters)  # type: ignore[arg-type]  # it reads no state
    for delimiter in delimiters:
        if delimiter.end >= 0:  # an opener and its closer become tags
            parts[delimiter.token] = parts[delimiters[delimiter.end].token] = ""
    return "".join(parts)


def _code_span(content: str, start: int, parts: list[str]) -> int:
    """Read the backtick run at `start` as markdown-it's backticks rule does: a code span up
    to the next run of as many backticks, else the run as text. Appends the text shown,
    returns the position after what was read."""
    end = start
    while end < len(content) and content[end] == "`":
        end += 1
    size = end - start
    close = end
    while (found := content.find("`", close)) >= 0:
        close = found
        while close < len(content) and content[close] == "`":
            close += 1
        if close - found == size:
            code = content[end:found].replace("\n", " ")
            if code.startswith(" ") and code.endswith(" ") and len(code.strip()) > 0:
                code = code[1:-1]
            parts.append(code)
            return close
    parts.append(content[start:end])
    return end
