"""Metadata a saved web page states about itself: JSON-LD (`NewsArticle`, also inside
`@graph` or a list), Open Graph and other `<meta>` tags, `<title>`, `<h1>`, `<time>`, byline
markup and the canonical address. In: an lxml tree; out: plain values or None, never a
guess. The publication date falls back on htmldate's reading of the page."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator

from lxml import html as lxml_html

from revue.dates import parse_date
from revue.text import fold

_ARTICLE_TYPES = re.compile(r"(?i)(news|blog|scholarly|tech|report|opinion)?article|posting")
_SEPARATORS = re.compile(r"\s+[-|–—·•]+\s+")
_NOT_NAME = re.compile(r"https?://|@|\d{3}|\bwww\.", re.IGNORECASE)
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_LABEL = re.compile(r"^(auteurs?|authors?|auteure?s?|par|by|rédaction|signature)\s*:?$", re.I)
_OUTSIDE = re.compile(r"comment|menu|nav|footer|related|share|social|newsletter|popup|modal")
_ITEMPROP_DATE = "//*[@itemprop='datePublished']"
_PARTICLES = frozenset(("de", "du", "des", "van", "von", "der", "den", "le", "la", "da", "di", "y"))
_BY = re.compile(r"^(?:par|by|de|auteure?|rédigé par|écrit par)\s*:?\s+", re.IGNORECASE)


def _text(element) -> str:
    """The visible text of an element, spaces collapsed."""
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _meta(tree, *names: str) -> str | None:
    """The first non-empty `<meta name|property|itemprop=…>` content among `names`."""
    for name in names:
        for element in tree.xpath(
            "//meta[@name=$n or @property=$n or @itemprop=$n]", n=name
        ) or tree.xpath(
            "//meta[translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')=$n]",
            n=name,
        ):
            value = re.sub(r"\s+", " ", element.get("content") or "").strip()
            if value:
                return value
    return None


def _walk(value: object) -> Iterator[dict]:
    """Every JSON object inside a JSON-LD value (lists and `@graph` flattened)."""
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        yield value
        yield from _walk(value.get("@graph", []))
        yield from _walk(value.get("mainEntity", []))


def json_ld_article(tree) -> dict:
    """The first JSON-LD object typed as an article (NewsArticle, Article, BlogPosting…)."""
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            text = _CDATA.sub("", script.text_content()).strip()
            data = json.loads(text or "null", strict=False)
        except ValueError:
            continue
        for item in _walk(data):
            kinds = item.get("@type", [])
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and _ARTICLE_TYPES.fullmatch(k) for k in kinds):
                return item
    return {}


def _names(value: object) -> list[str]:
    """Person names in a JSON-LD author value (Organizations left out)."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and "Organization" not in str(item.get("@type", "")):
            name = item.get("name")
            names += [name] if isinstance(name, str) else []
    return names


def _capitalised(name: str) -> bool:
    """Does `name` read as a name: words capitalised, but for particles and a remark in
    brackets (« Martin Untersinger (avec Damien Leloup et Morgane Tual) »)?"""
    outside = re.sub(r"\([^()]*\)", "", name).split()
    return bool(outside) and all(
        word[0].isupper() or word in _PARTICLES or word.startswith(("d'", "d’")) for word in outside
    )


def clean_names(names: list[str], outlet: str | None) -> list[str]:
    """Author names tidied: « Par » dropped, outlets, addresses and duplicates left out."""
    result: list[str] = []
    for raw in names:
        raw = _BY.sub("", raw.strip(" ,;:|-\u2013\u2014"))
        parts = [raw] if "(" in raw else re.split(r"\s*(?:,|;|\bet\b|\band\b|&)\s*", raw)
        for part in parts:
            name = part.strip(" |-")
            if not name or _NOT_NAME.search(name) or len(name) > 60 or len(name.split()) > 8:
                continue
            if _ACRONYM.match(name) or _LABEL.match(name) or not _capitalised(name):
                continue
            if (outlet and fold(name) in fold(outlet)) or fold(name) in [fold(n) for n in result]:
                continue
            result.append(name)
    return result


def _outside_article(element) -> bool:
    """Is the element inside navigation, a footer, an aside, a comment or share block?"""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "footer", "aside"):
            return True
        marks = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
        if _OUTSIDE.search(marks):
            return True
    return False


def _byline_names(tree) -> Iterator[str]:
    """Texts marked up as the byline (rel=author, itemprop=author, a class « author »,
    « byline » or « signature ») outside menus, comments and footers, in page order."""
    for element in tree.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class,'author')"
        " or contains(@class,'byline') or contains(@class,'signature')]"
    ):
        if element.tag in ("script", "style", "meta", "link", "img", "h1", "h2", "h3", "h4"):
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if _OUTSIDE.search(marks) or _outside_article(element):
            continue
        inner = element.xpath(".//*[@itemprop='name']")
        text = _text(inner[0]) if inner else _text(element)
        if 2 < len(text) <= 80 and not re.search(r"\d", text) and not _LABEL.match(text):
            yield text


def authors(tree, article: dict, outlet: str | None, byline: list[str]) -> list[str]:
    """The article's authors: JSON-LD Person names, else the first byline markup holding
    a name, else `byline` (read from the page's text around the article), else
    `<meta name="author">` (unless it names the outlet); empty when none is stated."""
    names = clean_names(_names(article.get("author")), outlet)
    if names:
        return names
    for text in _byline_names(tree):
        if names := clean_names([text], None):
            return names
    if names := clean_names(byline, None):
        return names
    return clean_names([_meta(tree, "author", "article:author", "dc.creator") or ""], outlet)


def outlet(tree, article: dict) -> str | None:
    """The outlet: og:site_name, else the JSON-LD publisher's name."""
    publisher = article.get("publisher")
    name = publisher.get("name") if isinstance(publisher, dict) else None
    return _meta(tree, "og:site_name", "application-name") or (
        name.strip() if isinstance(name, str) and name.strip() else None
    )


def _strip_site(title: str, site: str | None) -> str:
    """« Titre - Le Site » → « Titre »: cut a separator-led part that names the site or that
    is much shorter than the rest (a site name), keeping the longest side."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    pieces = _SEPARATORS.finditer(title)
    cut = [m.start() for m in pieces]
    tail = title[cut[-1] :].strip(" -|–—·•")
    head = title[: cut[-1]].strip()
    if site and (fold(site) in fold(tail) or fold(tail) in fold(site)):
        return _strip_site(head, site)
    if len(tail.split()) <= 4 and len(head) > 2 * len(tail):
        return _strip_site(head, site)
    return title


def title(tree, article: dict, site: str | None) -> str | None:
    """The headline: the page's `<h1>` when the metadata titles agree with it, else the
    JSON-LD headline or og:title (or `<title>`) without the site name."""
    stated = [
        t
        for t in (
            article.get("headline") if isinstance(article.get("headline"), str) else None,
            _meta(tree, "og:title", "twitter:title"),
            _text(tree.find(".//title")) if tree.find(".//title") is not None else None,
        )
        if t
    ]
    folded = [fold(t) for t in stated]
    for heading in tree.xpath("//h1"):
        text = _text(heading)
        if len(text) >= 8 and any(fold(text) in f and 2 * len(text) >= len(f) for f in folded):
            return text
    for candidate in stated:
        cleaned = _strip_site(candidate, site).strip()
        if len(cleaned) >= 3:
            return cleaned
    headings = [_text(h) for h in tree.xpath("//h1")]
    return next((h for h in headings if len(h) >= 8), None)


def _iso_day(value: object) -> str | None:
    """`YYYY-MM-DD` of an ISO date or date-time string, None when it is not one."""
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value or ""))
    if not match:
        return None
    try:
        return parse_date(match[1]).iso
    except ValueError:
        return None


def published(tree, article: dict, page: str, shown: str | None) -> str | None:
    """The publication day: JSON-LD datePublished, the article:published_time family of
    `<meta>` tags, an `itemprop=datePublished`, else `shown` (the date written by the
    headline), else htmldate (original date, no guessing from the text), else None."""
    for value in (
        article.get("datePublished"),
        article.get("dateCreated"),
        _meta(tree, "article:published_time", "datePublished", "og:published_time"),
        _meta(tree, "date", "dc.date", "dc.date.issued", "dcterms.created", "pubdate"),
        *(t.get("datetime") or t.get("content") for t in tree.xpath(_ITEMPROP_DATE)),
    ):
        if day := _iso_day(value):
            return day
    if shown:
        return shown
    from htmldate import find_date  # imported late: it is slow to import

    try:
        found = find_date(_without_comments(tree), original_date=True, extensive_search=False)
    except Exception:  # htmldate parses any page; a failure just means no date
        found = None
    return _iso_day(found)


def _without_comments(tree):
    """A copy of the page without its reader comments (their dates are not the article's)."""
    tree = copy.deepcopy(tree)
    for element in tree.xpath(
        "//*[contains(translate(@class,'COMMENT','comment'),'comment')"
        " or contains(translate(@id,'COMMENT','comment'),'comment')]"
    ):
        if element.getparent() is not None:
            element.drop_tree()
    return tree


def canonical(tree) -> str | None:
    """The page's own address: `<link rel="canonical">`, else og:url."""
    for link in tree.xpath("//link[@rel='canonical']/@href"):
        if link.startswith(("http://", "https://")):
            return link.strip()
    url = _meta(tree, "og:url")
    return url if url and url.startswith(("http://", "https://")) else None


def language(tree) -> str | None:
    """The language the page declares: `<html lang>`, else og:locale / content-language."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    declared = declared or _meta(tree, "og:locale", "content-language", "language")
    match = re.match(r"\s*([a-zA-Z]{2,3})\b", declared or "")
    return match[1].lower() if match else None


def parse(page: str):
    """An lxml tree for the page text, or None when it holds no HTML at all."""
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(page.encode("utf-8", "replace"), parser=parser)
    except (ValueError, lxml_html.etree.ParserError):
        return None
