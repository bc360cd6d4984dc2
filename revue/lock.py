"""One build at a time per output folder: an exclusive `fcntl` lock on a file beside it.

The lock file is `.NAME.lock` next to the output folder `NAME` (never inside it, so the
site's files stay exactly the built ones). The kernel releases the lock when its holder
exits, even after SIGKILL, so a killed build never blocks the next one. A second build
waits up to `wait` seconds, then fails with BuildLocked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class BuildLocked(Exception):
    """Another process holds the output folder's lock."""


def lock_path(output: Path) -> Path:
    """The lock file of an output folder: `.NAME.lock` beside it."""
    output = output.resolve()
    return output.parent / f".{output.name}.lock"


@contextlib.contextmanager
def build_lock(
    output: Path,
    wait: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
    poll: float = 0.1,
) -> Iterator[Path]:
    """Hold the output folder's lock for the `with` block; yield the lock file's path.

    When another process holds it, call `on_wait` once with a message, then retry every
    `poll` seconds for at most `wait` seconds before raising BuildLocked.
    """
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(handle)
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"{output.name}/ is being written by another build{holder}; "
                        "wait for it to finish, then build again"
                    ) from None
                if on_wait and not told:
                    on_wait(f"Waiting for another build{holder} to finish writing {output.name}/…")
                    told = True
                time.sleep(poll)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(handle)  # closing the descriptor releases the lock


def _holder(handle: int) -> str:
    """' (process N)' from the lock file, or '' when it does not say."""
    text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    return f" (process {text})" if text.isdigit() else ""
