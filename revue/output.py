"""Write a built site to disk: everything goes to a staging folder beside the output folder,
which replaces it only once complete, so a failed or interrupted (even killed) build never
leaves a partial site.

`stage_site` fills the staging folder by hard-linking the unchanged files from the current
output (no bytes copied) and writing the changed ones; `swap_in` exchanges both folders in
one atomic step with Linux `renameat2(RENAME_EXCHANGE)` (two renames elsewhere), then
removes the old tree, or (the build command) leaves it retired beside the output for the
next build to remove on its other core. Staging folders a killed build left behind are
removed by the next.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def read_static(folder: Path) -> dict[str, bytes]:
    """Every file under `static/` as `{relative posix path: bytes}` (hidden files skipped,
    and links that lead out of `static/`, so that no file elsewhere can be published)."""
    if not folder.is_dir():
        return {}
    inside = folder.resolve()
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.resolve().is_relative_to(inside)
    }


def write_site(files: Mapping[str, bytes], output: Path) -> None:
    """Write `{relative path: bytes}` into a fresh folder, then swap it in place of `output`."""
    swap_in(stage_site(output, files, files), output)


def remove_leftovers(output: Path, remove: Callable[[Path], None] | None = None) -> None:
    """Delete the staging folders an interrupted build left beside `output`, and the old
    site a build retired there (`retire_later`), with `remove` (by default here, at once);
    the folders are listed now, so a staging folder made after is never touched."""
    parent = output.parent
    if not parent.is_dir():
        return
    for entry in sorted(os.scandir(parent), key=lambda entry: entry.name):
        if entry.name.startswith((f".{output.name}.new-", f".{output.name}.old-")):
            (remove or _remove)(Path(entry.path))


def retire_later(old: Path) -> None:
    """Leave the folder holding the old site (after `swap_in`) beside the output, named as
    retired, for the next build to remove (`remove_leftovers`): a tree of the site's size,
    whose removal costs about as much as staging it (tens of seconds at 100,000 articles
    on a disk), is then removed while that build reads and plans."""
    old.rename(old.with_name(old.name.replace(".new-", ".old-", 1)))


def new_staging(output: Path) -> Path:
    """A new, empty staging folder beside `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))


def write_staged(staging: Path, name: str, data: bytes, made: set[str]) -> os.stat_result:
    """Write one file into the staging folder (`made`: folders already created there)."""
    _make_folder(staging, name, made)
    target = f"{staging}/{name}"
    with open(target, "wb") as stream:
        stream.write(data)
    return os.stat(target)


def _make_folder(staging: Path, name: str, made: set[str]) -> None:
    """Create the folder of file `name` in the staging folder, once (`made`: those created)."""
    folder = name.rpartition("/")[0]
    if folder not in made:
        os.makedirs(f"{staging}/{folder}", exist_ok=True)
        made.add(folder)


def stage_site(
    output: Path,
    names: Iterable[str],
    changed: Mapping[str, bytes],
    on_written: Callable[[str, os.stat_result], None] | None = None,
    staging: Path | None = None,
    done: Collection[str] = (),
) -> Path:
    """A staging folder beside `output` holding every file of `names`: the `changed` ones
    written, those in `done` already there (in the given `staging`), the others hard-linked
    from `output` (copied where links fail). `on_written(name, stat)` is told the stat of
    each file written."""
    output = output.resolve()
    staging = staging or new_staging(output)
    made: set[str] = {""}
    try:
        for name in sorted(names):
            if name in done:
                continue
            if name in changed:
                stat = write_staged(staging, name, changed[name], made)
                if on_written:
                    on_written(name, stat)
                continue
            _make_folder(staging, name, made)
            _link(f"{output}/{name}", f"{staging}/{name}")
        staging.chmod(0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


def swap_in(staging: Path, output: Path, retire: Callable[[Path], None] | None = None) -> None:
    """Put `staging` in place of `output`, atomically where the system allows, then remove
    the old site's folder with `retire` (by default here, at once)."""
    output = output.resolve()
    retire = retire or _remove
    if output.exists() and _exchange(staging, output):
        retire(staging)  # now holds the old site
        return
    _swap(staging, output, retire)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths with renameat2(RENAME_EXCHANGE); False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return result == 0


def _swap(staging: Path, output: Path, retire: Callable[[Path], None]) -> None:
    """Replace `output` by `staging` with renames; the old site is removed afterwards."""
    if not output.exists():
        os.replace(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(retired)
    os.replace(output, retired)
    os.replace(staging, output)
    retire(retired)
