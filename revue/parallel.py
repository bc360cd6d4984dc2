"""Run a CPU-bound function over many items on every core, with forked worker processes.

The workers are forked, so they start with the parent's memory (config, model, compiled
templates) and nothing but the items and the results cross a pipe. Results come back in
the items' order, so the output never depends on which worker was faster.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Shared = TypeVar("Shared")
Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK = 64  # items sent to a worker at once, at most

_task: tuple[Callable, object] | None = None  # set in each forked worker only


def default_jobs() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_all(
    function: Callable[[Shared, Item], Result],
    shared: Shared,
    items: Sequence[Item],
    jobs: int,
    done: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """`function(shared, item)` for each item, in order; `done(n)` after each batch of n.

    With `jobs` <= 1 (the caller decides whether the work is worth forking), or one item,
    everything runs in this process."""
    size = max(1, min(CHUNK, len(items) // (4 * max(jobs, 1))))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    forks = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(items) < 2 or not forks:
        for chunk in chunks:
            for item in chunk:
                yield function(shared, item)
            if done:
                done(len(chunk))
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start, initargs=((function, shared),)) as pool:
        for results in pool.imap(_run_chunk, chunks):
            yield from results
            if done:
                done(len(results))


def _start(task: tuple[Callable, object]) -> None:
    global _task
    _task = task
    gc.enable()  # whether or not the parent paused its collector: a worker makes garbage


def _run_chunk(chunk: Sequence[object]) -> list[object]:
    assert _task is not None
    function, shared = _task
    return [function(shared, item) for item in chunk]


class Background:
    """Functions run in forked processes while this one goes on, for work whose result is
    only a file (the caches): `run(function, *args)` starts one, and leaving the `with`
    block waits for them all. A function that fails leaves its file unwritten (it writes
    atomically), which only makes the next build slower. Without fork, runs them here."""

    def __init__(self) -> None:
        self.pids: list[int] = []

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        while self.pids:
            os.waitpid(self.pids.pop(), 0)

    def run(self, function: Callable[..., object], *args: object) -> None:
        try:
            if "fork" not in multiprocessing.get_all_start_methods():
                raise OSError("no fork here")
            pid = os.fork()
        except OSError:  # no fork, or no process to be had now: run it here
            function(*args)
            return
        if pid:
            self.pids.append(pid)
            return
        code = 1
        try:
            function(*args)
            code = 0
        finally:
            os._exit(code)
