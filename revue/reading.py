"""The reading of the article files: which changed since the last build (by stat, then by
hash), and each one's parsed Source, from the parsed-articles table by key (shared by the
build command and the preview) or parsed and analysed on every core."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cache import Table, load_table, save_table
from .config import Config, article_names
from .errors import SourceError
from .keys import reading_digest, sha, source_key
from .parallel import run_all

if TYPE_CHECKING:
    from .pipeline import Source

UNREADABLE = "unreadable"  # the digest of an article file that could not be read
PARALLEL_FILES = 200  # parse on every core from this many files to parse


def stat_key(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a file changed without reading it: (size, mtime in ns, inode)."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass(frozen=True)
class StoredSources:
    """The parsed-articles table kept in `.revue-cache/` under one code and config
    (`reading`: keys.reading_digest; the site's URL is not in it), which the build command
    and the preview both read and write."""

    table: Table
    code: str
    reading: str

    @classmethod
    def load(cls, config: Config, code: str) -> StoredSources:
        """The table for this code and config (empty when there is none: only the file's
        header is read when it was made under another code or config)."""
        reading = reading_digest(config)
        return cls(load_table(config.root, "sources", sha(code, reading)), code, reading)

    def find(self, shown: str, digest: str) -> Source | None:
        """The article file at `shown` whose bytes hash to `digest`, as parsed, or None."""
        return self.table.entries.get(source_key(self.code, self.reading, shown, digest))

    def keep(self, config: Config, articles: Mapping[str, Source]) -> None:
        """Store the articles in the table when some are not in it yet (those parsed here),
        for the next build or preview."""
        live = {
            source_key(self.code, self.reading, shown, parsed.digest): parsed
            for shown, parsed in articles.items()
            if parsed.digest
        }
        save_table(config.root, "sources", self.table, live)


def source_digests(
    config: Config, known: Mapping[str, tuple[int, int, int, str]]
) -> tuple[dict[str, str], dict[str, tuple[int, int, int]]]:
    """Each article file's hash (from `known`, the last build's (size, mtime, inode, hash)
    by path, when its stat is unchanged), and its stat."""
    digests: dict[str, str] = {}
    stats: dict[str, tuple[int, int, int]] = {}
    root = config.root
    for shown in article_names(config):
        path = f"{root}/{shown}"
        try:
            stat = stat_key(os.stat(path))
        except FileNotFoundError:
            continue
        stats[shown] = stat
        found = known.get(shown)
        if found is not None and tuple(found[:3]) == stat:
            digests[shown] = found[3]
        else:
            try:
                with open(path, "rb") as stream:
                    digests[shown] = sha(stream.read())
            except OSError:  # unreadable for now: reported by read_file, never kept
                digests[shown] = UNREADABLE
                del stats[shown]
    return digests, stats


def read_sources(
    config: Config,
    digests: Mapping[str, str],
    stored: StoredSources,
    jobs: int,
    progress,
) -> dict[str, Source]:
    """Every article's Source by path (in path order): from the table by key, else parsed
    and analysed on every core."""
    sources: dict[str, Source] = {}
    missing: list[str] = []
    for shown, digest in digests.items():
        found = stored.find(shown, digest)
        sources[shown] = found  # type: ignore[assignment]  # keeps the path order
        if found is None:
            missing.append(shown)
    counter = progress.counter("reading articles", len(missing))
    forks = jobs if len(missing) >= PARALLEL_FILES else 1
    for shown, source in zip(
        missing, run_all(read_file, config, missing, forks, counter), strict=True
    ):
        sources[shown] = source
    return sources


def read_file(config: Config, shown: str) -> Source:
    """One article file parsed and analysed (an error naming it when it cannot be read)."""
    from .pipeline import Source, read_source

    try:
        data = (config.root / shown).read_bytes()
    except OSError as error:
        problem = SourceError(shown, 0, f"cannot be read ({error.strerror}): check it")
        return Source(UNREADABLE, None, (problem,))
    return read_source(shown, data, config)
