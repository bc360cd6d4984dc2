"""The title, author and date of an article read from the lines of a whole pasted page
around the article's start: « Par Jeanne Dupont », « Marie Martin | lundi 9 décembre 2019
à 09h08 », « publié le 1er novembre 2023 à 16h28 », a name alone next to a date, the
headline above them. In: plain lines; out: values or None (nothing is guessed)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from revue.ingest.blocks import looks_like_heading
from revue.ingest.chrome import _SEE_ALSO, _folded, classify
from revue.ingest.datefind import ANY_DATE, FRENCH_MONTHS, find_dates, read_match
from revue.ingest.zone import STAMPED, STOP_WORDS, folded_words, is_prose
from revue.text import fold

_PARTICLE = r"(?:de la |de l['’]|de |du |des |d['’]|van |von |le |la |el |al |ben )"
_TOKEN = r"[A-ZÀ-Ý][\w’'.-]*"
_NAME = rf"{_TOKEN}(?: {_PARTICLE}?{_TOKEN}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|\bet\b|&|\band\b)\s*{_NAME})*"
_LABEL = (
    r"(?i:par|by|auteure?s?(?: ?\(s\))?\s*:|texte\s*:|propos recueillis par"
    r"|r[ée]dig[ée] par|[ée]crit par|signé par)"
)
_PAR_LINE = re.compile(rf"^{_LABEL}\s*(?P<names>{_NAMES})(?P<rest>.*)$")
_PAR_INSIDE = re.compile(
    rf"(?:^|[|•—–,-]\s*)(?i:par|by)\s+(?P<names>{_NAMES}(?:\s*\([^()]{{3,60}}\))?)\s*(?:[|•—–,-]|$)"
)
_NAME_THEN_DATE = re.compile(rf"^(?P<names>{_NAMES})\s*[|•—–,-]\s*(?:le\s+)?\w*\s*\d")
_LABEL_ALONE = re.compile(rf"^{_LABEL}\s*$")
_NAME_ONLY = re.compile(rf"^(?P<names>{_NAMES})$")
_LONG_NAME = re.compile(rf"^{_TOKEN}(?: {_PARTICLE}?{_TOKEN}){{0,6}}$")
_REST_OK = re.compile(r"^\s*($|[,|•—–(-]|le\b|publi|mis |\d|à\b|\w+ \d)", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(publi[ée]e?|mis en ligne|post[ée]|paru|créé|date)\b", re.I)
_DATE_LABEL = re.compile(
    r"^(publi[ée]e? le|mise? en ligne( le)?|date( de publication)?)\s*:?$", re.IGNORECASE
)
_UPDATED = re.compile(r"\b(mis à jour|mise à jour|modifi[ée]|actualis[ée])\b", re.I)
_DATE_LINE_MAX = 120
_SHORT_DATE = re.compile(
    r"\b(?P<day>\d{1,2}) (?P<month>janv|févr|fevr|mars|mar|avr|mai|juin|juil|août|aout|sept?"
    r"|oct|nov|déc|dec)\.? (?P<year>\d{2})\b",
    re.IGNORECASE,
)
_GLUED_TWICE = re.compile(r"([A-ZÀ-Ý][\w’']{2,})\1")
_ECHO_BONUS = 1.0  # a line the page prints on its own three times or more: strong evidence
_QUOTE_PENALTY = 1.0  # a whole line inside « »: often a pull quote, weak evidence
_SHORT_MONTHS = {"mar": 3, "sep": 9}


def _short_date(match: re.Match[str]) -> list[tuple[int, str]]:
    """« 27 mars 20 » after « publié le » (a two-digit year) → [(position, '2020-03-27')]."""
    name = match["month"].casefold()
    month = _SHORT_MONTHS.get(name) or FRENCH_MONTHS[name]
    try:
        day = dt.date(2000 + int(match["year"]), month, int(match["day"]))
    except ValueError:
        return []
    return [(match.start(), day.isoformat())]


@dataclass(frozen=True)
class Header:
    """What the lines around an article's start say about it."""

    title: str | None
    author: list[str]
    date: str | None
    lines: frozenset[int]  # the byline and date lines, left out of the body
    outlet: str | None = None


def _undouble(text: str) -> str:
    """« Jeanne Dupont Jeanne Dupont » (a name shown twice by the page) → « Jeanne Dupont »."""
    words = text.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return " ".join(words[:half])
    return text


def split_names(names: str) -> list[str]:
    """« Jeanne Dupont et Marie Martin » → the two names; a byline with a remark in
    brackets (« A (avec B et C) ») is kept as written."""
    if "(" in names:
        return [names.strip()]
    parts = re.split(r"\s*(?:,|;|\bet\b|&|\band\b)\s*", names)
    return [part.strip() for part in parts if part.strip()]


def _plain_name(text: str) -> bool:
    """A line that is only a person's name: 1 to 5 capitalised words, no stop word."""
    text = _undouble(text)
    if len(text) > 50 or not _NAME_ONLY.match(text):
        return False
    words = folded_words(text)
    return 2 <= len(text.split()) <= 5 and not any(
        w in STOP_WORDS and w not in ("de", "du", "la", "le", "d") for w in words
    )


def author_in(line: str, following: str | None, *, loose: bool = True) -> list[str]:
    """The author names a byline line states, [] when it is not a byline. `loose` also
    accepts a name followed by a date (« Marie Martin | 9 décembre 2019 »)."""
    line = line.strip()
    if len(line) > 200:
        return []
    match = _PAR_LINE.match(line)
    if match and _REST_OK.match(match["rest"]):
        return split_names(_undouble(match["names"]))
    if _LABEL_ALONE.match(line) and following and _LONG_NAME.match(following.strip()):
        return split_names(_undouble(following.strip()))
    if len(line) <= 160 and (match := _PAR_INSIDE.search(line)):
        return split_names(match["names"])
    if not loose:
        return []
    match = _NAME_THEN_DATE.match(line)
    if match and find_dates(line, dt.date.max):
        return split_names(match["names"])
    return []


def byline_author(lines: list[str]) -> list[str]:
    """The first byline's names among `lines` (« Par … », « Auteur : … »), [] if none."""
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if names := author_in(line, following):
            return names
    return []


def _date_in(line: str, previous: str = "") -> tuple[str, int] | None:
    """The date of a date line and its rank (0 publication, 1 a bare or byline date,
    2 « mis à jour » only), None when the line is not a short line giving a full date.
    In « 30 avril 2015 (mis à jour : 1er mai 2015) » the date before the update wins."""
    if len(line) > _DATE_LINE_MAX or is_prose(line):
        return None
    found = [
        (match.start(), item.date.iso)
        for match in ANY_DATE.finditer(line)
        if (item := read_match(match, dt.date.max)).date and item.year_given
    ]
    published = _PUBLISHED.search(line)
    if not found and published and (short := _SHORT_DATE.search(line, published.end())):
        found = _short_date(short)
    if not found:
        return None
    updated = _UPDATED.search(line)
    if updated:
        before = [iso for position, iso in found if position < updated.start()]
        if before:
            return before[0], 0
        if published and published.start() > updated.start():
            after = [iso for position, iso in found if position > published.start()]
            return (after or [found[0][1]])[0], 0
        return found[0][1], 2
    labelled = published or _DATE_LABEL.match(previous.strip())
    return found[0][1], 0 if labelled else 1


def _title_score(lines: list[str], index: int, anchor: int, page: str) -> float:
    """How much line `index` reads as the headline: a heading-like line of 3+ words just
    above the byline or the date, repeated elsewhere on the page (breadcrumb, share box;
    more when printed on its own three times or more); a whole quotation counts less;
    0 when it cannot be the title (a link label printed twice is a button)."""
    text = lines[index].strip()
    words = len(text.split())
    if words < 3 or len(text) > 250 or classify(text) or STAMPED.match(text):
        return 0.0
    if _DATE_LABEL.match(text) or _LABEL_ALONE.match(text):
        return 0.0
    if _doubled(text):
        return 0.0
    quoted = text.startswith(("«", '"', "“")) and text.endswith(("»", '"', "”"))
    if not (looks_like_heading(text, 250) or quoted or text.endswith("…")):
        return 0.0
    copies = page.count(fold(text)) - 1
    repeats = min(copies, 2) * 0.5
    repeats += _ECHO_BONUS if copies >= 2 and _echoes(lines, index) >= 2 else 0.0
    offset = anchor - index
    near = {1: 4.5, 2: 3.5, 3: 3.5, 4: 1.5, 5: 1.5, 6: 1.5, -1: 2.0, -2: 1.0}.get(offset, 0.0)
    weak = _QUOTE_PENALTY if quoted else 0.0
    return 1.0 + min(len(text), 100) / 25 + repeats + near - (offset < -2) - weak


def _doubled(text: str) -> bool:
    """A link label the page printed twice (an icon's text then the link's): the whole
    line twice (« Nos offresNos offres ») or a capitalised word glued to itself
    (« ÉcouterÉcouter »). Such lines are menus and buttons, never a headline."""
    half, odd = divmod(len(text), 2)
    if text[:half] == text[half + odd :] and (not odd or text[half] == " "):
        return True
    return bool(_GLUED_TWICE.search(text))


def _echoes(lines: list[str], index: int) -> int:
    """How many other lines repeat line `index` on their own (a share box, a second
    heading), not as part of a repeated block such as a menu printed twice."""
    folded = [fold(line.strip()) for line in lines]

    def around(i: int) -> tuple[str, str]:
        return (folded[i - 1] if i else "", folded[i + 1] if i + 1 < len(folded) else "")

    before, after = around(index)
    return sum(
        1
        for other, line in enumerate(folded)
        if other != index
        and line == folded[index]
        and around(other)[0] != before
        and around(other)[1] != after
    )


def _by_distance(indices: range, start: int) -> list[int]:
    """Indices nearest to `start` first, a line before it winning over one after it."""
    return sorted(indices, key=lambda index: (abs(start - 0.5 - index), index))


def read_header(lines: list[str], start: int, end: int) -> Header:
    """Title, author and date from the lines around the article's first paragraph (30
    before it, 8 after it), the lines nearest to it first: an explicit byline (« Par »,
    « Auteur : ») wins over a name followed by a date, which wins over a lone name."""
    window = range(max(0, start - 30), min(len(lines), max(start + 8, end + 4)))
    author: list[str] = []
    used: set[int] = set()
    anchor = None
    related = [i for i in window if i < start and _SEE_ALSO.match(_folded(lines[i]))]
    for loose in (False, True):
        for index in _by_distance(window, start):
            if any(index > i for i in related):
                continue  # a byline of a « Sur le même sujet » box, not the article's
            following = lines[index + 1] if index + 1 < len(lines) else None
            names = author_in(lines[index], following, loose=loose)
            if names:
                author, anchor = names, index
                used.add(index)
                if _LABEL_ALONE.match(lines[index]):
                    used.add(index + 1)
                break
        if author:
            break
    dates = []
    for index in window:
        found = _date_in(lines[index], lines[index - 1] if index else "")
        if found:
            near = abs(index - (anchor if anchor is not None else start))
            dates.append((found[1], near, index, found[0]))
    if not author:
        for index in _by_distance(window, start):
            near = [lines[j] for j in (index - 1, index + 1) if j in window]
            if _plain_name(lines[index]) and any(_date_in(line) for line in near):
                author, anchor = split_names(_undouble(lines[index])), index
                used.add(index)
                break
    best_date = min(dates) if dates else None
    if best_date:
        used.add(best_date[2])
        anchor = anchor if anchor is not None else best_date[2]
    page = "\n".join(fold(line) for line in lines)
    anchor = anchor if anchor is not None else start
    scored = [
        (_title_score(lines, index, anchor, page), index)
        for index in window
        if index not in used and index <= max(anchor + 2, start)
    ]
    best = max(scored, default=(0.0, -1))
    title = lines[best[1]].strip() if best[0] > 0 else None
    return Header(
        title=title,
        author=author,
        date=best_date[3] if best_date else None,
        lines=frozenset(used | ({best[1]} if title else set())),
    )


_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_RIGHTS = re.compile(
    r"©|\(c\)|copyright|tous droits r[ée]serv[ée]s|all rights reserved|\b\d{4}\b|[-–—]\s*$",
    re.IGNORECASE,
)


def copyright_outlet(lines: list[str]) -> str | None:
    """The outlet a « © 2023 Le Courrier du Val » line names at the end of a page."""
    for line in reversed(lines[-40:]):
        if not _COPYRIGHT.match(line.strip()) or len(line) > 100:
            continue
        name = _RIGHTS.sub(" ", line)
        name = re.split(r"\s[|·•]\s", name)[0]
        name = re.sub(r"\s+", " ", name).strip(" .,-–—|·•")
        if 1 <= len(name.split()) <= 6 and not name.isupper():
            return name
    return None
