"""Where the article is in a whole pasted page (Select All → Copy of a news page): the
page's menus, banners, teasers, comments and footers surround it. Each line gets a weight
(positive for French prose: enough words, many stop words, sentence shape; negative for
short lines, known chrome and lines repeated on the page); the article is the run of lines
with the largest total weight, and it ends at the first reader comment. Pure functions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from revue.ingest.chrome import classify
from revue.text import fold

_STOP_LIST = (
    "a au aux avec ce ces cet cette d dans de des du elle elles en est et etait etre eu "
    "fait il ils je l la le les leur leurs lui m mais me meme mes n ne ni nos notre nous on "
    "ont ou par pas plus pour qu que qui s sa sans se ses si son sont sur t ta te tes ton tu "
    "un une vos votre vous y c j ete avait ainsi alors apres aussi autre avant bien car comme "
    "dont donc encore entre etaient depuis deux lors moins ou peu peut selon tous tout tres "
    "toute toutes sous quand cela ceux celle celui chez contre"
)
STOP_WORDS = frozenset(_STOP_LIST.split())
_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"[.!?…»\"”)]\s*$")
_TIME = re.compile(r"\b\d{1,2}\s*[h:]\s*\d{2}\b")
_DATE_NUM = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_COMMENT_HEADING = re.compile(
    r"^(\d+ )?(commentaires?|reactions?|vos reactions|reagissez|les commentaires)"
    r"( \(\d+\))? ?:?$|^(laisser|ajouter|ecrire|poster|publier) un commentaire"
    r"|^(repondre|signaler( un abus| ce commentaire)?|alerter)$"
)
_COMMENT_TEASE = re.compile(r"^(reagir|commenter|\d+ commentaires?)$")
_LEGAL = re.compile(
    r"cookies?\b|traceurs|donnees personnelles|vos donnees|politique de confidentialite"
    r"|conditions generales|consentement|\brgpd\b|adresse (e-?mail|electronique|de messagerie)"
    r"|desinscri|lettres? d'information|\babonne(z|ment|s)?\b"
)
STAMPED = re.compile(r"^(\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?|\d{1,2}\s*h\s*\d{2}|\d{1,2}:\d{2})\s")
_MIN_PROSE_WORDS = 12
SHORT_PENALTY = 40
CHROME_PENALTY = 400


@dataclass(frozen=True)
class Zone:
    """The article's lines are lines[start:end]; `header` is where its title and byline
    are looked for (a few lines before the start)."""

    start: int
    end: int
    header: int


def folded_words(text: str) -> list[str]:
    """Lower-case words without accents, elisions split (« l'État » → « l », « etat »)."""
    return _WORD.findall(fold(text))


def stop_ratio(text: str, stops: frozenset[str] = STOP_WORDS) -> float:
    """The share of stop words (French by default) among the words of `text`."""
    words = folded_words(text)
    return sum(word in stops for word in words) / len(words) if words else 0.0


def is_prose(text: str, stops: frozenset[str] = STOP_WORDS) -> bool:
    """A line of French prose: enough words, enough stop words, shaped as sentences, not
    starting with a date or an hour like the entries of a list of links."""
    words = folded_words(text)
    if len(words) < _MIN_PROSE_WORDS or STAMPED.match(text):
        return False
    ratio = stop_ratio(text, stops)
    if len(words) >= 40:
        return ratio >= 0.18
    return ratio >= 0.25 and bool(_SENTENCE_END.search(text) or text.count(". ") >= 1)


def is_comment_header(text: str) -> bool:
    """A reader comment's header: a short line holding a date and a time, or a comment
    section heading (« 12 commentaires », « Laisser un commentaire », « Répondre »)."""
    folded = fold(text).replace("’", "'").strip(" :")
    if _COMMENT_HEADING.search(folded):
        return True
    return len(text) <= 90 and bool(_TIME.search(text)) and bool(_DATE_NUM.search(text))


def weights(lines: list[str], stops: frozenset[str] = STOP_WORDS) -> list[float]:
    """The weight of each line: + its length for prose, − for short lines and chrome, and
    a heavy − for lines that appear several times on the page (menus, teasers)."""
    counts = Counter(fold(line) for line in lines)
    result = []
    for line in lines:
        if _LEGAL.search(fold(line).replace("’", "'")):
            result.append(-float(max(CHROME_PENALTY, len(line))))
        elif is_prose(line, stops) and counts[fold(line)] == 1:
            result.append(float(len(line)))
        elif classify(line) or counts[fold(line)] > 1:
            result.append(-float(CHROME_PENALTY if classify(line) else SHORT_PENALTY * 2))
        else:
            result.append(-float(SHORT_PENALTY))
    return result


def best_run(values: list[float]) -> tuple[int, int]:
    """The [start, end) run of `values` with the largest sum (Kadane's algorithm)."""
    best, best_start, best_end = float("-inf"), 0, 0
    total, start = 0.0, 0
    for index, value in enumerate(values):
        if total <= 0:
            total, start = 0.0, index
        total += value
        if total > best:
            best, best_start, best_end = total, start, index + 1
    return best_start, best_end


def find_zone(lines: list[str], stops: frozenset[str] = STOP_WORDS) -> Zone | None:
    """The article's zone in a whole-page paste, or None when the text is not one (few
    lines, or no prose at all)."""
    if len(lines) < 25:
        return None
    values = weights(lines, stops)
    if not any(value > 0 for value in values):
        return None
    start, end = best_run(values)
    prose_seen = 0
    for index in range(start, end):
        if values[index] > 0:
            prose_seen += 1
        elif prose_seen >= 2 and is_comment_header(lines[index]) and index > start:
            end = index
            break
    while end > start and values[end - 1] <= 0:
        end -= 1
    return Zone(start=start, end=end, header=max(0, start - 12))


def page_zone(lines: list[str], stops: frozenset[str] = STOP_WORDS) -> Zone | None:
    """The article's zone when the text is a whole page (at least 15 short lines around
    the prose), None for an article pasted on its own."""
    zone = find_zone(lines, stops)
    if zone is None:
        return None
    rest = lines[: zone.header] + lines[zone.end :]
    outside = [line for line in rest if not is_prose(line, stops)]
    return zone if len(outside) >= 15 else None
