"""The HTTP side of the preview: map a request to a built file, a redirect or the events.

Files are served from the last good build held in memory, never from the disk, so no
request can reach a file outside the site: a path is decoded once, and any `.` or `..`
segment, empty segment, backslash or NUL is refused before the look-up. A folder URL
serves its `index.html`; anything else missing gets the site's `404.html` with status 404.
The site lives under the base URL's path (`/revue/`), and `/` redirects there.

Browsers must ask again for every file, except the fingerprinted static files, whose name
changes with their bytes: those are cached for good, so a reloaded page does not fetch its
stylesheet again.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import secrets
import select
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..assets import HASH_LENGTH
from .changes import page_url
from .client import EVENTS, event, inject, live_script
from .live import LiveSite, News, Snapshot

KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
HANG_UP_CHECK = 1.0  # seconds between checks that an idle stream's tab is still there

# Shown when no build has succeeded yet; the overlay then lists the errors.
FALLBACK_PAGE = (
    '<!doctype html>\n<html lang="fr">\n<head><meta charset="utf-8">'
    "<title>Site non construit</title></head>\n<body>\n<h1>Site non construit</h1>\n"
    "<p>Le site n’a encore jamais pu être construit : corrigez les erreurs signalées.</p>\n"
    "</body>\n</html>\n"
).encode()


@dataclass(frozen=True)
class Target:
    """What a request path asks for: a file, a redirect, the event stream or nothing."""

    kind: Literal["file", "redirect", "events", "missing"]
    value: str = ""  # the output path of a file, or the Location of a redirect


def resolve(raw: str, base_path: str, files: Mapping[str, bytes]) -> Target:
    """Map a request target (`/revue/a/?x=1`) to what the server should answer."""
    parts = urlsplit(raw)
    query = f"?{parts.query}" if parts.query else ""
    path = unquote(parts.path)
    if path in ("/", base_path.rstrip("/")) and path != base_path:
        return Target("redirect", base_path + query)
    if not path.startswith(base_path):
        return Target("missing")
    relative = path[len(base_path) :]
    if relative == EVENTS:
        return Target("events")
    segments = relative.split("/")
    if any(s in (".", "..") or "\\" in s or "\0" in s for s in segments) or "" in segments[:-1]:
        return Target("missing")
    name = relative + "index.html" if relative == "" or relative.endswith("/") else relative
    if name in files:
        return Target("file", name)
    if f"{relative}/index.html" in files:
        return Target("redirect", quote(path + "/") + query)
    return Target("missing")


def content_type(name: str) -> str:
    """The Content-Type header for an output file."""
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/xml", "application/json"):
        return f"{guessed}; charset=utf-8"
    return guessed


def cache_control(name: str, data: bytes) -> str:
    """The Cache-Control header for an output file: kept for good when its name holds the
    hash of its bytes (a static file fingerprinted by revue/assets.py), else asked again."""
    path = PurePosixPath(name)
    if path.parts[0] == "static" and path.suffix:
        named = path.stem.rpartition(".")[2]
        if len(named) == HASH_LENGTH and named == hashlib.sha256(data).hexdigest()[:HASH_LENGTH]:
            return "max-age=31536000, immutable"
    return "no-cache"


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server that knows the live site it serves."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # hundreds of tabs may (re)connect their event streams at once

    def __init__(self, address: tuple[str, int], live: LiveSite, base_path: str):
        self.live = live
        self.base_path = base_path
        self.token = secrets.token_hex(6)  # names this run of the server
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the live site; streams news to `…/__revue__/events`."""

    server: PreviewServer
    server_version = "RevuePreview"
    disable_nagle_algorithm = True  # send each answer at once, not after the last's ACK

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the terminal is for build news."""

    def _answer(self, with_body: bool) -> None:
        base_path = self.server.base_path
        snapshot = self.server.live.snapshot()
        target = resolve(self.path, base_path, snapshot.files)
        if target.kind == "events":
            self._stream()
        elif target.kind == "redirect":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", target.value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif target.kind == "file":
            served = page_url(target.value, base_path)
            data = snapshot.files[target.value]
            body = self._page(data, target.value, served, snapshot)
            kind, caching = content_type(target.value), cache_control(target.value, data)
            self._send(HTTPStatus.OK, body, kind, with_body, caching)
        else:
            page = snapshot.files.get("404.html", FALLBACK_PAGE)
            body = self._page(page, "404.html", base_path + "404.html", snapshot)
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", with_body)

    def _page(self, data: bytes, name: str, served: str, snapshot: Snapshot) -> bytes:
        """An HTML file with the live-reload script; any other file as it is."""
        if not name.endswith(".html"):
            return data
        events = self.server.base_path + EVENTS
        script = live_script(events, served, snapshot.number, self.server.token, snapshot.errors)
        return inject(data, script)

    def _wait_news(self, last: int) -> list[News] | None:
        """News after `last`, waiting up to KEEP_ALIVE; raises ConnectionError as soon as
        the tab has gone, so a closed stream's thread ends within HANG_UP_CHECK seconds
        instead of at its next write."""
        waited = 0.0
        while waited < KEEP_ALIVE:
            missed = self.server.live.wait_news(last, HANG_UP_CHECK)
            if missed is None or missed:
                return missed
            if self._client_gone():
                raise ConnectionError("the event stream's client hung up")
            waited += HANG_UP_CHECK
        return []

    def _client_gone(self) -> bool:
        """Whether the peer closed or reset the connection (a browser never sends more
        on an event stream, so a readable socket means end-of-file or an error)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _send(
        self, status: HTTPStatus, body: bytes, kind: str, with_body: bool, caching: str = "no-cache"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", caching)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _stream(self) -> None:
        """Send the news the page missed, then, unless `once=1` asks for just those as
        JSON, each new piece of news until the server stops."""
        live = self.server.live
        query = parse_qs(urlsplit(self.path).query)
        since = self.headers.get("Last-Event-ID") or query.get("since", ["0"])[0]
        same_server = query.get("server", [""])[0] == self.server.token
        last = int(since) if since.isdigit() and same_server else -1
        missed = live.catch_up(last)
        if query.get("once") == ["1"]:
            body = json.dumps([news.as_json() for news in missed]).encode()
            self._send(HTTPStatus.OK, body, "application/json", with_body=True)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while missed is not None:
                for news in missed:
                    self.wfile.write(event(news.as_json(), news.number))
                    last = max(last, news.number)
                if not missed:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                missed = self._wait_news(last)
        except OSError:  # the tab closed or the connection broke mid-stream
            return
