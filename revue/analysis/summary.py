"""Summaries and excerpts: short, whole-sentence passages taken from the article.

A computed summary is extractive: the 1–3 most central sentences of the article's prose
(each scored by how much its content stems overlap the other sentences', the lede
favoured), shown in the article's order. Sentences are never cut.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ..content import Article
from .plain import paragraphs, prose_sentences, sentences

SUMMARY_MAX_CHARS = 320
SUMMARY_MAX_SENTENCES = 3
SENTENCE_MIN_CHARS = 30
CANDIDATE_SENTENCES = 80  # centrality is quadratic in sentences: only the first ones compete
LEDE_BONUS = 0.6  # added to the first sentence's normalized centrality, halved per position
MIN_RELATIVE_SCORE = 0.4  # a second or third sentence must score this share of the best
EXCERPT_MIN_CHARS = 60
EXCERPT_MAX_CHARS = 280
_QUOTE = re.compile(r"«\s*([^«»]+?)\s*»")


def summary_of(article: Article) -> str:
    """The frontmatter `summary`, else a computed extractive summary ('' for no prose)."""
    return article.summary or computed_summary(article.body)


def computed_summary(body: str) -> str:
    """The 1–3 most central whole sentences of the body's prose, in their order."""
    pool = prose_sentences(body)[:CANDIDATE_SENTENCES]
    candidates = [(i, s) for i, (s, _) in enumerate(pool) if _summarizable(s)] or [
        (i, s) for i, (s, _) in enumerate(pool)
    ]
    if not candidates:
        return ""
    bags = [set(pool[i][1]) for i, _ in candidates]
    centrality = _centrality(bags)
    top = max(centrality) or 1.0
    scores = [c / top + LEDE_BONUS / 2 ** candidates[k][0] for k, c in enumerate(centrality)]
    ranked = sorted(range(len(candidates)), key=lambda k: (-scores[k], k))
    chosen: list[int] = []
    length = 0
    for k in ranked:
        sentence = candidates[k][1]
        if chosen and scores[k] < MIN_RELATIVE_SCORE * scores[ranked[0]]:
            break
        if chosen and length + 1 + len(sentence) > SUMMARY_MAX_CHARS:
            continue
        if any(_similarity(bags[k], bags[c]) > 0.5 * max(len(bags[k]), 1) for c in chosen):
            continue  # nearly repeats a chosen sentence
        chosen.append(k)
        length += len(sentence) + (1 if length else 0)
        if len(chosen) == SUMMARY_MAX_SENTENCES:
            break
    return " ".join(candidates[k][1] for k in sorted(chosen))


def _summarizable(sentence: str) -> bool:
    """A sentence that reads on its own: long enough, not a lead-in to a quote, not a piece
    of a quotation (the splitter may cut inside « … »), not a question."""
    return (
        len(sentence) >= SENTENCE_MIN_CHARS
        and not sentence.endswith((":", "?"))
        and not sentence.startswith(("«", "“"))
        and sentence.count("«") == sentence.count("»")
        and sentence.count("“") == sentence.count("”")
    )


def _centrality(bags: list[set[str]]) -> list[float]:
    """Each bag's summed _similarity to the others. The shared-stem counts come from one
    product of the sentence × stem incidence matrix; the divisions are the same IEEE
    operations on the same logarithms, and each row is summed left to right like the sum
    of _similarity over j ≠ i (its zero on the diagonal changes no sum), so the floats
    are the same."""
    column: dict[str, int] = {}
    columns = [column.setdefault(stem, len(column)) for bag in bags for stem in bag]
    sizes = np.array([len(bag) for bag in bags])
    incidence = np.zeros((len(bags), max(len(column), 1)))
    incidence[np.repeat(np.arange(len(bags)), sizes), np.array(columns, dtype=np.intp)] = 1.0
    shared = incidence @ incidence.T
    np.fill_diagonal(shared, 0.0)
    logs = np.array([math.log(len(bag)) if len(bag) >= 2 else 0.0 for bag in bags])
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = shared / (logs[:, None] + logs[None, :])
    small = (sizes[:, None] < 2) | (sizes[None, :] < 2)
    values = np.where(shared == 0, 0.0, np.where(small, shared, scaled))
    # A running sum is left to right, each step rounded: the sum of the row in Python.
    return np.cumsum(values, axis=1)[:, -1].tolist()


def _similarity(a: set[str], b: set[str]) -> float:
    """TextRank's sentence similarity: shared stems over the log of the sentences' sizes."""
    shared = len(a & b)
    if not shared or len(a) < 2 or len(b) < 2:
        return float(shared)
    return shared / (math.log(len(a)) + math.log(len(b)))


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
