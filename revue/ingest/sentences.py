"""Sentences in French prose: find sentences glued together by a careless paste
(« cinématographique.Le directeur »), and split a paragraph into whole sentences without
cutting inside a « … » quotation or after an abbreviation (« Inc. », « U.S. », « M. »)."""

from __future__ import annotations

import re

_ABBREVIATION_LIST = (
    "inc ltd corp co cie llc plc m mm mme mmes mlle mlles dr pr prof st ste mr mrs ms jr sr "
    "cf vs p pp vol no fig av apr env éd gén hab"
)
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|fr|org|net|io|ai|co|be|ch|ca|eu|tv|ly)"
    r"(?:/\S*)?",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?…]+(?:\s?[»”])?")
_QUESTION_WORD = re.compile(
    r"(?<=[a-zà-ÿ])(?=(?:Que|Qu['’]|Quels?|Quelles?|Comment|Pourquoi|Combien|Faut-il)\b)"
)
_PREVIOUS_WORD = re.compile(r"([\w’'-]+)$")
_OPENING, _CLOSING = "«“", "»”"


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where the web addresses are, so that their dots are never taken for sentence ends."""
    return [match.span() for match in _URL.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Is `position` inside one of `spans`?"""
    return any(start <= position < end for start, end in spans)


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Does this run of punctuation end a sentence (not « Inc. », « U.S. », « M. », « 3.5 »)?"""
    if not match.group(0).startswith("."):
        return True
    before = _PREVIOUS_WORD.search(text[max(0, match.start() - 80) : match.start()])
    if before is None:
        return True
    word = before.group(1)
    if word.casefold() in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())


def glued_junctions(text: str) -> list[int]:
    """Positions where a sentence starts right after the previous one with no space
    (« cinématographique.Le », « » ?L’IA », « BloombergQue pensez-vous »)."""
    spans = _url_spans(text)
    positions = []
    for match in _END.finditer(text):
        after = match.end()
        if after >= len(text) or _inside(match.start(), spans):
            continue
        following = text[after]
        starts = following.isupper() or following in _OPENING
        if starts and _ends_sentence(text, match):
            positions.append(after)
    positions += [m.start() for m in _QUESTION_WORD.finditer(text) if not _inside(m.start(), spans)]
    return sorted(set(positions))


def unglue(text: str, separator: str = " ") -> str:
    """Put `separator` between sentences glued together."""
    pieces, last = [], 0
    for position in glued_junctions(text):
        pieces.append(text[last:position])
        last = position
    pieces.append(text[last:])
    return separator.join(piece.strip() if separator == "\n" else piece for piece in pieces)


def quote_depths(text: str) -> list[int]:
    """For each character, how many « … » or “ … ” quotations are open there; all zero when
    the quotation marks do not pair up (a paste that lost one)."""
    balanced = all(text.count(o) == text.count(c) for o, c in zip(_OPENING, _CLOSING, strict=True))
    depths, depth = [], 0
    for char in text:
        if balanced and char in _OPENING:
            depth += 1
        elif balanced and char in _CLOSING:
            depth = max(depth - 1, 0)
        depths.append(depth)
    return depths


def sentences(text: str) -> list[str]:
    """Split a paragraph into whole sentences; a quotation that holds several sentences
    stays inside the sentence that quotes it."""
    spans = _url_spans(text)
    depths = quote_depths(text)
    result, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        if end >= len(text) or not text[end].isspace():
            continue
        following = text[end:].lstrip()[:1]
        if not following or not (following.isupper() or following.isdigit() or following in "«“"):
            continue
        if depths[end - 1] or _inside(match.start(), spans):
            continue
        if _ends_sentence(text, match):
            result.append(text[start:end].strip())
            start = end
    tail = text[start:].strip()
    return [*result, tail] if tail else result
