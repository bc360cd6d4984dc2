"""The build cache kept on disk between builds in `.revue-cache/` (keys: revue/keys.py).

The store holds pickles written atomically: `index` (file stats → hashes, output records,
the last build's signature), the table `sources` (parsed articles by key, under the code and
config's hash), `prior` (the last plan: revue/prior.py) and `search/` (revue/search.py). A
table file is a small header, then its entries: a table made under another key is never
unpickled. A damaged or foreign cache is ignored and rebuilt.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .keys import FORMAT, sha

CACHE_DIR = ".revue-cache"


@dataclass
class Store:
    """What one build leaves for the next (besides the parsed articles and the last plan).
    `stats`: article path → (size, mtime_ns, inode, sha of the bytes); `outputs`: output
    path → (key, sha of the bytes, (size, mtime_ns, inode) of the written file);
    `signature`: a hash of every input of the last successful build; `templates`: the last
    templates' digests by their `templates_id` (read_inputs)."""

    stats: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    outputs: dict[str, tuple[str, str, tuple[int, int, int]]] = field(default_factory=dict)
    output_dir: str = ""
    signature: str = ""
    templates: dict[str, dict[str, str]] = field(default_factory=dict)


def load_pickle(
    path: Path,
    wanted: Callable[[object], bool] | None = None,
    unpickler: Callable[[BinaryIO], pickle.Unpickler] = pickle.Unpickler,
) -> object:
    """The pickled object in `path`, or None. With `wanted`, the file holds a header then
    the object: the object is read only when `wanted(header)` (with `unpickler`), and
    (header, object) is returned. The cyclic garbage collector is paused while loading: a
    table makes millions of objects, none of them garbage, and the collections they would
    trigger cost more than the load itself."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as stream:
            first = pickle.load(stream)
            if wanted is None:
                return first
            return (first, unpickler(stream).load()) if wanted(first) else None
    except Exception:  # missing, truncated, or from another version: start afresh
        return None
    finally:
        if collecting:
            gc.enable()


def load_index(root: Path) -> Store:
    """The stored index (stats, outputs, signature), without the parsed articles."""
    data = load_pickle(root / CACHE_DIR / "index.pickle")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Store()
    return Store(
        data["stats"], data["outputs"], data["output_dir"], data["signature"], data["templates"]
    )


@dataclass
class Table:
    """A big table of the cache (the parsed articles) as loaded: `entries` from the main
    file plus its delta file, `base` the main file's id, `delta` the keys in the delta."""

    key: str = ""
    entries: dict[str, object] = field(default_factory=dict)
    base: str = ""
    delta: frozenset[str] = frozenset()


def load_table(root: Path, name: str, key: str) -> Table:
    """The table `name` stored under `key` (an empty one when missing, damaged or made
    under another key: then only the file's header is read)."""
    folder = root / CACHE_DIR
    main = load_pickle(
        folder / f"{name}.pickle",
        lambda h: isinstance(h, dict) and h.get("format") == FORMAT and h.get("key") == key,
    )
    if not isinstance(main, tuple) or not isinstance(main[1], dict):
        return Table(key)
    header, entries = main
    base = header["id"]
    delta = load_pickle(
        folder / f"{name}.delta.pickle",
        lambda h: isinstance(h, dict) and h.get("format") == FORMAT and h.get("base") == base,
    )
    if isinstance(delta, tuple) and isinstance(delta[1], dict):
        entries.update(delta[1])
        return Table(key, entries, header["id"], frozenset(delta[1]))
    return Table(key, entries, header["id"])


def save_table(root: Path, name: str, table: Table, live: Mapping[str, object]) -> None:
    """Store `live` as the table `name`: when few entries are new since the main file was
    written, only them (a small delta file); else the whole table, pruned to `live`. Each
    file is a small header (format, key, id), then the entries."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    new = [k for k in live if k not in table.entries]
    if not new:
        return
    delta = table.delta.union(new)
    if table.base and len(delta) <= max(200, len(live) // 10):
        record = {k: live[k] for k in delta if k in live}
        header = {"format": FORMAT, "base": table.base}
        dump_pickle(folder / f"{name}.delta.pickle", header, record)
        return
    base = sha(os.urandom(16))
    header = {"format": FORMAT, "key": table.key, "id": base}
    dump_pickle(folder / f"{name}.pickle", header, dict(live))
    (folder / f"{name}.delta.pickle").unlink(missing_ok=True)


def save_store(root: Path, store: Store) -> None:
    """Write the index atomically (complete or absent)."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    index = {
        "format": FORMAT,
        "stats": store.stats,
        "outputs": store.outputs,
        "output_dir": store.output_dir,
        "signature": store.signature,
        "templates": store.templates,
    }
    dump_pickle(folder / "index.pickle", index)


def dump_pickle(
    path: Path, *objects: object, pickler: Callable[..., pickle.Pickler] = pickle.Pickler
) -> None:
    """Pickle the objects one after the other into `path`, atomically (complete or absent)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for data in objects:
                pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
