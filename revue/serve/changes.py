"""How a new build of the preview differs from the previous one, and what browsers should do:
which output files changed or vanished, which open pages must reload, which stylesheets
are swapped in place; and the URL a browser shows for an output file."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class OutputChanges:
    """How a new build differs from the previous one.

    `written`: output paths that are new or whose bytes changed; `removed`: output paths
    that vanished; `pages`: output paths whose page must reload in a browser (a page that
    differs only by the hashed name of a stylesheet that is swapped in place does not);
    `stylesheets`: (old URL, new URL) of each stylesheet to swap, relative to the site.
    """

    written: tuple[str, ...]
    removed: tuple[str, ...]
    pages: tuple[str, ...]
    stylesheets: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        """True when the new build is byte-identical to the previous one."""
        return not (self.written or self.removed)


def compare(
    old: Mapping[str, bytes],
    new: Mapping[str, bytes],
    old_manifest: Mapping[str, str] | None = None,
    new_manifest: Mapping[str, str] | None = None,
    rendered: Collection[str] | None = None,
) -> OutputChanges:
    """The output files that differ between two builds, and what browsers should do.

    `rendered`, when given, are the outputs of `new` that may differ from `old`: any other
    output that both builds have holds the same bytes (`Built.rendered` when `old` is the
    build the cache came from), so only those are compared.
    """
    maybe = new.keys() if rendered is None else rendered
    written = tuple(sorted(p for p in maybe if old.get(p) != new[p]))
    removed = tuple(sorted(old.keys() - new.keys()))
    stylesheets = tuple(
        (old_manifest[name], url)
        for name, url in sorted((new_manifest or {}).items())
        if name.endswith(".css") and name in (old_manifest or {}) and old_manifest[name] != url
    )
    renames = [(new_url.encode(), old_url.encode()) for old_url, new_url in stylesheets]
    pages = tuple(
        p
        for p in (*written, *removed)
        if p.endswith(".html") and not _only_renamed(old.get(p), new.get(p), renames)
    )
    return OutputChanges(written, removed, pages, stylesheets)


def _only_renamed(old: bytes | None, new: bytes | None, renames: list[tuple[bytes, bytes]]) -> bool:
    """Whether `new` is `old` with only some stylesheet URLs renamed."""
    if old is None or new is None or not renames:
        return False
    for new_url, old_url in renames:
        new = new.replace(new_url, old_url)
    return new == old


def page_url(output: str, base_path: str) -> str:
    """The URL path a browser shows for an output file: `a/index.html` → `/base/a/`."""
    if output == "index.html":
        return base_path
    if output.endswith("/index.html"):
        return base_path + output.removesuffix("index.html")
    return base_path + output
