"""Paragraphs and headings: tidy each paragraph, cut a wall of text (a whole article pasted
as one line) into readable paragraphs, and tell section headings from a page outline."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

from revue.ingest.blocks import Block, dropped_line, looks_like_heading
from revue.ingest.sentences import glued_junctions, quote_depths, sentences, unglue
from revue.text import stems

WALL_LENGTH = 1500  # a line longer than this is several paragraphs run together
MAX_SENTENCES = 5
MAX_CHARACTERS = 800
MAX_TOPICAL = 20_000  # longer walls are cut by size only: topic shifts cost quadratic time
_CONNECTIVES = re.compile(
    r"^(En d'autres termes|Autrement dit|Ainsi|Par conséquent|De plus|En outre|Toutefois"
    r"|Pourtant|Néanmoins|Par ailleurs|Mais|Et|Or|Donc)\b"
)


def tidy(text: str) -> str:
    """Fix spacing slips of pasted text: « OpenAI , Bloomberg », « alarme :« Une »,
    a closing guillemet typed as an opening one at the very end (« survivre.« »)."""
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"([:.!?])«", r"\1 «", text)
    if text.count("«") > text.count("»"):
        text = re.sub(r"\s*«\s*$", " »", text)
    return text.strip()


def cut_walls(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Split each over-long line at its glued sentence ends (where the page's paragraphs
    were run together), outside quotations; in ordinary paragraphs just add the space."""
    result: list[Block] = []
    notes: list[str] = []
    for block in blocks:
        if block.kind != "text":
            result.append(block)
        elif len(block.text) <= WALL_LENGTH:
            result.append(Block(tidy(unglue(block.text)), wall=block.wall))
        else:
            wall = len(notes)
            pieces = _wall_pieces(block.text)
            result += [Block(tidy(piece), wall=wall) for piece in pieces]
            notes.append(
                f"a {len(block.text)}-character line was cut into paragraphs (at its glued "
                "sentence ends, then where the topic shifts): check the breaks"
            )
    return result, notes


def _wall_pieces(text: str) -> list[str]:
    """Cut a wall of text at its glued sentence ends that are not inside a quotation."""
    depths = quote_depths(text)
    pieces, last = [], 0
    for position in glued_junctions(text):
        if depths[position - 1] == 0:
            pieces.append(text[last:position])
            last = position
    pieces.append(text[last:])
    return [unglue(piece).strip() for piece in pieces if piece.strip()]


def mark_headings(blocks: list[Block]) -> list[Block]:
    """Mark as headings the short unpunctuated lines that have something after them."""
    return [
        replace(block, kind="heading")
        if block.kind == "text" and block.wall is None and looks_like_heading(block.text)
        else block
        for block in blocks[:-1]
    ] + blocks[-1:]


def drop_outline(blocks: list[Block]) -> tuple[list[Block], list[str], list[str]]:
    """Drop a run of headings with no text under them (tweets may sit between): three or
    more, two of them back to back, are the page's outline, not sections of this text."""
    kept: list[Block] = []
    dropped: list[str] = []
    notes: list[str] = []
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and blocks[end].kind in ("heading", "tweet"):
            end += 1
        run = blocks[index:end] or [blocks[index]]
        headings = [b.text for b in run if b.kind == "heading"]
        back_to_back = any(a.kind == b.kind == "heading" for a, b in pairwise(run))
        if len(headings) >= 3 and back_to_back:
            kept += [b for b in run if b.kind != "heading"]
            dropped.append(
                dropped_line("page outline (headings with no text under them)", headings)
            )
            notes.append(
                f"{len(headings)} headings with no text under them looked like the "
                "page's outline and were dropped: put back by hand the ones you want"
            )
        else:
            kept += run
        index += len(run)
    return kept, dropped, notes


@lru_cache(maxsize=4096)
def _content_stems(text: str) -> frozenset[str]:
    """The meaningful word stems of a text, for comparing topics."""
    return frozenset(stem for stem in stems(text) if len(stem) >= 4)


def _similarity(first: str, second: str) -> float:
    """How much two passages share their vocabulary, from 0 to 1."""
    a, b = _content_stems(first), _content_stems(second)
    return len(a & b) / (min(len(a), len(b)) or 1)


def _fits(first: str, second: str) -> bool:
    """Would the two passages joined still make a readable paragraph?"""
    count = len(sentences(first)) + len(sentences(second))
    return count <= MAX_SENTENCES and len(first) + len(second) < MAX_CHARACTERS


def _split_long(text: str) -> list[str]:
    """Cut a passage of too many sentences where its two halves share the fewest words."""
    parts = sentences(text)
    if len(parts) < 4 or (len(parts) <= MAX_SENTENCES and len(text) <= MAX_CHARACTERS):
        return [text]
    if len(text) > MAX_TOPICAL:
        return _by_size(parts)
    own = [_content_stems(part) for part in parts]

    def cost(cut: int) -> float:
        head, tail = frozenset().union(*own[:cut]), frozenset().union(*own[cut:])
        shared = len(head & tail) / (min(len(head), len(tail)) or 1)
        return shared + abs(cut - len(parts) / 2) / len(parts)

    best = min(range(2, len(parts) - 1), key=cost)
    return [*_split_long(" ".join(parts[:best])), *_split_long(" ".join(parts[best:]))]


def _by_size(parts: list[str]) -> list[str]:
    """Sentences gathered in order into paragraphs of at most MAX_SENTENCES sentences and
    about MAX_CHARACTERS characters (for walls too long to weigh topic shifts in)."""
    paragraphs: list[list[str]] = [[]]
    for part in parts:
        current = paragraphs[-1]
        if current and (
            len(current) >= MAX_SENTENCES or sum(map(len, current)) + len(part) > MAX_CHARACTERS
        ):
            paragraphs.append(current := [])
        current.append(part)
    return [" ".join(paragraph) for paragraph in paragraphs if paragraph]


def _group(pieces: list[str]) -> list[str]:
    """Join each one-sentence passage to the neighbour it shares most words with, while the
    paragraph stays within MAX_SENTENCES and MAX_CHARACTERS."""
    if sum(map(len, pieces)) > MAX_TOPICAL:
        return _by_size([part for piece in pieces for part in sentences(piece)])
    pieces = [part for piece in pieces for part in _split_long(piece)]
    while True:
        best: tuple[float, int] | None = None
        for index, piece in enumerate(pieces):
            if len(sentences(piece)) != 1:
                continue
            for other in (index - 1, index + 1):
                if not 0 <= other < len(pieces):
                    continue
                first, second = sorted((index, other))
                if not _fits(pieces[first], pieces[second]):
                    continue
                score = _similarity(piece, pieces[other])
                if other < index and _CONNECTIVES.match(piece.replace("’", "'")):
                    score += 1
                if best is None or score > best[0]:
                    best = (score, first)
        if best is None:
            return pieces
        first = best[1]
        pieces[first : first + 2] = [f"{pieces[first]} {pieces[first + 1]}"]


def regroup_walls(blocks: list[Block]) -> list[Block]:
    """Regroup the passages cut from each wall of text into paragraphs of a few sentences."""
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        wall = blocks[index].wall
        end = index + 1
        while wall is not None and end < len(blocks) and blocks[end].wall == wall:
            end += 1
        if wall is None or blocks[index].kind != "text":
            result.append(blocks[index])
        else:
            texts = _group([b.text for b in blocks[index:end] if b.kind == "text"])
            result += [Block(text, wall=wall) for text in texts]
        index = end
    return result
