"""What follows the publication of a build, in a thread of its own, so that browsers hear
of the new pages before anything else is done.

`Follower.publish` serves a new build's pages, with the search index made so far, and tells
the tabs whose page changed. The follower's thread then brings the output folder in step
with the served site (only the changed files, under the build lock, each one replaced
atomically: revue/serve/outputs.py), makes the search index of the newest build (those of
builds already replaced are skipped), serves it without news (no page needs to reload for
it) and writes it too.

Until the new index is served, the search page queries the previous one: an edited article
may still be found by its old words and shows its old title in the results, a new article
is not found yet, and a result may lead to a page that has just been removed.
"""

from __future__ import annotations

import functools
import threading
import traceback
from collections import ChainMap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from ..errors import BuildError
from ..lock import BuildLocked, build_lock
from ..output import write_site
from ..search import Cache as SearchCache
from ..search import RecordMemo
from .changes import OutputChanges
from .incremental import Built, search_index
from .live import LiveSite
from .outputs import sync_output


class Follower:
    """The served files of the last build and the work its publication leaves to do."""

    def __init__(self, live: LiveSite, output: Path, err: TextIO, shards: SearchCache):
        self.live = live
        self.output = output
        self.err = err
        self.condition = threading.Condition()  # guards every field below
        self.pages: Mapping[str, bytes] = {}  # the files of the last published build
        self.search: Mapping[str, bytes] = {}  # the search index served with them
        self.unwritten: set[str] = set()  # outputs whose file is not yet the served one
        self.unindexed: Built | None = None  # a build whose search index is not made yet
        self.indexed: object = None  # the plan of the last build whose index was asked for
        self.stopping = False
        self.shards = shards  # the search index's shards kept between builds
        self.records = RecordMemo()  # and the records of the articles

    def first(self, built: Built) -> int:
        """Serve the first build with its search index and write the whole output folder,
        before any browser is served; return the number of files."""
        self.live.publish(built.files, ("*",))
        search = self._index(built) or {}
        with self.condition:
            self.pages, self.search, self.indexed = built.files, search, built.plan
            self.live.complete(ChainMap(built.files, search))
        files = {**built.files, **search}
        self._write(functools.partial(write_site, files, self.output))
        return len(files)

    def publish(
        self,
        built: Built,
        changes: OutputChanges,
        reload: tuple[str, ...],
        stylesheets: tuple[tuple[str, str], ...],
    ) -> None:
        """Serve a new build and tell the tabs; leave the rest to the follower's thread."""
        with self.condition:
            self.pages = built.files
            self.live.publish(ChainMap(built.files, self.search), reload, stylesheets)
            self.unwritten.update(changes.written, changes.removed)
            if built.plan is not self.indexed:  # not the same build given again
                self.unindexed, self.indexed = built, built.plan
            self.condition.notify_all()

    def run(self) -> None:
        """Write, then index, after each publication; end once stopped with nothing left
        to write (an index not begun yet is not made)."""
        while True:
            with self.condition:
                self.condition.wait_for(lambda: self.unwritten or self.unindexed or self.stopping)
                if self.stopping and not self.unwritten:
                    return
                names, self.unwritten = self.unwritten, set()
                files = ChainMap(self.pages, self.search)
                built, self.unindexed = self.unindexed, None
            if names:
                self._write(functools.partial(sync_output, self.output, files, names))
            search = None if built is None or self.stopping else self._index(built)
            if search is None:
                continue
            with self.condition:
                old = self.search
                self.unwritten.update(n for n, data in search.items() if old.get(n) != data)
                self.unwritten.update(n for n in old if n not in search)
                self.search = search
                self.live.complete(ChainMap(self.pages, search))

    def stop(self) -> None:
        """Make the thread end once the files left to write are written."""
        with self.condition:
            self.stopping = True
            self.condition.notify_all()

    def _index(self, built: Built) -> Mapping[str, bytes] | None:
        """The search index of a build, or None after showing why it could not be made."""
        try:
            return search_index(built, self.shards, self.records)
        except BuildError as error:
            errors = tuple(str(e) for e in error.errors)
        except Exception as error:
            traceback.print_exc(file=self.err)
            errors = (f"revue: internal error: {error!r}",)
        self.live.warn(errors)
        for line in errors:
            print(line, file=self.err, flush=True)
        print("The search index could not be made: search uses the last one.", file=self.err)
        return None

    def _write(self, update: Callable[[], None]) -> None:
        """Update the output folder under the build lock (the same lock as `build`: never
        two writers there at once; pages are served from memory, so only the copy waits)."""
        try:
            with build_lock(self.output, on_wait=lambda line: print(line, file=self.err)):
                update()
        except BuildLocked as error:
            print(
                f"{error}; {self.output.name}/ was not updated (the preview is): "
                "run `python build.py` when the other build is done.",
                file=self.err,
            )
        except Exception as error:  # e.g. the output folder cannot be written
            traceback.print_exc(file=self.err)
            self.live.warn((f"revue: internal error: {error!r}",))
