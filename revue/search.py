"""The search index: the site's articles → Pagefind's static bundle, as `{path: bytes}`.

One record per article page, holding only what the site publishes about it: summary and
excerpt (the whole text only when the article's `full_text` is on), then outlet, authors
and cited sources; the title is in the record's metadata, which Pagefind searches too.
Records carry the filters `theme` (theme slugs) and `media` (outlet name), the sort key
`date` and the metadata a result shows (title, outlet, French date, ISO date). The
browser side is `static/search.js`, which loads `pagefind/pagefind.js` from the site
itself: no server, no third-party script.

Pagefind's binary (from the `pagefind[extended]` package) runs as a service speaking
base64 JSON messages separated by commas on stdin/stdout. The service handles messages
one at a time in arrival order, so the records are numbered in the order they are sent
(newest article first) and two builds of the same site give byte-identical files.
All messages are written at once from a thread while the answers are read, so the cost
is Pagefind's own (no round trip per article); the Python wrapper of the package is not
used because it polls its pipe every 100 ms per answer.

Pagefind folds accents (« equipement » finds « équipement ») and stems French words
(« studios » finds « studio ») because every record is indexed as French.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from markdown_it import MarkdownIt

from .config import Config
from .errors import BuildError, SourceError
from .markdown import make_markdown, typographize
from .model import Entry, Site

OUTPUT_DIR = "pagefind"

# The files of Pagefind's bundle the search page loads; the bundled UIs, the highlight
# script, the playground and the language-less WASM are left out.
_KEPT_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
_KEPT_PREFIXES = ("fragment/", "index/", "filter/", "pagefind.")
_READ_SIZE = 1 << 20


def search_files(site: Site, config: Config) -> dict[str, bytes]:
    """Pagefind's bundle for the site's articles: `{"pagefind/<file>": bytes}`.

    Raises BuildError when the Pagefind binary is missing or fails.
    """
    records = [search_record(entry) for entry in site.entries]
    files = run_pagefind(records, config.language)
    wasm = f"wasm.{config.language}.pagefind"
    return {
        f"{OUTPUT_DIR}/{name}": data
        for name, data in sorted(files.items())
        if name in _KEPT_FILES or name == wasm or name.startswith(_KEPT_PREFIXES)
    }


def search_record(entry: Entry, md: MarkdownIt | None = None) -> dict[str, object]:
    """The Pagefind record of one article: url, content, meta, filters and sort key."""
    article = entry.article
    parts = [entry.summary, entry.excerpt]
    if entry.full_text:
        parts.append(plain_text(article.body, md or make_markdown()))
    # Who published and who is cited come last, so that excerpts show the text first.
    parts += [article.source, ", ".join(article.authors), ", ".join(article.sources)]
    content = "\n".join(typographize(part) for part in parts if part)
    return {
        "url": entry.url,
        "content": content,
        "language": "fr",
        "meta": {
            "title": typographize(article.title),
            "media": typographize(article.source),
            "date": article.date.french(),
            "datetime": article.date.iso,
        },
        "filters": {
            "theme": [theme.slug for theme in entry.themes],
            "media": [article.source],
        },
        "sort": {"date": article.date.timestamp},
    }


def plain_text(markdown: str, md: MarkdownIt) -> str:
    """The words of a Markdown text, one block a line, without markup."""
    lines = []
    for token in md.parse(markdown):
        if token.type == "inline":
            words = "".join(
                child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline")
            )
            lines.append(words)
        elif token.type in ("code_block", "fence"):
            lines.append(token.content)
    return "\n".join(line for line in lines if line.strip())


def run_pagefind(records: list[dict[str, object]], language: str) -> dict[str, bytes]:
    """Index `records` with Pagefind's service; return its files `{relative path: bytes}`."""
    messages = [{"type": "NewIndex", "config": {"force_language": language}}]
    messages += [{"type": "AddRecord", "index_id": 0, **record} for record in records]
    messages.append({"type": "GetFiles", "index_id": 0})
    try:
        process = subprocess.Popen(
            [str(_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        raise _error(f"cannot start Pagefind ({error})") from None
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_write, args=(process.stdin, messages), daemon=True)
    writer.start()
    answers: dict[int, Mapping[str, object]] = {}
    try:
        for answer in _answers(process.stdout):
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error":
                raise _error(f"Pagefind could not index the site: {payload.get('message')}")
            answers[int(answer.get("message_id") or 0)] = payload
            if len(answers) == len(messages):
                break
    finally:
        # Pagefind exits as soon as its input ends: close it only once every answer is in.
        writer.join()
        process.stdin.close()
        process.wait()
    last = answers.get(len(messages) - 1)
    if last is None or last.get("type") != "GetFiles":
        raise _error("Pagefind stopped before returning the index")
    return {file["path"]: base64.b64decode(file["content"]) for file in last["files"]}


def _write(stream, messages: list[dict[str, object]]) -> None:
    """Send every message, each as base64 JSON followed by a comma."""
    try:
        for number, payload in enumerate(messages):
            text = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
            stream.write(base64.b64encode(text.encode("utf-8")) + b",")
        stream.flush()
    except BrokenPipeError:  # Pagefind died; the reader reports it
        pass


def _answers(stream) -> Iterator[dict]:
    """Decode Pagefind's answers as they arrive, until its output ends."""
    pending = b""
    while chunk := stream.read1(_READ_SIZE):
        pending += chunk
        *complete, pending = pending.split(b",")
        for message in complete:
            yield json.loads(base64.b64decode(message))


def _executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise _error("Pagefind is not installed: pip install 'pagefind[extended]'") from None
    try:
        return Path(get_executable())
    except FileNotFoundError as error:
        raise _error(
            f"Pagefind's binary is missing ({error}): reinstall pagefind[extended]"
        ) from None


def _error(message: str) -> BuildError:
    return BuildError([SourceError("search index", 0, message)])
