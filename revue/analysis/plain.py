"""Markdown body → plain French paragraphs and sentences, for the analyses."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.token import Token

from .lexicon import content_stems

# The block parse only: each paragraph's inline syntax is parsed when it is read, and only
# when its text holds a character that may start some (`inline_text`).
_MD = MarkdownIt("commonmark", {"html": False}).disable("inline")
# No inline rule of this parser starts on other characters: `!` only before `[`, a line
# break is a space once spaces are collapsed, and raw HTML is off.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[<&]")
# A web address of printable ASCII: markdown-it's normalizeLink keeps its scheme, which
# validateLink accepts. Any other destination is normalized and checked as markdown-it does.
_WEB_URL = re.compile(r"https?://[!-~]*", re.IGNORECASE)


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
    tokens = tuple(_MD.parse(body, env))
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
    text = "".join(
        child.content
        if child.type in ("text", "text_special", "code_inline")
        else " "
        if child.type in ("softbreak", "hardbreak")
        else ""
        for child in _MD.inline.parse(content, _MD, env, [])
    )
    return " ".join(text.split())
