"""Pasted page text → a list of blocks (one per paragraph line), and the small text tests
the other ingest steps share: does a line look like a heading, which language is it in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from revue.dates import ArticleDate
from revue.text import fold

Kind = Literal["text", "heading", "tweet"]


@dataclass
class Tweet:
    """An embedded post: its text as Markdown paragraphs, its author and its date."""

    paragraphs: list[str]
    name: str
    handle: str
    date: ArticleDate | None
    date_text: str
    url: str | None = None
    lang: str = "en"


@dataclass
class Block:
    """One paragraph of the article being built. `wall` numbers the over-long line a block
    was cut from (None for an ordinary paragraph); `tweet` is set when kind is "tweet"."""

    text: str
    kind: Kind = "text"
    wall: int | None = None
    tweet: Tweet | None = field(default=None, repr=False)


_SPACES = re.compile(r"[ \t\u00a0\u2007\u2009\u200a\u202f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ENDS_SENTENCE = re.compile(r"[.!?:;…»”\"')\]]$")
_FINAL_PUNCTUATION = re.compile(r"[.:;,…!]$")

_FRENCH_LIST = (
    "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette il "
    "elle ne se son sa ses leur sont ete par plus mais ou nous vous etre fait comme"
)
_ENGLISH_LIST = (
    "the of and to in is that for it with as was are this be by you our your from "
    "at an have has will can not we they their about what when how here"
)
FRENCH_WORDS = frozenset(_FRENCH_LIST.split())
ENGLISH_WORDS = frozenset(_ENGLISH_LIST.split())


def normalize(raw: str) -> str:
    """Unify line ends, drop invisible characters and turn every kind of space into a plain
    one (the site's typography rules put back the French no-break spaces)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)


def split_blocks(text: str) -> list[Block]:
    """One block per non-empty line; a line cut in mid-sentence (the next one starting in
    lower case within the same paragraph) is joined to the next one."""
    blocks: list[Block] = []
    previous_blank = True
    for line in text.split("\n"):
        if not line:
            previous_blank = True
            continue
        joinable = blocks and not previous_blank and not _ENDS_SENTENCE.search(blocks[-1].text)
        if joinable and line[0].islower():
            blocks[-1].text += " " + line
        else:
            blocks.append(Block(line))
        previous_blank = False
    return blocks


def looks_like_heading(text: str, max_length: int = 220) -> bool:
    """A short line with no sentence-ending punctuation (or a short single question),
    starting with a capital: « Une technologie contestée à Hollywood »."""
    text = text.strip()
    if not text or len(text) > max_length or not (text[0].isupper() or text[0].isdigit()):
        return False
    if "://" in text or re.search(r"[.!?…] \S", text):
        return False
    if text.endswith("?"):
        return len(text) <= 120 and text.count("?") == 1
    return not _FINAL_PUNCTUATION.search(text) and not text.startswith("«")


def detect_lang(text: str) -> str | None:
    """'fr' or 'en' by counting common short words; None when too few to tell."""
    tokens = re.findall(r"[a-zà-ÿ]+", fold(text).replace("’", " ").replace("'", " "))
    french = sum(token in FRENCH_WORDS for token in tokens)
    english = sum(token in ENGLISH_WORDS for token in tokens)
    if french + english < 2 or french == english:
        return None
    return "fr" if french > english else "en"


def shorten(text: str, limit: int = 80) -> str:
    """Keep the start and the end of a long text: « Ces cookies et traceurs… Plus d’infos. »."""
    if len(text) <= limit:
        return text
    head, tail = text[: limit - 30].rstrip(), text[-25:].lstrip()
    return f"{head}… {tail}"


def dropped_line(label: str, texts: list[str]) -> str:
    """A line of the `dropped` report: `label: « first », « second »` (quotes shortened)."""
    quoted = ", ".join(f"« {shorten(text)} »" for text in texts[:6])
    more = f" and {len(texts) - 6} more" if len(texts) > 6 else ""
    return f"{label}: {quoted}{more}"
