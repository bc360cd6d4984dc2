"""Forked work: results in the items' order, and cache writers that never fail a build."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from revue import parallel
from revue.parallel import Background, run_all


def _square(offset: int, item: int) -> int:
    return offset + item * item


def test_forked_results_come_in_the_items_order() -> None:
    items = list(range(300))
    done: list[int] = []
    assert list(run_all(_square, 1, items, 2, done.append)) == [1 + i * i for i in items]
    assert sum(done) == len(items)


def _collecting(_: object, item: int) -> tuple[bool, int]:
    return gc.isenabled(), os.getpid()


def test_workers_collect_garbage_when_the_parent_paused_its_collector() -> None:
    gc.disable()
    try:
        results = list(run_all(_collecting, None, list(range(8)), 2))
    finally:
        gc.enable()
    assert all(enabled for enabled, _ in results)
    assert os.getpid() not in {pid for _, pid in results}  # they ran in workers


def _write(path: Path, text: str) -> None:
    if text == "fail":
        raise OSError("disk full")
    path.write_text(f"{text} {os.getpid()}")


def test_background_work_is_done_in_another_process_before_the_block_ends(
    tmp_path: Path,
) -> None:
    with Background() as background:
        background.run(_write, tmp_path / "a", "written")
        background.run(_write, tmp_path / "b", "fail")  # fails there, not here
    text, pid = (tmp_path / "a").read_text().split()
    assert text == "written" and int(pid) != os.getpid()
    assert not (tmp_path / "b").exists()


def test_background_work_is_done_here_when_no_process_can_be_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    with Background() as background:
        background.run(_write, tmp_path / "a", "written")
    assert (tmp_path / "a").read_text() == f"written {os.getpid()}"
