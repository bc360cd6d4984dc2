"""The language of an article's text, by counting each language's commonest short words:
fr, en, de, es, it, pt, nl, cs. Returns None when the text is too short to tell or when no
language clearly wins; never a guess."""

from __future__ import annotations

import re

from revue.text import fold

_COMMON = {
    "fr": "le la les des du un une et est dans que qui pour pas sur au aux avec ce cette il elle "
    "ne se sont par plus mais nous vous etre fait comme ont leur",
    "en": "the of and to in is that for it with as was are this be by you from at an have has "
    "will can not we they their about what when which been would",
    "de": "der die das und ist nicht ein eine zu den mit sich des auf fur im dem auch es an "
    "wird werden nach bei aus oder wie sind",
    "es": "el la los las y en que del se por un una con para es no lo como mas pero sus le al "
    "fue este esta ha son",
    "it": "il di che la e un una per non del della sono con si le da gli nel alla anche come "
    "ma ha piu sua questo",
    "pt": "o a os as e de do da que em um uma para com nao se por mais dos das foi como mas ao "
    "ele ela sao",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er die ook als maar bij "
    "door wordt naar",
    "cs": "a je se na v ve ze to s z do o jsou by jako ale pro za jak byl bylo tak jeho uz "
    "jsem sve nebo",
}
WORDS = {lang: frozenset(words.split()) for lang, words in _COMMON.items()}
_TOKEN = re.compile(r"[a-z]+")
MIN_HITS = 8


def language(text: str) -> str | None:
    """The language code of `text`, or None when fewer than 8 common words are found or
    when the best language does not lead the next one by a quarter."""
    tokens = _TOKEN.findall(fold(text[:200_000]).replace("’", " ").replace("'", " "))
    hits = sorted(
        ((sum(token in words for token in tokens), lang) for lang, words in WORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = hits[0], hits[1]
    if best < MIN_HITS or best < 1.25 * second:
        return None
    return lang
