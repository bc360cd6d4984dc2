"""The watcher: which files count as sources, and how changes are batched."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import watchfiles
from browser import sample_project

from revue.serve.watch import is_source, lasting, watch_sources


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("content/articles/a.md", True),
        ("templates/base.html", True),
        ("static/style.css", True),
        ("site.toml", True),
        ("content/articles/.#a.md", False),
        ("content/articles/#a.md#", False),
        ("content/articles/a.md~", False),
        ("content/articles/.a.md.swp", False),
        ("templates/.base.html.swx", False),
        ("templates/4913", False),
        ("static/style.css.tmp", False),
        ("static/style.css___jb_tmp___", False),
        ("static/.goutputstream-XYZ123", False),
        ("_site/index.html", False),
        ("site.toml~", False),
        ("README.md", False),
        (".venv/lib/x.py", False),
    ],
)
def test_which_files_are_sources(path: str, source: bool) -> None:
    assert is_source(Path(path)) is source


def test_files_created_and_deleted_within_a_batch_are_dropped(tmp_path: Path) -> None:
    kept = tmp_path / "a.md"
    kept.write_text("x")
    batch = {
        (watchfiles.Change.added, str(tmp_path / "sedXY12ab")),
        (watchfiles.Change.deleted, str(tmp_path / "sedXY12ab")),
        (watchfiles.Change.modified, str(kept)),
    }
    assert lasting(batch) == {kept}


def _collect(
    root: Path, stop: threading.Event, into: list[set[str]], step: int = 200
) -> threading.Thread:
    """Watch `root` in a thread, appending each batch of changes to `into`.

    Changes end a burst after `step` ms of quiet here (5 ms when serving), so that a slow
    test machine does not split the bursts of these tests.
    """

    def run() -> None:
        for batch in watch_sources(root, root / "_site", stop, step=step):
            into.append({p.relative_to(root).as_posix() for p in batch})

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.3)  # let the watch begin
    return thread


def test_a_burst_of_saves_is_one_batch_and_editor_files_are_ignored(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    (root / "_site").mkdir()
    batches: list[set[str]] = []
    stop = threading.Event()
    thread = _collect(root, stop, batches, step=600)  # a loaded machine may stall 200 ms
    try:
        article = root / "content/articles/2024-03-01-alpha.md"
        for name in (".2024-03-01-alpha.md.swp", "4913", "2024-03-01-alpha.md~", ".#x.md"):
            (article.parent / name).write_text("x")
        (root / "_site" / "index.html").write_text("output")
        for _ in range(5):
            article.write_text(article.read_text() + "\nEncore.\n")
            time.sleep(0.01)
        (root / "site.toml.new").write_text((root / "site.toml").read_text())
        os.replace(root / "site.toml.new", root / "site.toml")  # as some editors save
        deadline = time.time() + 5
        while not batches and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(1.2)  # a second batch would have come by now
    finally:
        stop.set()
        thread.join(timeout=5)
    assert batches == [{"content/articles/2024-03-01-alpha.md", "site.toml"}]


def test_a_new_folder_of_articles_is_watched(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    batches: list[set[str]] = []
    stop = threading.Event()
    thread = _collect(root, stop, batches)
    try:
        folder = root / "content/articles/2024"
        folder.mkdir()
        (folder / "a.md").write_text("x")
        time.sleep(0.6)
        (folder / "a.md").write_text("y")
        time.sleep(0.6)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert batches[0] >= {"content/articles/2024", "content/articles/2024/a.md"}
    assert batches[-1] == {"content/articles/2024/a.md"}
    assert not thread.is_alive()
