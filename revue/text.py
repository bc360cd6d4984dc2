"""Plain-text helpers shared by the stages: accent folding, slugs, French stems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: « Équipe » → « equipe »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, max_length: int = 80) -> str:
    """Turn a French title into a URL slug: « L’IA à Hollywood ! » → « l-ia-a-hollywood »."""
    words = re.findall(r"[a-z0-9]+", fold(text).replace("œ", "oe").replace("æ", "ae"))
    slug = "-".join(words)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def distinct_slugs(names: Iterable[str], fallback: str) -> list[str]:
    """The slug of each name (`fallback` for a name with none), made distinct in order: a
    slug already given gets -2, -3…: « Le Monde », « LE MONDE » → le-monde, le-monde-2."""
    used: set[str] = set()
    result = []
    for name in names:
        base = slugify(name) or fallback
        slug, number = base, 1
        while slug in used:
            number += 1
            slug = f"{base}-{number}"
        used.add(slug)
        result.append(slug)
    return result


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


def words(text: str) -> list[str]:
    """Split French text into words, dropping elided articles (« l’IA » → « IA »)."""
    return [_ELISION.sub("", w) for w in _WORD.findall(text)]


def stems(text: str) -> list[str]:
    """Stem every word of `text` with the French Snowball stemmer, then fold accents and drop
    a plural -s/-x the stemmer keeps (« studios » → « studio », like « studio »)."""
    return [_singular(fold(s)) for s in _stemmer().stemWords([w.casefold() for w in words(text)])]


def _singular(stem: str) -> str:
    return stem[:-1] if len(stem) > 3 and stem[-1] in "sx" and stem[-2] not in "sx" else stem
