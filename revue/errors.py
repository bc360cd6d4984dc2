"""Errors that point at a place in a source file, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in one input file: `path:line: message` (line 0 when unknown)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class BuildError(Exception):
    """A build stopped by one or more source errors, all of them carried here."""

    def __init__(self, errors: list[SourceError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
