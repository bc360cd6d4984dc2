"""Watch the project's sources: `content/`, `templates/`, `static/` and `site.toml`.

The project folder itself is watched without recursion (an editor that saves `site.toml` by
writing a new file and renaming it over the old one is still seen), and so is every folder
under the three source folders; the output folder and everything else are never watched,
so writing the site does not trigger another build. Editors' swap, lock and backup files
are ignored.

Bursts of events are grouped by watchfiles, which looks at the changes it has gathered
every `step` milliseconds: a batch ends at the first look that finds no path (or kind of
change) that the previous look did not already have, that is `step` to 2 × `step` ms after
the last new one, or `debounce` ms after the first at most. Writing the same file again
adds nothing new, so the steps of one save (truncate, write, rename over, delete the
backup) and a quick run of saves fall in one batch as long as they follow each other
within `step` ms. A short step costs a wake-up per step while idle (under 1 % of a core
at 5 ms), and each batch reaches the builder that much sooner.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import watchfiles

SOURCE_DIRS = ("content", "templates", "static")
CONFIG_FILE = "site.toml"

# Names editors write beside the files they save: Vim (`.x.swp`, `x~`, `4913`), Emacs
# (`.#x`, `#x#`), Kate, gedit, JetBrains IDEs, and generic temporary files.
_EDITOR_FILE = re.compile(
    r"""^(?:
        \..*                      # hidden: .x.swp, .#x, .goutputstream-…, .DS_Store
      | \#.*\#                    # Emacs auto-save
      | .*~                       # backups
      | 4913                      # Vim's write test
      | .*\.(?:sw[a-p]|swx|tmp|bak|orig|kate-swp)
      | .*___jb_(?:tmp|old|bak)___
    )$""",
    re.VERBOSE,
)


def is_source(relative: Path) -> bool:
    """Whether a path relative to the project is a source that a change should rebuild."""
    parts = relative.parts
    if not parts:
        return False
    if len(parts) == 1 and parts[0] == CONFIG_FILE:
        return True
    return parts[0] in SOURCE_DIRS and not any(_EDITOR_FILE.match(part) for part in parts)


class SourceFilter(watchfiles.DefaultFilter):
    """watchfiles' default filter, narrowed to the sources and away from the output folder."""

    def __init__(self, root: Path, output: Path):
        super().__init__()
        self.root = root
        self.output = output

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        target = Path(path)
        if target == self.output or self.output in target.parents:
            return False
        if not target.is_relative_to(self.root):
            return False
        return is_source(target.relative_to(self.root)) and super().__call__(change, path)


def watched_folders(root: Path, output: Path) -> list[Path]:
    """The project folder and every source folder under it (each watched without recursion)."""
    folders = [root]
    for name in SOURCE_DIRS:
        top = root / name
        if not top.is_dir():
            continue
        for folder in (top, *sorted(p for p in top.rglob("*") if p.is_dir())):
            relative = folder.relative_to(root)
            inside_output = folder == output or output in folder.parents
            if is_source(relative) and not inside_output:
                folders.append(folder)
    return folders


def lasting(batch: set[tuple[watchfiles.Change, str]]) -> set[Path]:
    """The paths of a batch, less the files that were created and deleted within it
    (the temporary files of `sed -i` and of some editors)."""
    added = {path for change, path in batch if change == watchfiles.Change.added}
    deleted = {path for change, path in batch if change == watchfiles.Change.deleted}
    transient = {path for path in added & deleted if not Path(path).exists()}
    return {Path(path) for _, path in batch if path not in transient}


def snapshot(folders: list[Path], accept: SourceFilter) -> dict[Path, tuple[int, int]]:
    """`{source file: (mtime in ns, size)}` for the files directly inside `folders`."""
    files = {}
    for folder in folders:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.is_file() and accept(watchfiles.Change.modified, entry.path):
                        stat = entry.stat()
                        files[Path(entry.path)] = (stat.st_mtime_ns, stat.st_size)
    return files


def watch_sources(
    root: Path,
    output: Path,
    stop_event: threading.Event,
    *,
    step: int = 5,
    debounce: int = 1600,
    before: dict[Path, tuple[int, int]] | None = None,
) -> Iterator[set[Path]]:
    """Yield each batch of changed source paths until `stop_event` is set.

    When a source folder is created or deleted, the watch starts again over the new set of
    folders, and the files of a new folder are reported as changed. A watch takes a moment
    to start: the files are compared with a snapshot taken before, so a save made in that
    moment (just after the call, or while a batch that restarts the watch is handled) is
    reported too. A caller that builds before watching passes the `snapshot` it took
    before building as `before`, so a save made during that build is reported as well.
    """
    root, output = root.resolve(), output.resolve()
    accept = SourceFilter(root, output)
    if before is None:
        before = snapshot(watched_folders(root, output), accept)
    while not stop_event.is_set():
        folders = watched_folders(root, output)
        watched = set(folders)
        batches = watchfiles.watch(
            *folders,
            watch_filter=accept,
            recursive=False,
            step=step,
            debounce=debounce,
            stop_event=stop_event,
            raise_interrupt=False,
            rust_timeout=200,
            yield_on_timeout=True,
        )
        started = False
        try:
            for batch in batches:
                changed = lasting(batch)
                if not started:  # the watch is running now: what changed while it started?
                    started = True
                    now = snapshot(folders, accept)
                    changed |= {
                        p for p in before.keys() | now.keys() if before.get(p) != now.get(p)
                    }
                if not changed:
                    continue
                added = {p for p in changed if p.is_dir() and p not in watched}
                for folder in added:
                    changed.update(p for p in folder.rglob("*") if p.is_file())
                restart = added or any(p in watched and not p.is_dir() for p in changed)
                if restart:  # a folder came or went: watch the new set of folders
                    before = snapshot(watched_folders(root, output), accept)
                yield changed
                if restart:
                    break
        except FileNotFoundError:  # a folder vanished before its watch began
            continue
