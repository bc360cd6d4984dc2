"""Bytes of a file given to `import` → text: the byte-order mark, then the encoding the page
declares (`<meta charset>`, `http-equiv`, an XML declaration), then UTF-8, then the legacy
Windows encoding of Western Europe. Binary data is refused, never decoded into noise."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)|<\?xml[^>]+encoding=["']([a-z0-9_.-]+)""",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text this importer can read; the message says why and what to do."""


def _codec(name: str) -> str | None:
    """The Python codec for a declared charset name, or None when unknown."""
    try:
        found = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # Browsers read a page declared as Latin-1 as Windows-1252 (the WHATWG rule).
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the BOM or by the page itself in its first 4 KB."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    return _codec((match[1] or match[2]).decode("ascii", "replace"))


def decode(data: bytes, *, html: bool) -> str:
    """The text of `data`. A BOM wins, then (for HTML) the declared encoding, then UTF-8;
    HTML falls back to Windows-1252 like browsers do, pasted text must be UTF-8 or UTF-16
    with a BOM. Raises DecodeError for binary data or undecodable bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom) :].decode(name, errors="replace"))
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data, not text; give a saved web page or a pasted text")
    codec = declared_encoding(data) if html else None
    if codec and codec.replace("-", "").replace("_", "") not in ("utf16", "utf32"):
        return _checked(data.decode(codec, errors="replace"))
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        if html:
            return _checked(data.decode("cp1252", errors="replace"))
        line = data[: error.start].count(b"\n") + 1
        raise DecodeError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); "
            "save it as UTF-8 and try again"
        ) from None


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters or replacement marks (binary data)."""
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if sample and bad > max(8, len(sample) // 50):
        raise DecodeError("binary data, not text; give a saved web page or a pasted text")
    return text.replace("\x00", "")
