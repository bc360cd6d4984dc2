"""The state shared by the builder and the HTTP handlers: the last good site and the news.

One `LiveSite` per server. The builder marks a build as running, then publishes either a
new site (with the URLs of the pages that changed and the stylesheets to swap) or the
errors that stopped it. Requests wait while a build runs, so a half-built site is never
served; event streams wait for news. Every piece of news has a number: a page is served
with the number of the last news, and its event stream catches up from there, so a change
made between serving a page and its stream connecting is not lost.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

HISTORY = 200  # pieces of news kept for event streams that catch up


@dataclass(frozen=True)
class News:
    """What happened in one build, as sent to browsers.

    `changed`: URL paths of the pages to reload (`"*"` for all); `stylesheets`: (old, new)
    URL paths of stylesheets to swap in place; `errors`: the build's errors as
    `path:line: message`, empty after a successful build.
    """

    number: int
    changed: tuple[str, ...] = ()
    stylesheets: tuple[tuple[str, str], ...] = ()
    errors: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The event's data."""
        return {
            "number": self.number,
            "changed": list(self.changed),
            "stylesheets": [list(pair) for pair in self.stylesheets],
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class Snapshot:
    """A consistent view for one request: the files and the number of the last news."""

    files: Mapping[str, bytes]
    number: int
    errors: tuple[str, ...] = ()


@dataclass
class LiveSite:
    """The served site, the build in progress and the news, behind one condition."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    building: bool = False
    closed: bool = False
    history: list[News] = field(default_factory=list)
    number: int = 0
    condition: threading.Condition = field(default_factory=threading.Condition)

    def begin_build(self) -> None:
        """Make requests wait until the build in progress publishes or fails."""
        with self.condition:
            self.building = True

    def publish(
        self,
        files: Mapping[str, bytes],
        changed: tuple[str, ...],
        stylesheets: tuple[tuple[str, str], ...] = (),
    ) -> News:
        """Serve a new site and tell browsers which pages changed."""
        with self.condition:
            self.files = files
            self.errors = ()
            self.building = False
            return self._announce(News(self.number + 1, changed, stylesheets))

    def fail(self, errors: tuple[str, ...]) -> News:
        """Keep serving the last good site and show the errors in every tab."""
        with self.condition:
            self.errors = errors
            self.building = False
            return self._announce(News(self.number + 1, errors=errors))

    def complete(self, files: Mapping[str, bytes]) -> None:
        """Serve `files` from now on without news: the same pages with files added after
        them (the search index), which no open page needs to reload for."""
        with self.condition:
            self.files = files

    def warn(self, errors: tuple[str, ...]) -> News:
        """Show errors in every tab without ending a build in progress (those of work done
        after a build was published); the next build's news clears them."""
        with self.condition:
            self.errors = errors
            return self._announce(News(self.number + 1, errors=errors))

    def _announce(self, news: News) -> News:
        self.number = news.number
        self.history.append(news)
        del self.history[:-HISTORY]
        self.condition.notify_all()
        return news

    def snapshot(self, timeout: float = 60.0) -> Snapshot:
        """The site to serve a request from, once no build is running."""
        with self.condition:
            self.condition.wait_for(lambda: not self.building or self.closed, timeout)
            return Snapshot(self.files, self.number, self.errors)

    def catch_up(self, since: int) -> list[News]:
        """The news a page served at number `since` missed, one by one; when they are no
        longer all kept (or the page came from another run of the server), one piece of
        news that reloads every page."""
        with self.condition:
            missed = [news for news in self.history if news.number > since]
            if since < self.number and (not missed or missed[0].number != since + 1):
                return [News(self.number, ("*",), (), self.errors)]
            return missed

    def wait_news(self, after: int, timeout: float) -> list[News] | None:
        """News after number `after` (empty on timeout), or None once the server stops."""
        with self.condition:
            self.condition.wait_for(lambda: self.number > after or self.closed, timeout)
            if self.closed:
                return None
            return [news for news in self.history if news.number > after]

    def close(self) -> None:
        """Wake every waiting request and event stream so they end."""
        with self.condition:
            self.closed = True
            self.building = False
            self.condition.notify_all()
