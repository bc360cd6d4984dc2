"""Markdown body → plain French paragraphs and sentences, for the analyses."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .lexicon import content_stems

_MD = MarkdownIt("commonmark", {"html": False})
# A sentence ends with . ! ? or … (maybe followed by a closing » or quote) before a space
# and an upper-case letter or an opening «. Abbreviations like « M. » or « Inc. » do not end one.
# The match starts at the punctuation mark (a literal first character is fast to scan for).
_BOUNDARY = re.compile(r"[.!?…](?:\s*[»”])?\s+(?=[«“\"A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|Mme|MM|Dr|St|Inc|Corp|Ltd|etc|cf|p|av|J\.-C)|\b[A-Z])\.$")


@lru_cache(maxsize=4)  # paragraphs and quotations read the same parse: Markdown is costly
def parse(body: str) -> tuple[Token, ...]:
    """The body's CommonMark tokens (raw HTML off). Callers must not modify them."""
    return tuple(_MD.parse(body))


@lru_cache(maxsize=16)  # the analyses of one article ask for it several times
def paragraphs(body: str) -> tuple[str, ...]:
    """The body's prose paragraphs as plain text, skipping headings, quotes, lists and code."""
    result = []
    depth = 0
    tokens = parse(body)
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and depth == 0 and tokens[index - 1].type == "paragraph_open":
            text = inline_text(token)
            if text and not text.startswith("{"):
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


def inline_text(token: Token) -> str:
    """An inline token's text without markup, spaces collapsed and ends stripped."""
    text = "".join(
        child.content
        if child.type in ("text", "code_inline")
        else " "
        if child.type in ("softbreak", "hardbreak")
        else ""
        for child in token.children or []
    )
    return " ".join(text.split())
