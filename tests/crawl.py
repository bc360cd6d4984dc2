"""Helpers for testing a built site as a visitor sees it.

- `serve(root, prefix)`: a small threaded HTTP server on 127.0.0.1 that serves the
  folder `root` under the URL path `prefix` (like GitHub Pages serves a project site
  under `/<repo>/`) and answers 404 for anything else.
- `crawl(starts, base_url)`: follows every internal link from the start URLs and
  reports each link that does not answer 200, with the page that holds it.
- `page_urls(root, base_url)`: the public URL of every HTML page of a built site.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

HOST = "127.0.0.1"

# Schemes that never point at a page of the site.
_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


# --------------------------------------------------------------------------- server


def _make_handler(root: Path, prefix: str) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", with_body)
                return
            target = (root / path[len(prefix) :]).resolve()
            if target != root and root not in target.parents:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", with_body)
                return
            if target.is_dir():
                if not path.endswith("/"):
                    # As GitHub Pages does: a folder is only served at its URL with a '/'.
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", path + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                target = target / "index.html"
            if not target.is_file():
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", with_body)
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, target.read_bytes(), kind, with_body)

        def _send(self, status: int, body: bytes, kind: str, with_body: bool) -> None:
            self.send_response(status)
            if kind.startswith("text/") or kind.endswith("xml"):
                kind += "; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `root` at `http://127.0.0.1:PORT<prefix>`; yield that URL.

    The server is bound before anything is built, so the caller can build the site
    for the yielded URL into `root` afterwards: files are read at each request.
    """
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    server = ThreadingHTTPServer((HOST, 0), _make_handler(root, prefix))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- links


class _LinkParser(HTMLParser):
    """Collects every `href`, `src` and `srcset` URL of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if tag == "base" and name == "href":
                self.base = value.strip()
            elif name in ("href", "src"):
                self.links.append(value.strip())
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.links.append(url)

    handle_startendtag = handle_starttag


def html_links(text: str, page_url: str) -> list[str]:
    """The absolute URLs of the links of an HTML page, relative ones resolved."""
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    base = urljoin(page_url, parser.base) if parser.base else page_url
    return [urljoin(base, link) for link in parser.links]


def xml_links(text: str, page_url: str) -> list[str]:
    """The URLs an XML document points at: sitemap `<loc>`, Atom `<link href>`,
    RSS `<link>`. Atom `<id>`s are names, not addresses, and are left out."""
    root = ET.fromstring(text.encode("utf-8"))
    links = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local == "loc" and element.text:
            links.append(element.text.strip())
        elif local == "link":
            if element.get("href"):
                links.append(element.get("href", "").strip())
            elif element.text and element.text.strip():
                links.append(element.text.strip())
        elif local in ("icon", "logo") and element.text:
            links.append(element.text.strip())
    return [urljoin(page_url, link) for link in links]


def robots_links(text: str, page_url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt."""
    links = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            links.append(urljoin(page_url, value.strip()))
    return links


# --------------------------------------------------------------------------- crawl


@dataclass
class BrokenLink:
    url: str
    status: int | str
    found_on: str

    def __str__(self) -> str:
        return f"{self.url} -> {self.status} (linked from {self.found_on})"


@dataclass
class CrawlResult:
    statuses: dict[str, int | str] = field(default_factory=dict)
    html_pages: set[str] = field(default_factory=set)
    broken: list[BrokenLink] = field(default_factory=list)

    def report(self, shown: int = 5) -> str:
        """The broken links, one a line, each with (some of) the pages holding it."""
        pages: dict[tuple[str, str], list[str]] = {}
        for link in self.broken:
            pages.setdefault((link.url, str(link.status)), []).append(link.found_on)
        lines = []
        for (url, status), found_on in sorted(pages.items()):
            more = f" and {len(found_on) - shown} more" if len(found_on) > shown else ""
            lines.append(f"{url} -> {status}, linked from {', '.join(found_on[:shown])}{more}")
        return "\n".join(lines)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def fetch(url: str) -> tuple[int | str, str, bytes]:
    """GET `url` without following redirects: (status, content type, body)."""
    try:
        with _OPENER.open(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location")
        status: int | str = error.code if not location else f"{error.code} to {location}"
        return status, "", b""
    except (urllib.error.URLError, OSError) as error:
        return f"error: {error}", "", b""


def is_internal(url: str, base_url: str) -> bool:
    """Whether a link is checked: same scheme, host and port as the site."""
    target, base = urlsplit(url), urlsplit(base_url)
    return (target.scheme, target.netloc) == (base.scheme, base.netloc)


def _links_of(url: str, kind: str, body: bytes) -> list[str]:
    path = urlsplit(url).path
    text = body.decode("utf-8", errors="replace")
    if "html" in kind:
        return html_links(text, url)
    if "xml" in kind or path.endswith(".xml"):
        return xml_links(text, url)
    if path.endswith("/robots.txt"):
        return robots_links(text, url)
    return []


def crawl(starts: Iterable[str], base_url: str, limit: int = 5000) -> CrawlResult:
    """Fetch the start URLs and every internal URL reachable from them.

    Links to the site's host outside `base_url` are fetched (they are broken links
    when the site is served under a sub-path) but not followed further. Links to
    other hosts, `mailto:` and the like are skipped; `#fragments` are dropped.
    """
    result = CrawlResult()
    queue: deque[tuple[str, str]] = deque((start, "(start)") for start in starts)
    seen: set[str] = set()
    while queue:
        raw, found_on = queue.popleft()
        if raw.lower().startswith(_SKIPPED_SCHEMES):
            continue
        url = urldefrag(raw)[0]
        if not url or not is_internal(url, base_url):
            continue
        if url in seen:
            status = result.statuses.get(url)
            if status != 200:
                result.broken.append(BrokenLink(url, status or "?", found_on))
            continue
        seen.add(url)
        if len(seen) > limit:
            raise RuntimeError(f"more than {limit} URLs: is the site linking in a loop?")
        status, kind, body = fetch(url)
        result.statuses[url] = status
        if status != 200:
            result.broken.append(BrokenLink(url, status, found_on))
            continue
        if "html" in kind:
            result.html_pages.add(url)
        if url.startswith(base_url):
            try:
                links = _links_of(url, kind, body)
            except ET.ParseError as error:
                result.broken.append(BrokenLink(url, f"unparsable XML: {error}", found_on))
                continue
            queue.extend((link, url) for link in links)
    return result


# --------------------------------------------------------------------------- pages


def page_url(root: Path, page: Path, base_url: str) -> str:
    """The public URL of the HTML file `page` of the site in `root`:
    `a/b/index.html` → `<base>a/b/`, `a/x.html` → `<base>a/x.html`."""
    relative = page.relative_to(root).as_posix()
    if relative == "index.html":
        return base_url
    if relative.endswith("/index.html"):
        return base_url + relative[: -len("index.html")]
    return base_url + relative


def page_urls(root: Path, base_url: str, exclude: Iterable[str] = ("404.html",)) -> set[str]:
    """The public URLs of every HTML page in `root` but those in `exclude`
    (paths relative to `root`)."""
    excluded = set(exclude)
    return {
        page_url(root, page, base_url)
        for page in root.rglob("*.html")
        if page.relative_to(root).as_posix() not in excluded
    }
