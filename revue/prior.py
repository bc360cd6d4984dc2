"""The last build's plan, kept on disk for the next build to reuse, as the preview keeps it
in memory: the build command then plans like the preview (revue/pipeline.py, `plan_site`
with a prior), reusing the model objects, page digests, story state and search records
of everything that did not change.

The file `.revue-cache/prior.pickle` is a header (format, the code and config's hash),
then the plan. The plan's parsed articles are not written again: each is a reference to
its entry in the parsed-articles table (revue/cache.py) by its key, so that a loaded plan
holds the very objects the build reads from that table, and reuse by identity works as in
the preview. A file made under another code or config is never unpickled; a plan that
names an entry the table no longer has is dropped. Reuse changes nothing but the time
taken: a missing or dropped plan means a build that models everything again.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .cache import CACHE_DIR, dump_pickle, load_pickle
from .keys import FORMAT

if TYPE_CHECKING:
    from .pipeline import Plan, Source
    from .search import RecordMemo

FILE = "prior.pickle"
_SOURCE, _ARTICLE, _FACTS = 0, 1, 2  # what a reference names in its table entry


def save_prior(root: Path, key: str, plan: Plan, records: RecordMemo) -> None:
    """Store `plan` (the one `plan_site` made) and the search records of its entries
    under `key` (the code and config's hash). `records` is brought up to date with the
    plan's entries first: the build forks this as soon as it has planned, while it indexes
    the site itself."""
    from .search import update_records

    update_records(plan.site, records)
    refs: dict[int, tuple[int, str]] = {}
    for path, key_of_source in plan.source_keys[1].items():
        source = plan.sources.get(path)
        if source is not None:
            refs[id(source)] = (_SOURCE, key_of_source)
            refs[id(source.article)] = (_ARTICLE, key_of_source)
            if source.facts is not None:
                refs[id(source.facts)] = (_FACTS, key_of_source)
    kept = replace(plan, sources={}, static={}, manifest={}, keys={}, memo={})
    state = (kept, list(plan.memo.values()), list(records.by_entry.values()))
    header = {"format": FORMAT, "key": key}
    pickler = functools.partial(_ByReference, refs=refs)
    dump_pickle(root / CACHE_DIR / FILE, header, state, pickler=pickler)


def load_prior(root: Path, key: str, table: Mapping[str, Source]) -> tuple[Plan | None, RecordMemo]:
    """The plan stored under `key` with its parsed articles taken from `table` (by their
    keys), and its search records; (None, empty records) when there is none to reuse."""
    from .search import RecordMemo

    records = RecordMemo()
    found = load_pickle(
        root / CACHE_DIR / FILE,
        lambda h: isinstance(h, dict) and h.get("format") == FORMAT and h.get("key") == key,
        unpickler=functools.partial(_Resolving, table=table),
    )
    if not isinstance(found, tuple):
        return None, records
    plan, memo, entries = found[1]
    sources = {p: s for p, k in plan.source_keys[1].items() if (s := table.get(k)) is not None}
    # Memos are keyed by the objects' ids, which are new ones in this process.
    records.by_entry = {id(entry): (entry, record, h) for entry, record, h in entries}
    digests = {id(value): (value, digest) for value, digest in memo}
    return replace(plan, sources=sources, memo=digests), records


def _part(kind: int, key: str) -> object:
    """What a reference in a stored plan stands for; only a loading Unpickler resolves it."""
    raise RuntimeError("a stored plan is read with load_prior")


# Both classes are defined once, here: a class made per call around its table would be
# cyclic garbage (a class refers to itself), and keep the whole table alive until the
# collector's next full pass, which a build never reaches.


class _ByReference(pickle.Pickler):
    """A Pickler writing the objects of `refs` (by id) as references to the table."""

    def __init__(self, stream: BinaryIO, *, refs: Mapping[int, tuple[int, str]], **options):
        super().__init__(stream, **options)
        self.refs = refs

    def reducer_override(self, obj: object) -> object:
        # Called once per object of a class of its own (not for str, tuple, dict...).
        found = self.refs.get(id(obj))
        return NotImplemented if found is None else (_part, found)


class _Resolving(pickle.Unpickler):
    """An Unpickler resolving the references to `table`; KeyError for a missing entry."""

    def __init__(self, stream: BinaryIO, *, table: Mapping[str, Source]):
        super().__init__(stream)
        self.resolve = functools.partial(_resolve, table)  # not a method: no cycle

    def find_class(self, module: str, name: str) -> object:
        if module == __name__ and name == _part.__name__:
            return self.resolve
        return super().find_class(module, name)


def _resolve(table: Mapping[str, Source], kind: int, key: str) -> object:
    source = table[key]
    return source if kind == _SOURCE else source.article if kind == _ARTICLE else source.facts
