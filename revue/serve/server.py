"""The preview server: build, serve, watch, rebuild, tell the browsers; stop on Ctrl-C.

Four threads: the main one waits for Ctrl-C, one serves HTTP (a thread per request), one
watches the sources and rebuilds, one follows each publication (revue/serve/follow.py).
After a successful rebuild the new pages are served and the tabs whose page changed are
told at once; the output files whose bytes changed and the search index follow. After a
failed rebuild the last good site is still served and every open tab shows the errors.
"""

from __future__ import annotations

import gc
import ipaddress
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..cache import CACHE_DIR
from ..config import load_config
from ..errors import SourceError
from ..search import FolderCache
from .changes import compare, page_url
from .follow import Follower
from .http import PreviewServer
from .incremental import Attempt, Built, SourceCache, rebuild
from .live import LiveSite
from .watch import SourceFilter, snapshot, watch_sources, watched_folders

FULL_COLLECTION_EVERY = 100  # builds (see DevServer._settle)


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
        self.threads: list[threading.Thread] = []
        self.httpd: PreviewServer | None = None
        self.follower: Follower | None = None
        self.url = ""
        self.builds = 0

    def start(self) -> str:
        """Bind, build, then serve and watch in background threads; return the site's URL."""
        options = self.options
        config = load_config(self.root)  # BuildError when there is no usable site.toml
        self.output = (self.root / config.output_dir).resolve()
        # The search index's shards are shared with the build command: a preview started
        # after a build indexes nothing that build indexed.
        shards = FolderCache(self.root / CACHE_DIR / "search")
        self.follower = Follower(self.live, self.output, self.err, shards)
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
        self._spawn("revue-follow", self.follower.run)
        self._say(f"Serving the site at {self.url} (Ctrl-C to stop).")
        return self.url

    def wait(self) -> None:
        """Block until stop() is called from another thread or Ctrl-C is pressed."""
        while not self.stop_event.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving, end every open event stream, and free the port."""
        self.stop_event.set()
        if self.follower is not None:
            self.follower.stop()
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
            return rebuild(self.root, self.base_url, self.cache, changed, index=False)
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
        self._settle()

    def _settle(self) -> None:
        """Keep the cyclic garbage collector off the model between rebuilds. What is alive
        after a build is mostly what the next rebuild reuses, freed by reference counting
        once replaced; a full pass of the collector over it costs ~0.3 s at 10,000
        articles and would fall in the middle of some later rebuild. So it is frozen (out
        of the collector's sight), and the few cycles rebuilds leave are collected by a
        full pass every FULL_COLLECTION_EVERY builds."""
        self.builds += 1
        if self.builds % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def _publish(self, built: Built, detected: float, sources: tuple[str, ...]) -> Rebuilt:
        """Serve the new site and tell the tabs that changed (the output folder and the
        search index follow; the first build waits for both before it is served)."""
        base_path = self.httpd.base_path
        first = self.good is None
        if first:
            changes = compare({}, built.files)
            reload: tuple[str, ...] = ("*",)
            sheets: tuple[tuple[str, str], ...] = ()
            count = self.follower.first(built)
        else:
            was = self.good
            changes = compare(was.files, built.files, was.manifest, built.manifest, built.rendered)
            reload = tuple(page_url(p, base_path) for p in changes.pages)
            sheets = tuple((base_path + old, base_path + new) for old, new in changes.stylesheets)
            self.follower.publish(built, changes, reload, sheets)
        self.good = built
        finished = time.time()
        took = f"{finished - detected:.2f} s"
        if first:
            pages = sum(1 for name in built.files if name.endswith(".html"))
            self._say(
                f"Built {built.articles} articles ({pages} pages, {count} files) "
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
