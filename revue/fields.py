"""An article's frontmatter fields, checked: `article_fields` gives the fields of an Article
or every problem found, each a SourceError at the line of its key, with the fix.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from .analysis.overrides import OVERRIDE_KEYS, override_problems
from .config import Config
from .dates import parse_date
from .errors import SourceError
from .text import fold

REQUIRED_KEYS = ("title", "date", "source")
KNOWN_KEYS = (
    *REQUIRED_KEYS,
    "url",
    "author",
    "themes",
    "summary",
    "excerpt",
    "sources",
    "lang",
    "full_text",
    "slug",
    "draft",
    *OVERRIDE_KEYS,
)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?-")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_WEB_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def _unprintable(value: object) -> str | None:
    """The first control character or lone surrogate in a frontmatter value, or None."""
    if isinstance(value, str):
        found = _UNPRINTABLE.search(value)
        return found.group() if found else None
    items = value.items() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        for part in item if isinstance(value, dict) else (item,):
            if (found := _unprintable(part)) is not None:
                return found
    return None


def article_fields(
    shown: str,
    meta: dict[str, object],
    key_lines: dict[str, int],
    body: str,
    body_line: int,
    config: Config,
) -> tuple[dict[str, object] | None, list[SourceError]]:
    """Check every field of the frontmatter `meta` (`key_lines`: the line of each key) and
    the body of the file `shown`: the Article's fields but its path (None when something is
    wrong), and every problem found."""
    errors: list[SourceError] = []

    def error(key: str, message: str) -> None:
        one_line = message.replace("\r", "\\r").replace("\n", "\\n")  # values may hold breaks
        errors.append(SourceError(shown, key_lines.get(key, 1), one_line))

    for key in REQUIRED_KEYS:
        if key not in meta or meta[key] in (None, ""):
            example = {"title": "Titre de l’article", "date": "2024-03-25", "source": "Le Monde"}
            error(key, f"missing required field '{key}': add a line `{key}: {example[key]}`")
    for key in meta:
        if key not in KNOWN_KEYS and (suggestion := _suggest(key, KNOWN_KEYS)):
            error(key, f"unknown key '{key}': did you mean '{suggestion}'?")

    date = None
    if meta.get("date") not in (None, ""):
        try:
            date = parse_date(meta["date"])
            _ = date.sort_key  # a moment by year 1 or 9999 may not convert to UTC
        except (ValueError, OverflowError) as problem:
            error("date", f"bad date: {problem}")
    for key in ("title", "source", "url", "summary", "excerpt", "slug", "lang"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            error(key, f"'{key}' must be text: put the value in quotes")
    for key, value in meta.items():
        if (char := _unprintable(value)) is not None:
            error(key, f"'{key}' contains the invisible character U+{ord(char):04X}: remove it")
    url = meta.get("url")
    if isinstance(url, str) and url and not _WEB_URL.match(url.strip()):
        error("url", "'url' must be a web address starting with https:// or http://")
    authors = _string_list(meta.get("author"), "author", error)
    sources = _string_list(meta.get("sources"), "sources", error)
    themes = _string_list(meta.get("themes"), "themes", error)
    known_ids = [t.id for t in config.themes]
    for theme in themes:
        if theme not in known_ids:
            hint = _suggest_theme(theme, config)
            fix = f"did you mean '{hint}'?" if hint else f"known themes: {', '.join(known_ids)}"
            error("themes", f"unknown theme '{theme}': {fix}")
    slug = meta.get("slug") or _DATE_PREFIX.sub("", Path(shown).stem)
    if isinstance(slug, str) and len(slug) > 120:
        error("slug" if "slug" in meta else "title", "the slug is too long: keep it under 120")
    elif isinstance(slug, str) and not _SLUG.match(slug):
        error(
            "slug" if "slug" in meta else "title",
            f"'{slug}' cannot be a URL slug: use lower-case letters, digits and hyphens",
        )
    lang = meta.get("lang", "fr")
    if isinstance(lang, str) and not _LANG.match(lang):
        error("lang", f"'{lang}' is not a language code: write fr, en, de…")
    for key, message in override_problems(meta):
        error(key, message)
    full_text = meta.get("full_text")
    if full_text is not None and not isinstance(full_text, bool):
        error("full_text", "'full_text' must be true or false")
    if not body.strip():
        errors.append(
            SourceError(
                shown, body_line, "the article has no body: write its text below the closing '---'"
            )
        )
    if errors or date is None:
        return None, errors
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    if meta.get("draft"):
        extra["draft"] = True
    fields = dict(
        slug=str(slug),
        title=str(meta["title"]).strip(),
        date=date,
        source=str(meta["source"]).strip(),
        body=body.strip() + "\n",
        body_line=body_line,
        url=str(meta.get("url") or ""),
        authors=authors,
        themes=themes,
        summary=str(meta.get("summary") or "").strip(),
        excerpt=str(meta.get("excerpt") or "").strip(),
        sources=sources,
        lang=str(lang),
        full_text=full_text if isinstance(full_text, bool) else None,
        extra=extra,
        overrides={k: meta[k] for k in OVERRIDE_KEYS if k in meta},
    )
    return fields, []


def _string_list(value: object, key: str, error) -> tuple[str, ...]:
    """A frontmatter value that may be one string or a list of strings."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    error(key, f"'{key}' must be text or a list of texts like [a, b]")
    return ()


@lru_cache(maxsize=1024)  # every article of a corpus may carry the same extra keys
def _suggest(key: str, choices: tuple[str, ...]) -> str | None:
    """The known key an unknown one is probably a typo of, or None."""
    folded = fold(key)
    if folded in choices:
        return folded
    close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.75)
    return close[0] if close else None


def _suggest_theme(theme: str, config: Config) -> str | None:
    """The theme id an unknown one probably means, matched on ids, French labels and slugs."""
    names = {}
    for t in config.themes:
        for name in (fold(t.id), fold(t.label), t.slug):
            names.setdefault(name, t.id)
    close = difflib.get_close_matches(fold(theme), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None
