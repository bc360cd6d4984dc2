"""Importer: the text of a web page pasted by an editor → one normalized Markdown article
with YAML frontmatter. Pure functions: text in, text out; see revue.import_command for disk.

The recipe (import_text): read the date marker, take out the tweets, split the text into
paragraphs, drop the page chrome, read the byline and the « Source : » lines, take the
title, mark the headings, cut walls of text into paragraphs, then fill in the frontmatter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import yaml

from revue.ingest import chrome, metadata, paragraphs, tweets, zone
from revue.ingest.blocks import Block, dropped_line, normalize, split_blocks
from revue.ingest.byline import Header, copyright_outlet, read_header
from revue.ingest.lang import WORDS, language
from revue.ingest.markup import link_bare_urls, strip_markup
from revue.ingest.result import ImportResult
from revue.ingest.zone import STOP_WORDS
from revue.text import slugify

FIELDS = ("title", "date", "source", "author", "url", "sources", "summary", "lang")


def _drop_chrome(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Run every chrome remover in turn; return the blocks kept and the dropped report."""
    dropped: list[str] = []
    for step in (
        chrome.drop_footer,
        chrome.drop_see_also,
        chrome.drop_reader_questions,
        chrome.drop_table_of_contents,
        chrome.drop_line_chrome,
    ):
        blocks, report = step(blocks)
        dropped += report
    return blocks, dropped


def render_body(blocks: list[Block]) -> str:
    """The Markdown body: `## ` headings, tweet blockquotes and paragraphs."""
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"## {block.text}")
        elif block.tweet is not None:
            parts.append(tweets.render_tweet(block.tweet))
        else:
            parts.append(link_bare_urls(block.text))
    return "\n\n".join(parts)


def _in_page_order(lines: list[str], text: str) -> list[str]:
    """Sort report lines by where their first quoted text appears in the page, and merge
    repeated lines into one (« … (2 times) »)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1

    def position(line: str) -> int:
        quoted = re.search(r"« ([^»…]{1,20})", line)
        found = text.find(quoted[1].strip()) if quoted else -1
        return found if found >= 0 else len(text)

    ordered = sorted(counts, key=position)
    return [f"{line} ({counts[line]} times)" if counts[line] > 1 else line for line in ordered]


def _consent_note(dropped: list[str]) -> list[str]:
    """A note when consent notices stood in for embedded posts the paste could not keep."""
    count = sum(line.count("Pour afficher ce contenu") for line in dropped)
    if not count:
        return []
    return [
        f"{count} embedded social-media post(s) were hidden behind a cookie notice in the "
        "page: their content is missing, add it by hand if it matters"
    ]


def _date(
    marker: str | None, byline: dict, blocks: list[Block], today: dt.date, *, guess: bool
) -> tuple[str | None, list[str]]:
    """The article's date: the marker, else the byline, else (when `guess`, for an article
    pasted on its own) a date cited in the text with a note saying so; None with a note
    when there is none."""
    if marker or byline.get("date"):
        return marker or str(byline["date"]), []
    cited = metadata.cited_date(blocks, today) if guess else None
    if cited is None:
        return None, ["no date found: add `date:` by hand"]
    date, how = cited
    return date.iso, [f"date {date.iso} taken from a date cited in the text ({how}): check it"]


def _one_or_list(names: list[str]) -> str | list[str] | None:
    """One author as a string, several as a list, none as None."""
    return names[0] if len(names) == 1 else names or None


def _article_zone(text: str) -> tuple[str, Header | None, list[str]]:
    """For a whole pasted page: the article's lines only (one paragraph each), what its
    header says and the dropped report; an article pasted alone is returned as it is."""
    lines = [line for line in text.split("\n") if line]
    lang = language(text)
    stops = STOP_WORDS | (WORDS[lang] if lang and lang != "fr" else frozenset())
    found = zone.page_zone(lines, stops if lang != "fr" else STOP_WORDS)
    if found is None:
        return text, None, []
    header = read_header(lines, found.start, found.end)
    header = replace(header, outlet=copyright_outlet(lines[found.end :]))
    kept = [
        line
        for index, line in enumerate(lines[found.start : found.end], found.start)
        if index not in header.lines
    ]
    before, after = lines[: found.start], lines[found.end :]
    dropped = [
        *(
            [dropped_line(f"page before the article ({len(before)} lines)", before)]
            if before
            else []
        ),
        *([dropped_line(f"page after the article ({len(after)} lines)", after)] if after else []),
    ]
    return "\n\n".join(kept), header, dropped


def import_text(
    raw: str, *, source: str | None = None, url: str | None = None, today: dt.date | None = None
) -> ImportResult:
    """Turn one pasted web page into an ImportResult. `source` and `url` given by the editor
    win over anything found; `today` bounds dates cited without a year (default: today)."""
    today = today or dt.date.today()
    canonical = metadata.find_canonical(raw)
    page = normalize(raw)
    text, marker = metadata.take_date_marker(page)
    text, header, page_dropped = _article_zone(text)
    doc_lang = metadata.page_lang(split_blocks(text)) or "fr"
    text, embedded = tweets.extract_embeds(text, doc_lang)
    text, dropped = strip_markup(text)
    if embedded:
        dropped.insert(
            0,
            "tweet embed code (blockquote and script tags, shortcode markers) of "
            f"{len(embedded)} tweet(s): turned into Markdown blockquotes",
        )
    blocks = tweets.placeholder_blocks(split_blocks(text), embedded)
    blocks, notes = tweets.extract_plain_tweets(blocks, doc_lang)
    blocks, wall_notes = paragraphs.cut_walls(blocks)
    blocks, chrome_dropped = _drop_chrome(blocks)
    blocks, byline, byline_dropped = metadata.take_byline(blocks, today)
    blocks, sources, single = metadata.take_sources(blocks)
    blocks, title = metadata.take_title(blocks) if header is None else (blocks, header.title)
    blocks, outline_dropped, outline_notes = paragraphs.drop_outline(
        paragraphs.mark_headings(blocks)
    )
    blocks = paragraphs.regroup_walls(blocks)
    if header is not None:
        byline = {**byline, "author": _one_or_list(header.author) or byline.get("author")}
        byline["date"] = header.date or byline.get("date")
    date, date_notes = _date(marker, byline, blocks, today, guess=header is None)
    outlet = source or metadata.outlet_from_source_line(single, blocks)
    if not outlet and header is not None and header.outlet:
        outlet = header.outlet
        notes.append(f"source « {outlet} » read from the page's © line: check it")
    found: dict[str, object | None] = {
        "title": title,
        "date": date,
        "source": outlet,
        "author": byline.get("author"),
        "url": url or byline.get("url") or canonical,
        "sources": sources or None,
        "summary": metadata.summary(blocks),
        "lang": metadata.page_lang(blocks),
    }
    notes = [
        *([] if title else ["no title found: add `title:` by hand"]),
        *date_notes,
        *([] if outlet else ["no outlet found: add `source:` by hand (or pass --source)"]),
        *(
            [
                f"source « {outlet} » read from the « Source : {outlet} » line: check it is the "
                "outlet that published the article"
            ]
            if outlet and not source and not (header and header.outlet == outlet)
            else []
        ),
        *outline_notes,
        *wall_notes,
        *notes,
        *_consent_note(chrome_dropped),
    ]
    marker_dropped = [f"date marker: « date {marker} »"] if marker else []
    return ImportResult(
        metadata={key: value for key, value in found.items() if value},
        body=render_body(blocks),
        dropped=_in_page_order(
            [
                *marker_dropped,
                *page_dropped,
                *dropped,
                *chrome_dropped,
                *byline_dropped,
                *outline_dropped,
            ],
            page,
        ),
        notes=notes,
    )


class _QuotedDate(str):
    """A date kept as a quoted YAML string, so that `2024-03-25` is not read back as a date."""


class _Dumper(yaml.SafeDumper):
    """safe_dump with dates quoted."""


_Dumper.add_representer(
    _QuotedDate,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'"),
)


def article_file_text(result: ImportResult) -> str:
    """The article file: `---`, the YAML frontmatter, `---`, a blank line and the body."""
    fields = dict(result.metadata)
    if "date" in fields:
        fields["date"] = _QuotedDate(fields["date"])
    front = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{front}---\n\n{result.body.strip()}\n"


def article_file_name(result: ImportResult) -> str:
    """`<date>-<slug of the title>.md`, `undated-<slug>.md` without a date; without a title
    the slug comes from the summary."""
    date = str(result.metadata.get("date") or "undated")
    words = str(result.metadata.get("title") or result.metadata.get("summary") or "article")
    return f"{date}-{slugify(words, max_length=60) or 'article'}.md"
