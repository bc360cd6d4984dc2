"""Lists cut into pages (`paginate`: page 1 at the list's URL, page n at `<url>page/<n>/`,
Hugo's scheme), and lists as the index and home pages show them: their name, URL and
counts, not their articles, so that an index page changes only with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .dates import ArticleDate

if TYPE_CHECKING:
    from .config import Theme

Item = TypeVar("Item")


def page_url(base_url: str, number: int) -> str:
    """`base_url` for page 1, `base_url + 'page/<n>/'` for page n."""
    return base_url if number == 1 else f"{base_url}page/{number}/"


def paginate(
    items: Sequence[Item], size: int, base_url: str, weight=lambda item: 1
) -> list[tuple[tuple[Item, ...], Pager]]:
    """`items` cut into pages of `size` items (one empty page for no items), each with its
    Pager; `weight(item)` is how many articles an item stands for (a story: several)."""
    chunks = [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]
    offsets = [0]  # the articles before each page, then the total
    for chunk in chunks:
        offsets.append(offsets[-1] + sum(weight(item) for item in chunk))
    return [
        (chunk, Pager(base_url, number, len(chunks), offsets[number - 1], offsets[-1]))
        for number, chunk in enumerate(chunks, start=1)
    ]


@dataclass(frozen=True)
class ListLink:
    """A list as an index page shows it (a month of the archives, an outlet): its date or
    name, its URL and how many articles it holds, without the articles themselves (so that
    the index page changes only with these)."""

    name: str
    date: ArticleDate | None
    url: str
    count: int


@dataclass(frozen=True)
class PersonLink:
    """A person or organisation as the people index shows it: name, kind, other names, the
    URL of its page and how many articles and quotations it has (so that the index page
    changes only with these, not with its articles)."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    url: str
    count: int
    quotes: int


@dataclass(frozen=True)
class Teaser:
    """A list as the home page shows it: its theme (None for the articles of no theme),
    its URL, its HOME_SIZE newest entries and how many it holds (so that the home page
    changes only with these)."""

    theme: Theme | None
    url: str
    entries: tuple
    count: int


@dataclass(frozen=True)
class Pager:
    """Where a page stands in its list: page `number` of `count`, and the articles it shows
    (`offset` articles come before them, `total` in the whole list)."""

    base_url: str
    number: int
    count: int
    offset: int
    total: int

    def url_of(self, number: int) -> str:
        """The URL of page `number` of this list."""
        return page_url(self.base_url, number)

    @property
    def prev_url(self) -> str:
        """The previous (newer) page's URL, or ''."""
        return self.url_of(self.number - 1) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        """The next (older) page's URL, or ''."""
        return self.url_of(self.number + 1) if self.number < self.count else ""
