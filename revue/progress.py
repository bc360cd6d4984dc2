"""What a build says while it runs: progress lines on a terminal, and on request the time
each of its steps took (`build.py build --timings`)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

PROGRESS_AFTER = 2.0  # seconds before progress lines appear


class Progress:
    """Prints `stage: n/total` lines on `stream` (stderr) once a build has run for `after`
    seconds, when the stream is a terminal: a log or a pipe gets no progress, and what a
    build prints never depends on how fast it ran. With `timed`, also keeps the wall time
    of each step the build names with `step` (see `timings`)."""

    def __init__(self, stream=None, after: float = PROGRESS_AFTER, timed: bool = False):
        self.started = time.monotonic()
        self.stream = stream or sys.stderr
        self.after = after if is_terminal(self.stream) else float("inf")
        self.last = 0.0
        self.timed = timed
        self.steps: list[tuple[str, float]] = []
        self.step_began = time.perf_counter()

    def counter(self, stage: str, total: int) -> Callable[[int], None]:
        count = 0

        def done(n: int) -> None:
            nonlocal count
            count += n
            now = time.monotonic()
            if now - self.started >= self.after and (now - self.last >= 1 or count == total):
                self.last = now
                print(f"  {stage}: {count}/{total}", file=self.stream, flush=True)

        return done

    def step(self, name: str) -> None:
        """End the step `name`: the time since the previous step ended (or since this
        Progress was made) is its own. Kept only when timed; a name given twice adds up."""
        now = time.perf_counter()
        if self.timed:
            self.steps.append((name, now - self.step_began))
        self.step_began = now

    def timings(self) -> list[str]:
        """One line per step (in the order they first ended: `  name  seconds`), then the
        total; none when not timed."""
        if not self.timed:
            return []
        totals: dict[str, float] = {}
        for name, seconds in self.steps:
            totals[name] = totals.get(name, 0.0) + seconds
        width = max(map(len, totals), default=0)
        lines = [f"  {name:<{width}}  {seconds:7.3f} s" for name, seconds in totals.items()]
        lines.append(f"  {'total':<{width}}  {sum(totals.values()):7.3f} s")
        return lines


def is_terminal(stream) -> bool:
    """Whether `stream` is a terminal (where progress is shown)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False
