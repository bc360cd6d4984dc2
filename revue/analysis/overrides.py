"""The editor's frontmatter overrides of the analysis, and their validation.

    quotes:            # quotations to feature (shown first), found by their beginning,
      - "Une forme de régulation"           # or added when the text does not hold them
      - {text: "…", speaker: Tyler Perry}   # a mapping also sets or corrects the speaker
    hide_quotes: ["Artistwashing"]           # quotations not to show, by their beginning
    same_story: [other-article-slug]         # same story, whatever the analysis says
    not_same_story: [other-article-slug]     # never the same story

`summary` and `themes`, already known keys, override the computed summary and themes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..text import fold

OVERRIDE_KEYS = ("quotes", "hide_quotes", "same_story", "not_same_story")


def override_problems(meta: Mapping[str, object]) -> list[tuple[str, str]]:
    """(key, message) for every malformed override in a frontmatter mapping."""
    problems = []
    quotes = meta.get("quotes")
    if quotes is not None and not (
        isinstance(quotes, list)
        and all(
            isinstance(q, str)
            or (
                isinstance(q, dict)
                and isinstance(q.get("text"), str)
                and set(q) <= {"text", "speaker"}
                and isinstance(q.get("speaker", ""), str)
            )
            for q in quotes
        )
    ):
        problems.append(("quotes", "'quotes' must be a list of texts or of {text: …, speaker: …}"))
    for key in OVERRIDE_KEYS[1:]:
        value = meta.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            problems.append((key, f"'{key}' must be a list of texts like [a, b]"))
    return problems


def quote_key(text: str) -> str:
    """A quotation's text reduced to folded words, to compare spellings and beginnings."""
    return " ".join(re.findall(r"\w+", fold(text)))


def texts(overrides: Mapping[str, object], key: str) -> tuple[str, ...]:
    """An override list of texts, or () when absent or malformed."""
    value = overrides.get(key)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
