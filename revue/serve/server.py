"""The preview server: build, serve, watch, rebuild, tell the browsers; stop on Ctrl-C.

Four threads: the main one waits for Ctrl-C, one serves HTTP (a thread per request), one
watches the sources and rebuilds, one does what can follow the browsers' news. After a
successful rebuild the new pages are served and the tabs whose page changed are told at
once; then the last thread writes the output files whose bytes changed, makes the search
index, serves it and writes it. After a failed rebuild the last good site is still served
and every open tab shows the errors.
"""

from __future__ import annotations

import functools
import ipaddress
import sys
import threading
import time
import traceback
from collections import ChainMap
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..config import load_config
from ..errors import BuildError, SourceError
from ..lock import BuildLocked, build_lock
from ..output import write_site
from .http import PreviewServer
from .incremental import Attempt, Built, SourceCache, compare, page_url, rebuild, search_index
from .live import LiveSite
from .outputs import sync_output
from .watch import SourceFilter, snapshot, watch_sources, watched_folders


class CannotListen(Exception):
    """The address or port cannot be used (already taken, or not an address here)."""


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: the project, the address, the public base URL and the watch timing."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = None
    step: int = 5  # ms without a newly changed path that ends a batch (watch.py)
    debounce: int = 1600  # ms at most to group a long burst


@dataclass(frozen=True)
class Rebuilt:
    """One rebuild, timed with time.time(): when the watcher reported the change, when the
    build was published (the output folder and the search index follow), what changed;
    `errors` when it failed."""

    detected: float
    finished: float
    sources: tuple[str, ...]
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reloaded: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DevServer:
    """One preview of one project: `start()`, then `wait()` or `stop()`."""

    def __init__(
        self,
        options: ServeOptions,
        out: TextIO | None = None,
        err: TextIO | None = None,
        on_rebuild: Callable[[Rebuilt], None] | None = None,
    ):
        self.options = options
        self.root = options.root.resolve()
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.on_rebuild = on_rebuild
        self.live = LiveSite()
        self.stop_event = threading.Event()
        self.cache = SourceCache()
        self.good: Built | None = None
        self.search: Mapping[str, bytes] = {}  # the search index served with self.good
        # What the last published build leaves to do, for the "revue-after" thread:
        self.state = threading.Condition()  # guards good, search, unwritten and unindexed
        self.unwritten: set[str] = set()  # outputs whose file is not yet the served one
        self.unindexed: Built | None = None  # a build whose search index is not made yet
        self.threads: list[threading.Thread] = []
        self.httpd: PreviewServer | None = None
        self.url = ""

    def start(self) -> str:
        """Bind, build, then serve and watch in background threads; return the site's URL."""
        options = self.options
        config = load_config(self.root)  # BuildError when there is no usable site.toml
        self.output = (self.root / config.output_dir).resolve()
        if not is_loopback(options.host):
            self._say(
                f"Warning: {options.host} is not a loopback address: other machines can "
                "reach this preview. It is a development server, not for publishing.",
                self.err,
            )
        try:
            self.httpd = PreviewServer((options.host, options.port), self.live, "/")
        except OSError as error:
            raise CannotListen(
                f"Cannot listen on {options.host}:{options.port}: "
                f"{error.strerror or error}; choose another --port."
            ) from None
        host, port = self.httpd.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        self.base_url = options.base_url or f"http://{shown}:{port}/"
        base_path = config.with_base_url(self.base_url).base_path
        self.httpd.base_path = base_path
        self.url = f"http://{shown}:{port}{base_path}"
        started = time.time()
        # Taken before the first build, so that a save made while it runs is seen too.
        sources = snapshot(
            watched_folders(self.root.resolve(), self.output),
            SourceFilter(self.root.resolve(), self.output),
        )
        self._finish(self._attempt(()), started, ())
        self._spawn("revue-http", lambda: self.httpd.serve_forever(poll_interval=0.1))
        self._spawn("revue-watch", lambda: self._watch(sources))
        self._spawn("revue-after", self._follow)
        self._say(f"Serving the site at {self.url} (Ctrl-C to stop).")
        return self.url

    def wait(self) -> None:
        """Block until stop() is called from another thread or Ctrl-C is pressed."""
        while not self.stop_event.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving, end every open event stream, and free the port."""
        self.stop_event.set()
        with self.state:
            self.state.notify_all()
        self.live.close()
        if self.httpd is not None:
            if any(t.name == "revue-http" for t in self.threads):
                self.httpd.shutdown()
            self.httpd.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _watch(self, before: dict[Path, tuple[int, int]]) -> None:
        """Rebuild after each batch of changes (since the `before` snapshot) until stopped."""
        batches = watch_sources(
            self.root,
            self.output,
            self.stop_event,
            step=self.options.step,
            debounce=self.options.debounce,
            before=before,
        )
        for changed in batches:
            detected = time.time()
            self.live.begin_build()
            try:
                self._finish(self._attempt(changed), detected, changed)
            except Exception as error:  # e.g. the output folder cannot be written
                traceback.print_exc(file=self.err)
                self.live.fail((f"revue: internal error: {error!r}",))

    def _attempt(self, changed: Collection[Path]) -> Attempt:
        """Rebuild; a crash of the builder itself is reported like a build error."""
        try:
            return rebuild(self.root, self.base_url, self.cache, changed)
        except Exception as error:
            traceback.print_exc(file=self.err)
            problem = SourceError("revue", 0, f"internal error: {error!r}")
            return Attempt(SourceCache(), None, (problem,))

    def _finish(self, attempt: Attempt, detected: float, changed: Collection[Path]) -> None:
        """Publish a successful build or announce its errors, then report it."""
        self.cache = attempt.cache
        sources = tuple(sorted(self._shown(p) for p in changed))
        if attempt.built is None:
            errors = tuple(str(e) for e in attempt.errors)
            self.live.fail(errors)
            for line in errors:
                self._say(line, self.err)
            count = len(errors)
            self._say(
                f"Build failed{_cause(sources)}: {_count(count, 'error')}; "
                + ("still serving the last good site." if self.good else "nothing to serve yet."),
                self.err,
            )
            report = Rebuilt(detected, time.time(), sources, errors=errors)
        else:
            report = self._publish(attempt.built, detected, sources)
        if self.on_rebuild:
            self.on_rebuild(report)

    def _publish(self, built: Built, detected: float, sources: tuple[str, ...]) -> Rebuilt:
        """Serve the new site and tell the tabs that changed; leave writing the changed
        outputs and making the search index to the "revue-after" thread (the first build
        does both before it is served)."""
        base_path = self.httpd.base_path
        first = self.good is None
        if first:
            changes = compare({}, built.files)
            reload: tuple[str, ...] = ("*",)
            search = self._index(built) or {}
            files = {**built.files, **search}
            with self.state:
                self.good, self.search = built, search
                self.live.publish(ChainMap(built.files, search), reload)
            self._write(lambda: write_site(files, self.output))
        else:
            was = self.good
            changes = compare(was.files, built.files, was.manifest, built.manifest, built.rendered)
            reload = tuple(page_url(p, base_path) for p in changes.pages)
        sheets = tuple((base_path + old, base_path + new) for old, new in changes.stylesheets)
        if not first:
            with self.state:
                self.good = built
                # Until the new search index is made, the search page still queries the
                # previous one: an edited article may be found by its old words, a new one
                # not yet, and a result may lead to a page that has just been removed.
                self.live.publish(ChainMap(built.files, self.search), reload, sheets)
                self.unwritten.update(changes.written, changes.removed)
                self.unindexed = built
                self.state.notify_all()
        finished = time.time()
        took = f"{finished - detected:.2f} s"
        if first:
            pages = sum(1 for name in built.files if name.endswith(".html"))
            self._say(
                f"Built {built.articles} articles ({pages} pages, {len(files)} files) "
                f"in {took}; watching content/, templates/, static/ and site.toml."
            )
        elif changes.empty:
            self._say(f"Rebuilt in {took}{_cause(sources)}: no output changed.")
        else:
            self._say(
                f"Rebuilt in {took}{_cause(sources)}: "
                f"{_count(len(changes.written), 'file')} written, {len(changes.removed)} removed, "
                f"{_count(len(reload), 'page')} to reload, "
                f"{_count(len(sheets), 'stylesheet')} swapped."
            )
        return Rebuilt(detected, finished, sources, changes.written, changes.removed, reload)

    def _follow(self) -> None:
        """After each published build: bring the output folder in step with the served
        site, then make, serve and write the search index of the newest build (skipping
        those of builds already replaced). Ends once stopped with nothing left to write."""
        while True:
            with self.state:
                self.state.wait_for(
                    lambda: self.unwritten or self.unindexed or self.stop_event.is_set()
                )
                if self.stop_event.is_set() and not self.unwritten:
                    return
                names, self.unwritten = self.unwritten, set()
                files = ChainMap(self.good.files, self.search)
                built, self.unindexed = self.unindexed, None
            if names:
                self._write(functools.partial(sync_output, self.output, files, names))
            if built is None or self.stop_event.is_set():
                continue
            search = self._index(built)
            if search is None:
                continue
            with self.state:
                old = self.search
                self.unwritten.update(n for n, data in search.items() if old.get(n) != data)
                self.unwritten.update(n for n in old if n not in search)
                self.search = search
                self.live.complete(ChainMap(self.good.files, search))

    def _index(self, built: Built) -> Mapping[str, bytes] | None:
        """The search index of a build, or None after showing why it could not be made."""
        try:
            return search_index(built)
        except BuildError as error:
            errors = tuple(str(e) for e in error.errors)
        except Exception as error:
            traceback.print_exc(file=self.err)
            errors = (f"revue: internal error: {error!r}",)
        self.live.warn(errors)
        for line in errors:
            self._say(line, self.err)
        self._say("The search index could not be made: search shows the last one.", self.err)
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

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _say(self, line: str, stream: TextIO | None = None) -> None:
        print(line, file=stream or self.out, flush=True)


def _cause(sources: tuple[str, ...], shown: int = 3) -> str:
    """' after changes to a, b, c and 2 more files', or '' when there are none."""
    if not sources:
        return ""
    more = len(sources) - shown
    rest = f" and {_count(more, 'more file')}" if more > 0 else ""
    return f" after changes to {', '.join(sources[:shown])}{rest}"


def _count(number: int, noun: str) -> str:
    """'1 page', '2 pages'."""
    return f"{number} {noun}{'s' if number != 1 else ''}"


def serve(options: ServeOptions) -> int:
    """Run the preview until Ctrl-C; return the exit code."""
    server = DevServer(options)
    try:
        server.start()
        server.wait()
    except CannotListen as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Stopped.", flush=True)
    return 0
