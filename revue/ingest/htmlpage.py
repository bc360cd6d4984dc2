"""A saved web page (HTML text) → ImportResult. The body comes from trafilatura (precision
mode, Markdown output), which scored best on the evaluation pages (see README, « Import
quality »); the metadata comes from the page's own statements (revue.ingest.pagemeta); the
body is then cleaned of the chrome lines the pasted-text rules know."""

from __future__ import annotations

import re

from revue.ingest import pagemeta
from revue.ingest.blocks import detect_lang
from revue.ingest.byline import Header, read_header
from revue.ingest.chrome import classify
from revue.ingest.lang import language
from revue.ingest.pagetext import page_lines
from revue.ingest.result import ImportResult, missing_notes, summary_of
from revue.ingest.xmlbody import xml_to_markdown
from revue.text import fold

_HEADING = re.compile(r"^#{1,6}\s+")


def _extract_body(page: str) -> str:
    """The article's text as Markdown, or '' when trafilatura finds none."""
    import trafilatura  # imported late: importing it takes a second

    try:
        body = trafilatura.extract(
            page,
            output_format="xml",
            include_formatting=True,
            include_links=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
        )
    except (ValueError, RecursionError, MemoryError):
        return ""
    return xml_to_markdown(body) if body else ""


def _clean(body: str, title: str | None) -> tuple[str, list[str]]:
    """Drop a first heading repeating the title and chrome lines (credits, paywall and
    sharing prompts…); return the Markdown and the dropped report."""
    kept: list[str] = []
    dropped: list[str] = []
    for index, block in enumerate(b.strip() for b in re.split(r"\n\s*\n", body)):
        if not block:
            continue
        plain = _HEADING.sub("", block)
        if index == 0 and title and _HEADING.match(block) and fold(plain) == fold(title):
            continue
        label = classify(plain) if "\n" not in plain else None
        if label and label != "see-also list":
            dropped.append(f"{label}: « {plain[:80]} »")
            continue
        kept.append(block)
    return "\n\n".join(kept), dropped


def _header(tree, body: str) -> Header | None:
    """What the page's text says around the article's first paragraph (byline, date)."""
    first = next((b for b in body.split("\n\n") if len(b) > 80 and b[0] not in "#>-*|"), None)
    if first is None:
        return None
    lines = page_lines(tree)
    key = fold(first)[:60]
    start = next((i for i, line in enumerate(lines) if fold(line).startswith(key)), None)
    if start is None:
        return None
    return read_header(lines, start, start + body.count("\n\n") + 1)


def import_page(page: str, *, source: str | None = None, url: str | None = None) -> ImportResult:
    """Turn one saved web page into an ImportResult; `source` and `url` given by the editor
    win over what the page states."""
    tree = pagemeta.parse(page)
    if tree is None:
        return ImportResult(metadata={}, body="")
    article = pagemeta.json_ld_article(tree)
    site = pagemeta.outlet(tree, article)
    headline = pagemeta.title(tree, article, site)
    body, dropped = _clean(_extract_body(page), headline)
    header = _header(tree, body)
    names = pagemeta.authors(tree, article, site, header.author if header else [])
    found: dict[str, object | None] = {
        "title": headline,
        "date": pagemeta.published(tree, article, page, header and header.date) if body else None,
        "source": source or site,
        "author": names[0] if len(names) == 1 else names or None,
        "url": url or pagemeta.canonical(tree),
        "summary": summary_of(body),
        "lang": pagemeta.language(tree) or language(body) or detect_lang(body),
    }
    metadata = {key: value for key, value in found.items() if value}
    return ImportResult(
        metadata=metadata, body=body, dropped=dropped, notes=missing_notes(metadata)
    )
