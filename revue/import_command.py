"""`python build.py import`: read pasted page texts, write one Markdown article for each
into the articles folder (or --output), never overwriting a file unless told to, and say
what was extracted, what was dropped and what the editor should check."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from revue.ingest import (
    FIELDS,
    ImportResult,
    article_file_name,
    article_file_text,
    import_text,
)
from revue.ingest.decode import DecodeError, decode
from revue.ingest.htmlpage import import_page

_MISSING = {
    "title": "(not found: add `title:` by hand)",
    "date": "(not found: add `date:` by hand)",
    "source": "(not found: add `source:` by hand or pass --source)",
}


MIN_WORDS = 15  # fewer words than this is a menu or a form, not an article


class ImportFailure(Exception):
    """One input that cannot be imported; the message is the one line to print."""


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
STDIN = Path("-")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html\b|head\b)", re.I | re.S)
MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT = 2_000_000  # characters of pasted text; the longest articles are about 100 000


def read_source(path: Path, stdin: BinaryIO | None = None) -> tuple[bytes, str]:
    """The bytes of one input and how to read them ("html" or "text"), or ImportFailure
    naming the file and the problem. `-` is standard input."""
    try:
        if path == STDIN:
            data = (stdin or sys.stdin.buffer).read(MAX_BYTES + 1)
        else:
            with path.open("rb") as stream:
                data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path}: is a folder; give a .html, .txt or .md file") from None
    except OSError as error:
        raise ImportFailure(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ImportFailure(f"{path}: larger than 50 MB, not a web page or a pasted article")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _HTML_START.match(data)):
        return data, "html"
    return data, "text"


def import_source(
    path: Path, *, source: str | None, url: str | None, stdin: BinaryIO | None = None
) -> ImportResult:
    """Read and import one input; ImportFailure (one line naming the file) when it is
    empty, binary, not decodable or holds no article."""
    data, kind = read_source(path, stdin)
    if not data.strip():
        raise ImportFailure(f"{path}: empty file, nothing to import")
    try:
        text = decode(data, html=kind == "html")
    except DecodeError as error:
        raise ImportFailure(f"{path}: {error}") from None
    if not text.strip():
        raise ImportFailure(f"{path}: empty file, nothing to import")
    if kind == "text" and len(text) > MAX_TEXT:
        raise ImportFailure(
            f"{path}: {len(text)} characters of text, too long for one article (at most "
            f"{MAX_TEXT}); paste only the article's page"
        )
    if kind == "html":
        result = import_page(text, source=source, url=url)
    else:
        result = import_text(text, source=source, url=url)
    if len(re.findall(r"\w+", result.body)) < MIN_WORDS:
        raise ImportFailure(
            f"{path}: no article text found in it"
            + (" once the page chrome was dropped" if kind == "text" else "")
            + "; check that it is the page of one article"
        )
    return result


def names_folder(output: Path | str) -> bool:
    """Does --output name a folder? An existing one, a path written with a final '/', or a
    path with no file extension that does not exist yet; otherwise it names the file."""
    text = str(output)
    path = Path(output)
    return path.is_dir() or text.endswith(("/", os.sep)) or (not path.exists() and not path.suffix)


def target_path(result: ImportResult, articles_dir: Path, output: Path | str | None) -> Path:
    """Where the article goes: inside the articles folder, inside --output when it names a
    folder, else --output itself."""
    name = article_file_name(result)
    if output is None:
        return articles_dir / name
    return Path(output) / name if names_folder(output) else Path(output)


def write_new_file(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path` through a temporary file renamed into place; refuse to replace
    an existing file unless `force`."""
    if path.exists() and not force:
        raise ImportFailure(f"{path}: already exists; pass --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise ImportFailure(f"{path}: cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def report_lines(result: ImportResult) -> list[str]:
    """What was extracted (every frontmatter field), dropped and noted, one line each."""
    lines = []
    for key in FIELDS:
        value = result.metadata.get(key)
        if isinstance(value, list):
            shown = ", ".join(str(item) for item in value)
        else:
            shown = str(value) if value else _MISSING.get(key, "(not found)")
        lines.append(f"  {key + ':':<9}{shown}")
    lines += [f"  dropped: {line}" for line in result.dropped]
    lines += [f"  note:    {line}" for line in result.notes]
    return lines


def import_files(
    paths: list[Path],
    *,
    articles_dir: Path,
    source: str | None,
    url: str | None,
    output: Path | str | None,
    force: bool,
    echo: Callable[[str], None] = print,
    stdin: BinaryIO | None = None,
) -> int:
    """Import each pasted text or saved page (`-`: standard input); return an exit code
    (0 ok, 1 if any file failed)."""
    if output is not None and not names_folder(output) and len(paths) > 1:
        echo(
            f"{output}: --output names one file but {len(paths)} texts were given; "
            "give a folder (ending with '/') instead"
        )
        return 1
    status = 0
    for path in paths:
        try:
            result = import_source(path, source=source, url=url, stdin=stdin)
            target = target_path(result, articles_dir, output)
            write_new_file(target, article_file_text(result), force=force)
        except ImportFailure as failure:
            echo(str(failure))
            status = 1
            continue
        except Exception as error:  # last resort: one line, never a traceback
            echo(f"{path}: could not be imported ({type(error).__name__}: {error}); report it")
            status = 1
            continue
        echo(f"Imported {path} → {_shown(target)}")
        for line in report_lines(result):
            echo(line)
    return status


def _shown(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
