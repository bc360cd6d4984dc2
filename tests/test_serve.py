"""The preview server without a browser: requests, news, the server and the command."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser import REPO, edit, preview, sample_project

from revue.errors import BuildError, SourceError
from revue.serve import follow
from revue.serve.changes import page_url
from revue.serve.client import inject, live_script
from revue.serve.http import cache_control, resolve
from revue.serve.live import HISTORY, LiveSite
from revue.serve.server import is_loopback

SUBPATH = "https://user.github.io/revue/"
FILES = {
    "index.html": b"home",
    "404.html": b"missing",
    "articles/a/index.html": b"a",
    "static/style.0123456789.css": b"css",
}


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("/", "file", "index.html"),
        ("/?x=1", "file", "index.html"),
        ("/articles/a/", "file", "articles/a/index.html"),
        ("/articles/a/index.html", "file", "articles/a/index.html"),
        ("/articles/a", "redirect", "/articles/a/"),
        ("/articles/a?x=1", "redirect", "/articles/a/?x=1"),
        ("/static/style.0123456789.css", "file", "static/style.0123456789.css"),
        ("/__revue__/events?since=3", "events", ""),
        ("/nope/", "missing", ""),
        ("/../site.toml", "missing", ""),
        ("/articles/../index.html", "missing", ""),
        ("/%2e%2e/site.toml", "missing", ""),
        ("/%2E%2E%2Fsite.toml", "missing", ""),
        ("/articles/a/%2e/index.html", "missing", ""),
        ("//etc/passwd", "missing", ""),
        ("/articles//a/", "missing", ""),
        ("/..%5csite.toml", "missing", ""),
        ("/index.html%00.css", "missing", ""),
    ],
)
def test_request_paths_at_the_root(raw: str, kind: str, value: str) -> None:
    target = resolve(raw, "/", FILES)
    assert (target.kind, target.value) == (kind, value)


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("/", "redirect", "/revue/"),
        ("/revue", "redirect", "/revue/"),
        ("/revue/", "file", "index.html"),
        ("/revue/articles/a/", "file", "articles/a/index.html"),
        ("/revue/__revue__/events", "events", ""),
        ("/articles/a/", "missing", ""),
        ("/__revue__/events", "missing", ""),
        ("/revue/../revue/index.html", "missing", ""),
        ("/revue/%2e%2e/etc/passwd", "missing", ""),
    ],
)
def test_request_paths_under_a_subpath(raw: str, kind: str, value: str) -> None:
    target = resolve(raw, "/revue/", FILES)
    assert (target.kind, target.value) == (kind, value)


def test_only_files_named_after_their_bytes_are_cached_for_good() -> None:
    css = b"body { color: red; }"
    hashed = f"static/style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert cache_control(hashed, css) == "max-age=31536000, immutable"
    assert cache_control(hashed, css + b" ") == "no-cache"  # not the bytes it was named after
    assert cache_control("static/style.css", css) == "no-cache"
    assert cache_control("index.html", css) == "no-cache"
    assert cache_control("pagefind/pagefind.js", css) == "no-cache"


def test_page_urls() -> None:
    assert page_url("index.html", "/revue/") == "/revue/"
    assert page_url("articles/a/index.html", "/revue/") == "/revue/articles/a/"
    assert page_url("404.html", "/") == "/404.html"


def test_the_script_goes_before_the_last_body_end() -> None:
    script = live_script("/__revue__/events", "/", 3, "abc")
    page = inject(b"<html><body><p>x</p></BODY>\n</html>\n", script)
    assert page.startswith(b"<html><body><p>x</p><script data-revue>")
    assert page.endswith(b"</script>\n</BODY>\n</html>\n")
    assert inject(b"<p>x</p>", script).endswith(b"</script>\n")
    assert '"number": 3' in script and '"served": "/"' in script


def test_only_loopback_addresses_are_private() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


# --------------------------------------------------------------------------- news


def test_a_page_catches_up_on_the_news_it_missed() -> None:
    live = LiveSite()
    live.publish({}, ("*",))  # 1: the first build
    live.publish({}, ("/a/", "/b/"), (("/s.1.css", "/s.2.css"),))  # 2
    live.fail(("a.md:2: broken",))  # 3
    live.publish({}, ("/b/", "/c/"), (("/s.2.css", "/s.3.css"),))  # 4
    missed = live.catch_up(1)
    assert [news.number for news in missed] == [2, 3, 4]
    assert [news.errors for news in missed] == [(), ("a.md:2: broken",), ()]
    assert missed[2].as_json() == {
        "number": 4,
        "changed": ["/b/", "/c/"],
        "stylesheets": [["/s.2.css", "/s.3.css"]],
        "errors": [],
    }
    assert live.catch_up(4) == []
    assert [n.number for n in live.catch_up(0)] == [1, 2, 3, 4]
    # Served by another run of the server: reload.
    assert [(n.number, n.changed) for n in live.catch_up(-1)] == [(4, ("*",))]
    for _ in range(HISTORY):
        live.publish({}, ())
    # Too old for the news kept: reload.
    assert [(n.number, n.changed) for n in live.catch_up(3)] == [(4 + HISTORY, ("*",))]
    assert live.wait_news(3 + HISTORY, 0.01) == [live.history[-1]]
    assert live.wait_news(4 + HISTORY, 0.01) == []
    live.close()
    assert live.wait_news(4 + HISTORY, 10) is None


def test_requests_wait_while_a_build_runs() -> None:
    live = LiveSite(files={"index.html": b"old"})
    live.begin_build()
    seen: list[bytes] = []
    reader = threading.Thread(target=lambda: seen.append(live.snapshot().files["index.html"]))
    reader.start()
    time.sleep(0.2)
    assert seen == []
    live.publish({"index.html": b"new"}, ("/",))
    reader.join(timeout=5)
    assert seen == [b"new"]


# --------------------------------------------------------------------------- server


def _get(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET a raw path (sent as it is, without normalization)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_server_serves_pages_with_the_script_and_the_404_page(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    with preview(root) as server:
        status, headers, body = _get(server.url, "/articles/alpha/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"__revue__/events" in body
        status, _, body = _get(server.url, "/nope/")
        assert status == 404 and b"Page introuvable" in body and b"__revue__/events" in body
        for attack in ("/../site.toml", "/%2e%2e/site.toml", "//etc/passwd", "/..%2fsite.toml"):
            status, _, body = _get(server.url, attack)
            assert status == 404 and b"Page introuvable" in body
        css = next(name for name in server.good.files if name.endswith(".css"))
        status, headers, body = _get(server.url, "/" + css)
        assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
        assert headers["Cache-Control"] == "max-age=31536000, immutable"
        assert b"__revue__" not in body
    built = (root / "_site" / "articles/alpha/index.html").read_bytes()
    assert b"__revue__" not in built  # the script is added when serving, never written
    assert re.match(r"Built 3 articles \(\d+ pages, \d+ files\) in ", server.out.getvalue())


def test_the_search_index_follows_the_pages_on_the_server_and_on_disk(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    output = root / "_site"
    with preview(root) as server:
        entry = "pagefind/pagefind-entry.json"
        first = _get(server.url, "/" + entry)[2]
        assert first == (output / entry).read_bytes()
        edit(root / "content/articles/2024-03-01-alpha.md", "Le texte", "Le nouveau texte")
        deadline = time.monotonic() + 30
        while _get(server.url, "/" + entry)[2] == first:
            assert time.monotonic() < deadline, "the search index was never updated"
            time.sleep(0.05)
        assert b"Le nouveau texte" in _get(server.url, "/articles/alpha/")[2]
        while (output / entry).read_bytes() == first:
            assert time.monotonic() < deadline, "the search index was never written"
            time.sleep(0.05)
    search = dict(server.follower.search)  # stopping waited for the files left to write
    on_disk = {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in (output / "pagefind").rglob("*")
        if p.is_file()
    }
    assert on_disk == search
    assert dict(server.good.files) == {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.is_file() and not p.relative_to(output).as_posix().startswith("pagefind/")
    }


def test_a_search_index_failure_is_shown_while_the_pages_still_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    with preview(root) as server:

        def failing(*args: object) -> None:
            raise BuildError([SourceError("pagefind", 0, "the indexer stopped")])

        monkeypatch.setattr(follow, "search_index", failing)
        edit(root / "content/articles/2024-03-01-alpha.md", "Le texte", "Le nouveau texte")
        deadline = time.monotonic() + 30
        while server.live.errors != ("pagefind: the indexer stopped",):
            assert time.monotonic() < deadline, "the failure was never shown"
            time.sleep(0.05)
        assert b"Le nouveau texte" in _get(server.url, "/articles/alpha/")[2]
        assert _get(server.url, "/pagefind/pagefind.js")[0] == 200  # the last index
    assert "pagefind: the indexer stopped\n" in server.err.getvalue()


def test_under_a_subpath_everything_lives_below_it(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    with preview(root, SUBPATH) as server:
        assert server.url.endswith("/revue/")
        status, headers, _ = _get(server.url, "/")
        assert (status, headers["Location"]) == (302, "/revue/")
        status, _, body = _get(server.url, "/revue/articles/alpha/")
        assert status == 200 and b'"/revue/__revue__/events"' in body
        assert _get(server.url, "/articles/alpha/")[0] == 404
        status, _, body = _get(server.url, "/revue/nope")
        assert status == 404 and b'href="/revue/static/style.' in body


def test_a_broken_site_is_reported_and_the_last_good_one_served(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    with preview(root) as server:
        edit(root / "content/articles/2024-03-01-alpha.md", "source: Le Monde\n", "")
        error = (
            "content/articles/2024-03-01-alpha.md:1: missing required field 'source': "
            "add a line `source: Le Monde`"
        )
        deadline = time.monotonic() + 30
        while server.live.errors != (error,):
            assert time.monotonic() < deadline, "the watcher never rebuilt"
            time.sleep(0.05)
        assert server.live.number == 2
        status, _, body = _get(server.url, "/articles/alpha/")
        assert status == 200 and b"Alpha" in body
        assert (
            f'"number": 2, "server": "{server.httpd.token}", "errors": ["{error}"]'.encode() in body
        )
        token = server.httpd.token
        _, headers, body = _get(server.url, f"/__revue__/events?once=1&since=1&server={token}")
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == [
            {"number": 2, "changed": [], "stylesheets": [], "errors": [error]}
        ]
        _, _, body = _get(server.url, f"/__revue__/events?once=1&since=2&server={token}")
        assert json.loads(body) == []
    assert server.err.getvalue() == (
        "content/articles/2024-03-01-alpha.md:1: missing required field 'source': "
        "add a line `source: Le Monde`\n"
        "Build failed after changes to content/articles/2024-03-01-alpha.md: 1 error; "
        "still serving the last good site.\n"
    )


def test_a_project_that_never_built_still_serves_the_errors(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    edit(root / "content/articles/2024-03-01-alpha.md", "title: Alpha\n", "")
    with preview(root) as server:
        status, _, body = _get(server.url, "/")
        assert status == 404 and b"Site non construit" in body
        assert server.live.errors
    assert not (root / "_site").exists()


# --------------------------------------------------------------------------- command


def test_serve_command_prints_the_url_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--base-url", SUBPATH],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert re.fullmatch(
            r"Built 3 articles \(\d+ pages, \d+ files\) in [\d.]+ s; .*\n", lines[0]
        )
        url = re.fullmatch(r"Serving the site at (http://127\.0\.0\.1:\d+/revue/) .*\n", lines[1])
        assert url, lines
        events = _open_events(url[1])
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    events.close()
    assert (process.returncode, out, err) == (0, "Stopped.\n", "")


def _open_events(url: str) -> http.client.HTTPConnection:
    """An open event stream (the server must end it when stopping)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/revue/__revue__/events")
    assert connection.getresponse().status == 200
    return connection
