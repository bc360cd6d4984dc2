"""Dates written in pasted text: « 2 novembre 2023 », « ce lundi 25 mars », « March 25, 2024 »,
`2024-03-25`, `25/03/2024`. Pure functions returning ArticleDate values."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from revue.dates import ArticleDate

FRENCH_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12, "sep": 9,
}  # fmt: skip
ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_FR_MONTH = "|".join(sorted(FRENCH_MONTHS, key=len, reverse=True))
_EN_MONTH = "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True))
FRENCH_DATE = (
    rf"(?:(?P<weekday>{'|'.join(WEEKDAYS)})\s+)?(?P<fday>1er|\d{{1,2}})\s+"
    rf"(?P<fmonth>{_FR_MONTH})\.?(?:\s+(?P<fyear>\d{{4}}))?"
)
ENGLISH_DATE = (
    rf"(?P<emonth>{_EN_MONTH})\.?\s+(?P<eday>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<eyear>\d{{4}})"
)
NUMERIC_DATE = (
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<nday>\d{1,2})(?P<nsep>[/.])(?P<nmonth>\d{1,2})(?P=nsep)(?P<nyear>\d{4})"
)
ANY_DATE = re.compile(
    rf"(?<![\w/-])(?:{FRENCH_DATE}|{ENGLISH_DATE}|{NUMERIC_DATE})(?![\w/-])", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundDate:
    """A date written in the text: `date` is None when the year is missing and unknown,
    `phrase` is the text as written (« ce lundi 25 mars »)."""

    date: ArticleDate | None
    phrase: str
    year_given: bool


def _day(year: int, month: int, day: int) -> ArticleDate | None:
    """ArticleDate for a real day, None for an impossible one (« 31 février »)."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return ArticleDate(year, month, day)


def _year_from_weekday(weekday: str, month: int, day: int, today: dt.date) -> int | None:
    """The latest year, not after `today`, whose `day` `month` falls on `weekday`."""
    wanted = WEEKDAYS.index(weekday.casefold())
    for year in range(today.year, today.year - 12, -1):
        if _day(year, month, day) is None:
            continue
        moment = dt.date(year, month, day)
        if moment <= today and moment.weekday() == wanted:
            return year
    return None


def read_match(match: re.Match[str], today: dt.date) -> FoundDate:
    """Turn one ANY_DATE match into a FoundDate (year from the weekday when only that is given)."""
    phrase = match.group(0)
    if match["iso"]:
        year, month, day = (int(part) for part in match["iso"].split("-"))
        return FoundDate(_day(year, month, day), phrase, True)
    if match["nday"]:
        found = _day(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
        return FoundDate(found, phrase, True)
    if match["emonth"]:
        month = ENGLISH_MONTHS[match["emonth"].casefold()]
        return FoundDate(_day(int(match["eyear"]), month, int(match["eday"])), phrase, True)
    month = FRENCH_MONTHS[match["fmonth"].casefold()]
    day = 1 if match["fday"] == "1er" else int(match["fday"])
    if match["fyear"]:
        return FoundDate(_day(int(match["fyear"]), month, day), phrase, True)
    year = _year_from_weekday(match["weekday"], month, day, today) if match["weekday"] else None
    return FoundDate(_day(year, month, day) if year else None, phrase, False)


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every date phrase in `text`, in order of appearance."""
    return [read_match(match, today) for match in ANY_DATE.finditer(text)]


def parse_date_phrase(phrase: str) -> ArticleDate | None:
    """Read one date written out in full (« 15 février 2024 », « June 7, 2024 »), or None."""
    match = ANY_DATE.fullmatch(phrase.strip())
    if not match:
        return None
    return read_match(match, dt.date.max).date


def resolve_years(found: list[FoundDate], context_years: set[int]) -> list[FoundDate]:
    """Give a year to dates written without one when the text names exactly one year."""
    if len(context_years) != 1:
        return found
    (year,) = context_years
    resolved = []
    for item in found:
        if item.date is None and not item.year_given:
            match = ANY_DATE.fullmatch(item.phrase)
            if match and match["fmonth"]:
                month = FRENCH_MONTHS[match["fmonth"].casefold()]
                day = 1 if match["fday"] == "1er" else int(match["fday"])
                item = FoundDate(_day(year, month, day), item.phrase, False)
        resolved.append(item)
    return resolved
