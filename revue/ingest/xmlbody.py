"""trafilatura's XML for an article body → Markdown: `<head>` → `##` headings, `<p>` →
paragraphs, `<list>` → `-` or `1.` items, `<quote>` → `>` blockquotes, `<table>` → one
line per row, `<hi>` → emphasis, `<ref>` → links (web addresses only), `<lb>` → line break.
Text that would read as Markdown syntax at the start of a line is escaped."""

from __future__ import annotations

import re

from lxml import etree

_LINE_START = re.compile(r"^(#{1,6}\s|[-+*>]\s|\d+[.)]\s|[=-]{3,}\s*$)")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_HEADING_LEVEL = {"h1": "##", "h2": "##", "h3": "###"}


def _inline(element) -> str:
    """The text of an inline run: emphasis and links kept, Markdown characters escaped."""
    parts = [_INLINE_SPECIAL.sub(r"\\\1", element.text or "")]
    for child in element:
        inner = _inline(child)
        if child.tag == "hi" and inner.strip():
            mark = "**" if "b" in (child.get("rend") or "") else "*"
            inner = f"{mark}{inner.strip()}{mark}"
        elif child.tag == "ref" and inner.strip():
            target = (child.get("target") or "").strip()
            if target.startswith(("http://", "https://")) and not re.search(r"[\s()<>]", target):
                inner = f"[{inner.strip()}]({target})"
        elif child.tag == "lb":
            inner = "\\\n"
        elif child.tag == "graphic":
            inner = ""
        parts.append(inner)
        parts.append(_INLINE_SPECIAL.sub(r"\\\1", child.tail or ""))
    return "".join(parts)


def _line(text: str) -> str:
    """One paragraph's text on one line (bar explicit breaks), its start escaped."""
    text = re.sub(r"[ \t\r\n]+", " ", text.replace("\\\n", "\x00")).strip().replace("\x00", "\\\n")
    return "\\" + text if _LINE_START.match(text) else text


def _blocks(element, out: list[str]) -> None:
    """Append the Markdown blocks of `element`'s children to `out`."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "head":
            level = _HEADING_LEVEL.get(child.get("rend") or "", "####")
            text = _line(_inline(child))
            if text:
                out.append(f"{level} {text.lstrip(chr(92))}")
        elif tag == "list":
            ordered = (child.get("rend") or "") == "ol"
            items = [_line(_inline(item)) for item in child.iter("item")]
            rows = [
                f"{number}. {text}" if ordered else f"- {text}"
                for number, text in enumerate((i for i in items if i), 1)
            ]
            if rows:
                out.append("\n".join(rows))
        elif tag == "quote":
            inner: list[str] = []
            _blocks(child, inner)
            inner = inner or [_line(_inline(child))]
            quoted = [
                "\n".join(f"> {row}" for row in block.split("\n")) for block in inner if block
            ]
            if quoted:
                out.append("\n>\n".join(quoted))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_line(_inline(cell)) for cell in row.iter("cell")]
                if any(cells):
                    out.append(" | ".join(cells))
        elif tag in ("p", "code", "item", "cell"):
            text = _line(_inline(child))
            if text:
                out.append(text)
        elif tag in ("div", "main"):
            _blocks(child, out)


def xml_to_markdown(xml: str) -> str:
    """The Markdown body of trafilatura's `<doc><main>…</main></doc>` XML ('' if none)."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    except etree.XMLSyntaxError:
        return ""
    if root is None:
        return ""
    main = root.find("main")
    out: list[str] = []
    _blocks(main if main is not None else root, out)
    return "\n\n".join(out)
