"""Article dates: full day, month only, or a full ISO datetime; French display via CLDR (Babel)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from babel.dates import format_date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class ArticleDate:
    """A publication date with its precision: `day` is None when only the month is known,
    `moment` holds the full datetime when one was given (kept as written, with its offset)."""

    year: int
    month: int
    day: int | None = None
    moment: dt.datetime | None = None

    @property
    def iso(self) -> str:
        """`2024-03`, `2024-03-25` or `2024-03-25T10:30:00+01:00`, as a `<time datetime>` wants."""
        if self.moment is not None:
            return self.moment.isoformat()
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @functools.cached_property
    def timestamp(self) -> str:
        """An RFC 3339 timestamp for feeds: the first instant the date can mean, in UTC."""
        if self.moment is not None:
            moment = self.moment if self.moment.tzinfo else self.moment.replace(tzinfo=dt.UTC)
            return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.year:04d}-{self.month:02d}-{self.day or 1:02d}T00:00:00Z"

    @functools.cached_property
    def sort_key(self) -> tuple[int, int, int, str]:
        """Orders dates oldest first; a month-only date sorts before the days of its month."""
        return (self.year, self.month, self.day or 0, self.timestamp)

    def french(self, locale: str = "fr") -> str:
        """« 25 mars 2024 », or « mars 2024 » when only the month is known."""
        return _french(self.year, self.month, self.day, locale)


@functools.lru_cache(maxsize=4096)
def _french(year: int, month: int, day: int | None, locale: str) -> str:
    """ArticleDate.french, memoized: a review shows the same days again and again."""
    if day is None:
        return format_date(dt.date(year, month, 1), "MMMM y", locale=locale)
    return format_date(dt.date(year, month, day), "d MMMM y", locale=locale)


def parse_date(value: object) -> ArticleDate:
    """Read a frontmatter date (a YAML date/datetime, or a string) into an ArticleDate.

    Raises ValueError with a message an editor can act on.
    """
    if isinstance(value, dt.datetime):
        return ArticleDate(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return ArticleDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"date must be text like 2024-03-25, not {type(value).__name__}")
    text = value.strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month}: months run from 01 to 12")
        return ArticleDate(year, month)
    if match := _DAY.match(text):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as error:
            raise ValueError(f"'{text}' is not a real day ({error})") from None
        return ArticleDate(day.year, day.month, day.day)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date: write YYYY-MM-DD (2024-03-25), YYYY-MM (2024-03) "
            "or an ISO datetime (2024-03-25T10:30:00+01:00)"
        ) from None
    return ArticleDate(moment.year, moment.month, moment.day, moment)
