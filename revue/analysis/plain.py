"""Markdown body → plain French paragraphs and sentences, for the analyses."""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False})
# A sentence ends with . ! ? or … (maybe followed by a closing » or quote) before a space
# and an upper-case letter or an opening «. Abbreviations like « M. » or « Inc. » do not end one.
_BOUNDARY = re.compile(r"(?<=[.!?…])(?:\s*[»”])?\s+(?=[«“\"A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|Mme|MM|Dr|St|Inc|Corp|Ltd|etc|cf|p|av|J\.-C)|\b[A-Z])\.$")


@functools.lru_cache(maxsize=8)  # the summary and the excerpt both read the same body
def paragraphs(body: str) -> tuple[str, ...]:
    """The body's prose paragraphs as plain text, skipping headings, quotes, lists and code."""
    result = []
    depth = 0
    tokens = _MD.parse(body)
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and depth == 0 and tokens[index - 1].type == "paragraph_open":
            text = "".join(
                child.content
                if child.type in ("text", "code_inline")
                else " "
                if child.type in ("softbreak", "hardbreak")
                else ""
                for child in token.children or []
            )
            text = re.sub(r"\s+", " ", text).strip()
            if text and not text.startswith("{"):
                result.append(text)
    return tuple(result)


def sentences(paragraph: str) -> list[str]:
    """Split a plain paragraph into sentences, never inside an abbreviation."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.start()].rstrip()
        if _ABBREVIATION.search(candidate):
            continue
        candidate = paragraph[start : match.end()].strip()
        if candidate:
            pieces.append(candidate)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces
