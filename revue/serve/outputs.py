"""Keep the output folder in step with the served site, writing only what changed.

Each file is written to a temporary name beside it, then renamed over the old one, so a
reader of the folder never sees half a file. Files that vanished from the site are
deleted, and so are the folders they leave empty.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


def sync_output(output: Path, files: Mapping[str, bytes], names: Iterable[str]) -> None:
    """Make each of `names` under `output` hold its bytes in `files`, or delete it when
    `files` no longer has it."""
    names = sorted(names)
    kept = [name for name in names if name in files]
    update_output(output, files, kept, [name for name in names if name not in files])


def update_output(
    output: Path, files: Mapping[str, bytes], written: Iterable[str], removed: Iterable[str]
) -> None:
    """Write the `written` paths of `files` under `output` and delete the `removed` ones."""
    output = output.resolve()
    for name in written:
        target = _inside(output, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(files[name])
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
    for name in removed:
        target = _inside(output, name)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        _prune(target.parent, output)


def _inside(output: Path, name: str) -> Path:
    """`output/name`, refusing a name that would lead outside the output folder."""
    target = (output / name).resolve()
    if not target.is_relative_to(output) or target == output:
        raise ValueError(f"refusing to write outside the output folder: {name}")
    return target


def _prune(folder: Path, output: Path) -> None:
    """Remove `folder` and its parents up to `output` while they are empty."""
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            return
        folder = folder.parent
