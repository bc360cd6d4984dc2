"""Proper names in French prose: capitalised runs (« Sam Altman », « Stability AI »), the
people the text presents with a role (« le PDG Sam Altman », « Claire Enders, analyste »),
and the one person a clause makes its subject (for quotations introduced by a colon).
"""

from __future__ import annotations

import re
from functools import lru_cache

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}][\w-]*\w|[{_UPPER}]"
# A run of capitalised words, maybe joined by a particle (« Newton-Rex », « Light and Magic »),
# not preceded by a letter, apostrophe or hyphen. The pattern starts with its capital and
# only then looks behind it, so the regex engine can skip ahead to capitals (several
# times faster than a leading look-behind, and the same matches).
NAME = (
    rf"[{_UPPER}](?<![\w’'-].)(?:[\w-]*\w)?"
    rf"(?:\s+(?:(?:de|du|von|van|da|of|and)\s+)?(?:{_WORD}))*"
)
_RUN = re.compile(NAME)
# Capitalised words that start sentences or name roles, never a name's first word.
_LEADING_WORDS = """
    Le La Les L Un Une Des De Du D Au Aux À A Et Ou Mais Or Donc Car Ni Si Selon Pour Par
    Dans Lors Depuis En Sur Sous Avec Sans Chez Cette Ce Ces Cet Il Elle Ils Elles On Nous Vous
    Je Tu Son Sa Ses Leur Leurs Comme Certains Certaines Cependant Actuellement Pourtant Alors
    Ainsi Outre Néanmoins Toutefois Enfin Puis Ensuite Aujourd Hier Demain Cela Ceci Ça Tout
    Tous Toute Toutes Quand Lorsque Après Avant Malgré Grâce Face Contre Entre Vers Parmi Plus
    Moins Très Non Oui Seuls Seules Près Trente Ci Dites Pouvez Quelle Quel PDG CTO CEO DG
    Mme M MM Dr C J N S T Qu Prompt Introducing Move Here"""
LEADING = frozenset(_LEADING_WORDS.split())
_PARTICLES = frozenset({"de", "du", "von", "van", "da", "of", "and"})
ROLES = (
    "pdg|ceo|cto|coo|directeur|directrice|analyste|acteur|actrice|réalisateur|réalisatrice|"
    "cinéaste|fondateur|fondatrice|cofondateur|cofondatrice|président|présidente|journaliste|"
    "investisseur|investisseuse|membre|patron|patronne|porte-parole|scénariste|producteur|"
    "productrice|chercheur|chercheuse|ministre|avocat|avocate|dirigeant|dirigeante|créateur|"
    "créatrice|artiste|chanteur|chanteuse|auteur|autrice|économiste|professeur|professeure"
)
_ROLE_BEFORE = re.compile(rf"\b(?:{ROLES})(?:\s+[a-zà-ÿ’'-]+){{0,3}}\s+$", re.IGNORECASE)
_ROLE_AFTER = re.compile(
    rf"^\s*,\s*(?:(?:le|la|l’|l'|un|une|ancien|ancienne|nouveau|nouvelle)\s*)*(?:{ROLES})\b",
    re.IGNORECASE,
)
_LINK_BEFORE = re.compile(
    r"(?:\b(?:au|aux|à|du|de|des|chez|pour|par|avec|sur|dans|le|la|les|un|une|comme|contre)\s+"
    r"|[’']\s*)$",
    re.IGNORECASE,
)
_SUBJECT_VERB = re.compile(
    r"^\s+(?:a|avait|est|était|ont|s’est|s'est|se|lui|leur|n’a|n'a|ne)\b|^\s+[a-zé]+(?:e|ait|ent)\b"
)
_DESCRIBED = re.compile(
    r"\b(?:un|une)\s+(?:porte-parole|dirigeante?|responsable|représentante?|cadre)"
    r"(?:\s+(?:de|du|des|d’|d')\s*(?:la\s+|l’|l')?[\w-]+)?",
    re.IGNORECASE,
)


def name_runs(text: str) -> list[tuple[int, int, str]]:
    """Every capitalised run (start, end, text), leading sentence words stripped."""
    runs = []
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        start = match.start()
        while words and (words[0] in LEADING or words[0] in _PARTICLES):
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else match.end()
            words = words[1:]
        if words:
            runs.append((start, match.end(), " ".join(words)))
    return runs


@lru_cache(maxsize=4)  # an article's text is read for its mentions and for its people
def _runs(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(name_runs(text))


def mentions(text: str) -> set[str]:
    """The capitalised runs that occur in `text`."""
    return {run for _, _, run in _runs(text)}


def person_names(text: str) -> list[str]:
    """Names of two words or more the text presents with a role: « le PDG Sam Altman »,
    « Claire Enders, analyste des médias », « l’acteur et réalisateur Tyler Perry »."""
    found = []
    for start, end, run in _runs(text):
        if len(run.split()) < 2 or len(run.split()) > 4 or _linked(text, start):
            continue
        if _ROLE_BEFORE.search(text[max(0, start - 60) : start]) or _ROLE_AFTER.match(
            text[end : end + 40]
        ):
            found.append(run)
    return found


def _linked(text: str, start: int) -> bool:
    """_LINK_BEFORE.search(text[:start]), reading only the end of that head: the pattern
    spans a short word or an apostrophe, then the spaces just before `start`."""
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    return _LINK_BEFORE.search(text, max(0, end - 8), start) is not None


def is_role_subject(clause: str) -> str:
    """The one name a clause makes its subject (« Perry a expliqué… : »), or a described
    speaker (« un porte-parole d’OpenAI a déclaré : »); '' when there is not exactly one."""
    subjects = []
    for start, end, run in name_runs(clause):
        if _LINK_BEFORE.search(clause[:start]):
            continue
        at_start = not clause[:start].strip(" ,")
        if len(run.split()) > 1 or at_start or _SUBJECT_VERB.match(clause[end:]):
            subjects.append(run)
    if len(set(subjects)) == 1:
        return subjects[0]
    if not subjects:
        described = _DESCRIBED.search(clause)
        if described:
            return described_speaker(described.group(0))
    return ""


def described_speaker(text: str) -> str:
    """« Un porte-parole d'OpenAI » → « un porte-parole d’OpenAI »: one spelling per speaker."""
    text = re.sub(r"\s+", " ", text.strip()).replace("'", "’")
    return text[0].lower() + text[1:]
