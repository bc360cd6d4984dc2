"""The search index: the site's articles → Pagefind bundles, as `{path: bytes}`.

One record per article page, holding only what the site publishes about it: summary and
excerpt (the whole text only when the article's `full_text` is on), then outlet, authors
and cited sources; the title is in the record's metadata, which Pagefind searches too.
Records carry the filters `theme` (theme slugs) and `media` (outlet name), the sort key
`date` and the metadata a result shows (title, outlet, French date, ISO date). The
browser side is `static/search.js`, which loads `pagefind/pagefind.js` from the site
itself: no server, no third-party script.

The records are split into shards of consecutive dates, each its own Pagefind bundle,
which the browser merges (Pagefind's multisite search). Cut points are picked by a hash
of the URL once a shard holds half its target size, so that an edit, or a new article,
changes one shard and leaves the others' cut points alone. The target size doubles as
the site grows, keeping the number of shards the browser loads bounded. The oldest
shard is the bundle at `pagefind/` with Pagefind's script and WebAssembly; every other
shard is in `pagefind/<name>/` (its name a hash of its oldest record's URL, so that an
edit rewrites only the files whose bytes change), and `pagefind/shards.json`
lists the bundles, newest dates first, so that the browser can sort by date across
shards by taking them in order.

A shard's files are a pure function of its records, the language and Pagefind's version,
and the cache the caller keeps between builds maps a hash of those to the files: a
build indexes only the shards whose records changed, in parallel.

Pagefind folds accents (« equipement » finds « équipement ») and stems French words
(« studios » finds « studio ») because every record is indexed as French.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from markdown_it import MarkdownIt

from .config import Config
from .markdown import make_markdown
from .model import Entry, Site
from .pagefind import pagefind_version, run_pagefind, sorted_filters

OUTPUT_DIR = "pagefind"
SHARD_LIST = "shards.json"
# Records per shard, on average, while the site has at most SHARD_SIZE * MAX_SHARDS
# articles; the size doubles for each doubling beyond, so that the cut points of one size
# are among those of the half size. At 10,000 articles: 26 shards of 290 to 580 records,
# each indexed again in 0.3 to 0.7 s, and a search that loads about as fast as with one
# bundle on a slow phone. Smaller shards make an edit cheaper but the search slower where
# the site is small: at 1,000 articles, 11 shards of ~96 records instead of 4 made a slow
# phone's first search 0.2 s slower (benchmarks/search_phone.py; README, « Shards »).
SHARD_SIZE = 384
MAX_SHARDS = 30
# Pagefind's files the search page loads, once for all shards: its script, its worker
# and the WebAssembly of the site's language. The bundled UIs, the highlight script, the
# playground and the language-less WASM are left out.
_SHARED_FILES = ("pagefind.js", "pagefind-worker.js")
# The files of one shard.
_SHARD_FILES = ("pagefind-entry.json",)
_SHARD_PREFIXES = ("fragment/", "index/", "filter/")
# Bumped when what a cached shard holds changes.
_CACHE_FORMAT = 2

Records = list[dict[str, object]]
Cache = MutableMapping[str, dict[str, bytes]]


def search_files(
    site: Site,
    config: Config,
    cache: Cache | None = None,
    *,
    shard_size: int = SHARD_SIZE,
    jobs: int | None = None,
    memo: RecordMemo | None = None,
) -> dict[str, bytes]:
    """Pagefind's bundles for the site's articles: `{"pagefind/<file>": bytes}`.

    `cache` maps shard keys to shard files from one build to the next (`FolderCache` on
    disk, or a dict): shards found there are not indexed again; the entries this build
    did not use are removed. `shard_size` is the mean number of records per shard on a
    small site; `jobs` the number of Pagefind processes run at once (one per core when
    None); `memo` keeps the records of a long-lived process's entries from one call to the
    next. Raises BuildError when the Pagefind binary is missing or fails.
    """
    cache = {} if cache is None else cache
    made = _hashed_records(site, memo)
    shards = split_records([record for record, _ in made], shard_size)
    hashes = {id(record): digest for record, digest in made}
    version = pagefind_version()
    keys = [
        _shard_key([hashes[id(r)] for r in records], config.language, version, number == 0)
        for number, records in enumerate(shards)
    ]
    found = {key: files for key in keys if (files := cache.get(key)) is not None}
    missing = [
        (records, config.language, key == keys[0])
        for key, records in zip(keys, shards, strict=True)
        if key not in found
    ]
    if missing:
        with ThreadPoolExecutor(min(len(missing), jobs or os.cpu_count() or 1)) as pool:
            made = list(pool.map(_index, *zip(*missing, strict=True)))
        for key, files in zip([key for key in keys if key not in found], made, strict=True):
            found[key] = cache[key] = files
    for key in [key for key in cache if key not in found]:
        del cache[key]
    return _bundle_files(keys, [_folder(records) for records in shards], found)


def split_records(records: Records, shard_size: int = SHARD_SIZE) -> list[Records]:
    """The records in shards of consecutive dates, oldest shard first, each shard newest
    record first. With `size` the shard size (`shard_size`, doubled until the site has at
    most MAX_SHARDS shards of that size), a shard ends after three quarters of `size`
    records at a record whose URL hashes to a multiple of a quarter of `size`, or after
    one and a half `size` records."""
    size = max(2, shard_size)
    while len(records) > size * MAX_SHARDS:
        size *= 2
    least, every, most = max(1, size * 3 // 4), max(1, size // 4), size * 3 // 2
    shards: list[Records] = []
    current: Records = []
    for record in sorted(records, key=lambda record: (record["sort"]["date"], record["url"])):
        current.append(record)
        if len(current) >= most or (len(current) >= least and _cuts(record, every)):
            shards.append(current[::-1])
            current = []
    if current or not shards:
        shards.append(current[::-1])
    return shards


def _cuts(record: dict[str, object], every: int) -> bool:
    """Whether a shard may end at this record: one URL in `every`, whatever the others."""
    digest = hashlib.sha256(str(record["url"]).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % every == 0


def _shard_key(hashes: list[str], language: str, version: str, primary: bool) -> str:
    """A hash of what a shard's files are made of (its records by their hashes)."""
    made_of = [_CACHE_FORMAT, version, language, primary, hashes]
    return hashlib.sha256(json.dumps(made_of).encode("utf-8")).hexdigest()


def _record_hash(record: dict[str, object]) -> str:
    """A hash of everything a record holds (what its shard's files are made of)."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _index(records: Records, language: str, primary: bool) -> dict[str, bytes]:
    """One shard's files: those of its bundle, and Pagefind's shared files for the first."""
    files = sorted_filters(run_pagefind(records, language))
    wasm = f"wasm.{language}.pagefind"
    shared = (*_SHARED_FILES, wasm) if primary else ()
    return {
        name: data
        for name, data in sorted(files.items())
        if name in shared
        or name in _SHARD_FILES
        or name.startswith(_SHARD_PREFIXES)
        or name.endswith(".pf_meta")
    }


def _folder(records: Records) -> str:
    """A shard's folder: a hash of its oldest record's URL, which stays the shard's while
    its records change (a shard starts after the cut point ending the one before). Its
    files are named by Pagefind after their bytes, but for `pagefind-entry.json`, which
    Pagefind fetches with a cache-busting query: an edit rewrites only the files it
    changes, and a browser never mixes two versions."""
    url = str(records[-1]["url"]) if records else ""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12] + "/"


def _bundle_files(
    keys: list[str], named: list[str], found: dict[str, dict[str, bytes]]
) -> dict[str, bytes]:
    """The site's files: the oldest shard at `pagefind/`, the others in their folders
    (`named`, see _folder), and the list of bundles, newest first."""
    folders = ["", *named[1:]]
    out = {
        f"{OUTPUT_DIR}/{folder}{name}": data
        for folder, key in zip(folders, keys, strict=True)
        for name, data in found[key].items()
    }
    out[f"{OUTPUT_DIR}/{SHARD_LIST}"] = json.dumps(folders[::-1]).encode("utf-8")
    return dict(sorted(out.items()))


class RecordMemo:
    """The records of a long-lived process's entries and their hashes, kept from one index
    to the next: a record is a pure function of its entry (the same object). Holds the
    entries of the last call only."""

    def __init__(self) -> None:
        self.by_entry: dict[int, tuple[Entry, dict[str, object], str]] = {}


def search_records(site: Site) -> list[dict[str, object]]:
    """The records of every article, newest first."""
    return [record for record, _ in _hashed_records(site)]


def update_records(site: Site, memo: RecordMemo) -> None:
    """Make `memo` hold the records of the site's entries (and of them only), as indexing
    the site with it would."""
    _hashed_records(site, memo)


def _hashed_records(site: Site, memo: RecordMemo | None = None) -> list[tuple[dict, str]]:
    """Each article's record and its hash, newest first (from `memo` when it has them)."""
    known = memo.by_entry if memo is not None else {}
    kept: dict[int, tuple[Entry, dict[str, object], str]] = {}
    md = None
    for entry in site.entries:
        found = known.get(id(entry))
        if found is None or found[0] is not entry:
            md = md or make_markdown()
            record = search_record(entry, md, entry.article.date.french())
            found = (entry, record, _record_hash(record))
        kept[id(entry)] = found
    if memo is not None:
        memo.by_entry = kept
    return [(record, digest) for _, record, digest in kept.values()]


def search_record(entry: Entry, md: MarkdownIt, french_date: str) -> dict[str, object]:
    """The Pagefind record of one article: url, content, meta, filters and sort key.

    Text is kept as written: French typography costs more here, for ten thousand
    records, than in the browser for the ten results shown (static/search.js)."""
    article = entry.article
    parts = [entry.summary, entry.excerpt]
    if entry.full_text:
        parts.append(plain_text(article.body, md))
    # The quotations the article page shows, with their speakers.
    parts += [f"{quote.text} {quote.speaker}".strip() for quote in entry.quotes]
    # Who published and who is cited come last, so that excerpts show the text first.
    parts += [article.source, ", ".join(article.authors), ", ".join(article.sources)]
    return {
        "url": entry.url,
        "content": "\n".join(part for part in parts if part),
        "language": "fr",
        "meta": {
            "title": article.title,
            "media": article.source,
            "date": french_date,
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


# --------------------------------------------------------------------------- cache on disk


class FolderCache(MutableMapping[str, dict[str, bytes]]):
    """A mapping kept in a folder, one pickle file per key (keys must be file names).

    Values are written to a temporary file renamed into place, so that a build stopped
    midway leaves whole files only; a file that cannot be read counts as missing."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def __getitem__(self, key: str) -> dict[str, bytes]:
        try:
            return pickle.loads((self.folder / key).read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            raise KeyError(key) from None

    def __setitem__(self, key: str, value: dict[str, bytes]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".", delete=False) as file:
            file.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(file.name, self.folder / key)

    def __delitem__(self, key: str) -> None:
        try:
            (self.folder / key).unlink()
        except FileNotFoundError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        if self.folder.is_dir():
            yield from sorted(p.name for p in self.folder.iterdir() if not p.name.startswith("."))

    def __len__(self) -> int:
        return sum(1 for _ in self)
