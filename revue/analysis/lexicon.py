"""French stop words and content stems: the words an analysis compares, and those it skips."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from ..text import fold, stems  # stems: the reference fast_stems matches

_STOP_WORDS = """
a à afin ai aie aient ainsi alors après as au aucun aucune auprès aussi autre autres aux avaient
avait avant avec avez avoir avons ayant c ça car ce ceci cela celle celles celui ces cet cette
chaque chez ci comme comment d dans de depuis des dès deux devra doit donc dont du elle elles
en encore entre est et étaient était été être eu eux fait faire fois font hors il ils j je jusqu
l la le les leur leurs lors lorsque lui m ma mais me même mes moi moins mon n ne ni nos notre nous
on ont ou où par parce pas peu peut plus pour pourquoi puis qu quand que quel quelle quelles
quels qui quoi s sa sans se selon ses si sien soi soit son sont sous suis sur t ta te tel telle
tels telles tes toi ton tous tout toute toutes très tu un une unes uns va vers via voici voilà
vos votre vous y été également déjà ainsi cet the of and to in
"""


@lru_cache(maxsize=1)
def stop_stems() -> frozenset[str]:
    """The stems of the French function words (articles, pronouns, auxiliaries…)."""
    return frozenset(stems(_STOP_WORDS))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


# The same words and elisions as revue.text.words.
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_CACHE_SIZE = 1 << 18  # distinct words remembered: a few tens of MB at most


@lru_cache(maxsize=_CACHE_SIZE)
def stem(word: str) -> str:
    """One word's stem exactly as revue.text.stems gives it, memoized: Snowball is slow
    (≈ 0.1 ms a word) and a corpus repeats its words."""
    folded = fold(_stemmer().stemWord(word.casefold()))
    if len(folded) > 3 and folded[-1] in "sx" and folded[-2] not in "sx":
        return folded[:-1]
    return folded


def fast_stems(text: str) -> list[str]:
    """revue.text.stems(text), memoized per space-separated chunk: a word never spans a
    space, so the words of a text are those of its chunks, and most chunks are one plain
    word (« studios », « l’IA », « Hollywood, ») a corpus repeats."""
    return list(chain.from_iterable(map(_chunk_stems, text.split())))


@lru_cache(maxsize=_CACHE_SIZE)
def _chunk_stems(chunk: str) -> tuple[str, ...]:
    """The stems of the words of one chunk without spaces, as revue.text.words cuts them."""
    if chunk.isalnum():  # one word: [^\W_]+ is exactly what str.isalnum accepts
        return (stem(chunk),)
    return tuple(stem(_ELISION.sub("", token)) for token in _WORD.findall(chunk))


@lru_cache(maxsize=1 << 16)
def folded(text: str) -> str:
    """revue.text.fold, memoized: the cross-article steps fold the same names many times."""
    return fold(text)


def content_stems(text: str) -> list[str]:
    """The stems of `text` without function words or one-letter words, in text order."""
    return list(chain.from_iterable(map(_chunk_content_stems, text.split())))


@lru_cache(maxsize=_CACHE_SIZE)
def _chunk_content_stems(chunk: str) -> tuple[str, ...]:
    """The content stems of one chunk without spaces (see fast_stems)."""
    stop = stop_stems()
    return tuple(s for s in _chunk_stems(chunk) if len(s) > 1 and s not in stop)
