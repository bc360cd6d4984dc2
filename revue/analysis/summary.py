"""Summaries and excerpts: short, whole-sentence passages taken from the article."""

from __future__ import annotations

import re

from ..content import Article
from .plain import paragraphs, sentences

SUMMARY_MAX_CHARS = 320
EXCERPT_MIN_CHARS = 60
EXCERPT_MAX_CHARS = 280
_QUOTE = re.compile(r"«\s*([^«»]+?)\s*»")


def summary_of(article: Article) -> str:
    """The frontmatter `summary`, else the body's first 1–3 sentences (never cut mid-sentence)."""
    if article.summary:
        return article.summary
    chosen: list[str] = []
    for paragraph in paragraphs(article.body):
        for sentence in sentences(paragraph):
            if chosen and len(" ".join([*chosen, sentence])) > SUMMARY_MAX_CHARS:
                return " ".join(chosen)
            chosen.append(sentence)
            if len(chosen) == 3:
                return " ".join(chosen)
        if chosen:
            break
    return " ".join(chosen)


def excerpt_of(article: Article, summary: str) -> str:
    """The frontmatter `excerpt`, else the first quotation « … » of a readable length,
    else the first whole sentence after the summary. Returns '' when the body has none."""
    if article.excerpt:
        return article.excerpt
    prose = paragraphs(article.body)
    for paragraph in prose:
        for match in _QUOTE.finditer(paragraph):
            quote = match.group(1).strip(" ,")
            if EXCERPT_MIN_CHARS <= len(quote) <= EXCERPT_MAX_CHARS:
                return quote
    for paragraph in prose:
        for sentence in sentences(paragraph):
            if sentence not in summary and EXCERPT_MIN_CHARS <= len(sentence) <= 400:
                return sentence
    return ""
