"""Raw HTML left in pasted text → Markdown: scripts and frames dropped, `<br>` to line
breaks, `<a>` to Markdown links, other tags removed, entities unescaped."""

from __future__ import annotations

import html
import re

from revue.ingest.blocks import dropped_line

_DROPPED_ELEMENTS = re.compile(
    r"<(?P<tag>script|style|iframe|noscript)\b[^>]*>.*?</(?P=tag)\s*>"
    r"|<(?:script|iframe)\b[^>]*/?>",
    re.IGNORECASE | re.DOTALL,
)
_SHORTCODE = re.compile(r"\[/?(?:tweet|embed|youtube|instagram|caption)\b[^\]\n]*\]", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</p\s*>|<p\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<href>.*?)(?P=q)[^>]*>(?P<text>.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"(?<![<(\[\w])https?://[^\s<>()\[\]«»\"]+")


def has_markup(text: str) -> bool:
    """True when `text` holds HTML tags or embed shortcodes like `[Tweet]`."""
    return bool(_TAG.search(text) or _SHORTCODE.search(text))


def _markdown_link(match: re.Match[str]) -> str:
    """`<a href="u">text</a>` → `[text](u)`; a link whose text is its own URL → `<u>`."""
    href = html.unescape(match["href"]).strip()
    text = html.unescape(_TAG.sub("", match["text"])).strip()
    if not href.startswith(("http://", "https://")):
        return text
    if not text or text == href:
        return f"<{href}>"
    return f"[{text}]({href})"


def html_to_markdown(fragment: str) -> str:
    """Convert an HTML fragment to Markdown text; paragraphs are separated by a blank line,
    a `<br>` becomes a line break."""
    text = _DROPPED_ELEMENTS.sub("", fragment)
    text = _BREAK.sub("\n", text)
    text = _PARAGRAPH_END.sub("\n\n", text)
    text = _LINK.sub(lambda m: "\x00" + _markdown_link(m), text)
    text = re.sub(r"(?<=\w)\x00", " ", text).replace("\x00", "")
    text = html.unescape(_TAG.sub("", text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _describe(element: str) -> str:
    """Name a dropped element without its markup: `script https://…/widgets.js`."""
    tag = re.match(r"<(\w+)", element)
    source = re.search(r"\bsrc=[\"']([^\"']+)", element)
    return " ".join(part for part in (tag and tag[1].lower(), source and source[1]) if part)


def strip_markup(text: str) -> tuple[str, list[str]]:
    """Remove the HTML and embed shortcodes left in pasted text; report what was dropped."""
    dropped = []
    elements = [_describe(m.group(0)) for m in _DROPPED_ELEMENTS.finditer(text)]
    if elements:
        dropped.append(dropped_line("embed code", elements))
    codes = _SHORTCODE.findall(text)
    if codes:
        dropped.append(dropped_line("embed markers", codes))
    text = _SHORTCODE.sub("", _DROPPED_ELEMENTS.sub("", text))
    if _TAG.search(text):
        tags = sorted({m.group(0).split()[0].strip("</>").lower() for m in _TAG.finditer(text)})
        dropped.append(f"HTML tags: {', '.join(tags)}")
        text = html_to_markdown(text)
    return text, dropped


def link_bare_urls(text: str) -> str:
    """Wrap bare web addresses in `<…>` so Markdown (without linkify) shows them as links."""

    def wrap(match: re.Match[str]) -> str:
        url = match.group(0)
        trail = re.search(r"[.,;:!?]+$", url)
        end = trail.group(0) if trail else ""
        return f"<{url[: len(url) - len(end)]}>{end}"

    return _URL.sub(wrap, text)
