"""Frontmatter fields found in a pasted page: the date marker, the byline (author, date),
the canonical address, the « Source(s) : » line, the title, a date cited in the text as a
last resort, the summary and the language. Nothing is guessed: what is not found is None."""

from __future__ import annotations

import datetime as dt
import html
import re

from revue.dates import ArticleDate, parse_date
from revue.ingest.blocks import Block, detect_lang, looks_like_heading
from revue.ingest.datefind import ANY_DATE, FoundDate, find_dates, resolve_years
from revue.ingest.lang import language
from revue.ingest.result import first_sentences
from revue.text import fold

_MARKER = re.compile(r"^\s*date\s*:?\s*(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*", re.IGNORECASE)
_CANONICAL = re.compile(
    r"<link\b[^>]*rel=[\"']canonical[\"'][^>]*href=[\"'](?P<a>[^\"']+)"
    r"|<meta\b[^>]*property=[\"']og:url[\"'][^>]*content=[\"'](?P<b>[^\"']+)",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^(?:url|lien|adresse|canonical)\s*:\s*(https?://\S+)$", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"\b(publié|mis en ligne|posté|paru|date de publication|mis à jour|modifié)\b", re.IGNORECASE
)
_NAME = r"[A-ZÀ-Ý][\w’'.-]+(?:\s+(?:de\s+|d['’]|van\s+|von\s+|le\s+)?[A-ZÀ-Ý][\w’'.-]+){0,3}"
_NAMES = rf"{_NAME}(?:\s*(?:,|et|&)\s*{_NAME})*"
_AUTHOR = re.compile(rf"^(?i:par|by|auteure?|rédigé par|écrit par)\s*:?\s+(?P<names>{_NAMES})")
_AUTHOR_LINE = re.compile(r"^(par|by|auteure?\b|rédigé par|écrit par)", re.IGNORECASE)
_DATE_ONLY = re.compile(
    rf"^(?:le\s+)?(?:{ANY_DATE.pattern})(?:\s*(?:à|-|,)?\s*\d{{1,2}}\s*[h:]\s*\d{{0,2}})?$",
    re.IGNORECASE,
)
_SOURCES = re.compile(r"^(?P<label>sources?)\s*:\s*(?P<names>.+)$", re.IGNORECASE)
FRONT_BLOCKS = 5


def take_date_marker(text: str) -> tuple[str, str | None]:
    """Read a leading `date 2024-03` marker; return the text without it and the date."""
    match = _MARKER.match(text)
    if not match:
        return text, None
    try:
        iso = parse_date(match[1]).iso
    except ValueError:
        return text, None
    return text[match.end() :], iso


def find_canonical(raw: str) -> str | None:
    """The page's canonical address from a `<link rel="canonical">` or `og:url` tag."""
    match = _CANONICAL.search(raw)
    return html.unescape(match["a"] or match["b"]) if match else None


def _author(text: str) -> str | list[str] | None:
    """The author name(s) of a byline (« Par Jean Dupont et Marie Durand, publié le … »)."""
    match = _AUTHOR.match(text)
    if match is None:
        match = re.search(rf"\bpar\s+(?P<names>{_NAMES})", text)
    if match is None:
        return None
    names = [n.strip() for n in re.split(r"\s*(?:,|\bet\b|&)\s*", match["names"]) if n.strip()]
    return names[0] if len(names) == 1 else names


def take_byline(blocks: list[Block], today: dt.date) -> tuple[list[Block], dict, list[str]]:
    """Read the author, publication date and address lines at the top of the page and
    remove them; return the blocks left, the fields found and the dropped report."""
    found: dict[str, object] = {}
    kept: list[Block] = []
    dropped: list[str] = []
    for index, block in enumerate(blocks):
        text = block.text
        front = index < FRONT_BLOCKS and block.kind == "text" and len(text) <= 200
        url = _URL_LINE.match(text) if block.kind == "text" else None
        if url:
            found.setdefault("url", url[1])
            dropped.append(f"address line: « {text} »")
            continue
        dates = find_dates(text, today) if front else []
        dated = [d for d in dates if d.date and d.year_given]
        is_date_line = front and dated and (_PUBLISHED.search(text) or _DATE_ONLY.match(text))
        is_author_line = front and _AUTHOR_LINE.match(text) and _author(text)
        if not (is_date_line or is_author_line):
            kept.append(block)
            continue
        if is_date_line and "date" not in found:
            found["date"] = dated[0].date.iso if dated[0].date else None
        if (author := _author(text)) and "author" not in found:
            found["author"] = author
        dropped.append(f"byline: « {text} »")
    return kept, found, dropped


def take_sources(blocks: list[Block]) -> tuple[list[Block], list[str], str | None]:
    """Remove the « Source(s) : A, B » lines; return the blocks left, the names cited and,
    for a lone « Source : X » line, that single name X."""
    kept: list[Block] = []
    names: list[str] = []
    single: str | None = None
    for block in blocks:
        match = _SOURCES.match(block.text) if block.kind == "text" else None
        if not match or len(block.text) > 300:
            kept.append(block)
            continue
        parts = re.split(r"\s*(?:[,;]|\bet\b|&)\s*", match["names"].strip(" ."))
        found = [part.strip(" .") for part in parts if part.strip(" .")]
        names += [name for name in found if name not in names]
        if match["label"].casefold() == "source" and len(found) == 1:
            single = found[0]
    return kept, names, single


def outlet_from_source_line(single: str | None, blocks: list[Block]) -> str | None:
    """The outlet named by a lone « Source : X » line, when the article never cites X
    itself (then X is where the article comes from, not one of its sources)."""
    if not single or "://" in single:
        return None
    body = fold(" ".join(block.text for block in blocks))
    return None if re.search(rf"\b{re.escape(fold(single))}\b", body) else single


def take_title(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """The first line is the title when it reads like one (short, no final full stop)."""
    if len(blocks) > 1 and blocks[0].kind == "text" and looks_like_heading(blocks[0].text, 160):
        return blocks[1:], blocks[0].text.rstrip(" :")
    return blocks, None


def cited_date(blocks: list[Block], today: dt.date) -> tuple[ArticleDate, str] | None:
    """The latest date cited in the text or its tweets (not after `today`), and how it was
    found, for when the page shows no date of its own."""
    found: list[tuple[FoundDate, str]] = []
    for block in blocks:
        if block.tweet is not None and block.tweet.date is not None:
            found.append((FoundDate(block.tweet.date, block.tweet.date_text, True), "a tweet"))
        elif block.kind == "text":
            found += [(item, f"« {item.phrase} »") for item in find_dates(block.text, today)]
    years = {item.date.year for item, _ in found if item.date}
    items = resolve_years([item for item, _ in found], years)
    dated = [(item.date, how) for item, (_, how) in zip(items, found, strict=True) if item.date]
    dated = [(date, how) for date, how in dated if date.sort_key[:3] <= today.timetuple()[:3]]
    if not dated:
        return None
    return max(dated, key=lambda pair: pair[0].sort_key)


def summary(blocks: list[Block]) -> str | None:
    """The first one to three whole sentences of the first paragraph (about 320 characters
    at most, but never a sentence cut short)."""
    lede = next((block.text for block in blocks if block.kind == "text"), None)
    return None if lede is None else first_sentences(lede)


def page_lang(blocks: list[Block]) -> str | None:
    """The language of the article's own paragraphs (tweets left out): revue.ingest.lang
    for a long enough text, else 'fr' or 'en' by the short-text rule."""
    text = " ".join(block.text for block in blocks if block.kind == "text")
    return language(text) or detect_lang(text)
