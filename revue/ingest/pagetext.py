"""The text a browser shows of a saved page, one line per block element: what an editor's
Select All → Copy would give, for reading the byline and date around the article."""

from __future__ import annotations

import copy
import re

from lxml import html as lxml_html

_HIDDEN = frozenset(("script", "style", "noscript", "template", "svg", "head", "title"))

_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("td", "th", "tr", "ul"),
    )
)


def page_lines(tree) -> list[str]:
    """The text a browser shows of the page, one line per block element (scripts, styles
    and templates left out): what Select All → Copy would give."""
    body = copy.deepcopy(tree.find("body"))
    if body is None:
        return []
    for comment in body.xpath(".//comment() | .//processing-instruction()"):
        comment.drop_tree()  # keeps the text that follows it
    pieces: list[str] = []
    walker = lxml_html.etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN or not tag:
                walker.skip_subtree()
                continue
            pieces.append("\n" if tag in _BLOCKS else "")
            pieces.append(element.text or "")
        else:
            pieces.append("\n" if tag in _BLOCKS else "")
            pieces.append(element.tail or "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(pieces).split("\n"))
    return [line for line in lines if line]
