"""The block tokens of the Markdown most bodies are made of, read without markdown-it.

markdown-it's block parser tries every block rule at the start of every line, in Python; a
press article is paragraphs, `##` headings, `>` quotations and `-` lists, separated by
blank lines. `simple_blocks` reads exactly those and gives the very tokens markdown-it
gives (type, tag, nesting, map, level, content, markup, hidden: tests/test_analysis_fast.py
compares them on generated bodies); for anything else (another kind of line, or two kinds
in one block, where CommonMark's interruption and laziness rules come in) it gives None and
the caller parses with markdown-it.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

# A line that can only continue or start a paragraph: no indentation; a first character
# that opens no block, or a digit that starts no `1.` marker, or a run of `#*+=_-` that is
# neither a marker nor a rule (a character other than a space or these follows it), or
# fewer than three backticks or tildes (no fence). `>` always opens a quotation. `[` may
# open a link reference definition: see _REFERENCE.
_PLAIN = re.compile(
    r"[^\s#>*+=_`~\d-]"
    r"|\d(?!\d{0,8}[.)](?:[ \t]|$))"
    r"|([#*+=_-])\1*[^\s#*+=_-]"
    r"|(?:`{1,2}|~{1,2})[^`~\s]"
)
_HEADING = re.compile(r"(#{1,6}) (.*[^#\s].*)")
_REFERENCE = "]:"  # in a body that has none, no line defines a link reference


def simple_blocks(body: str) -> tuple[Token, ...] | None:
    """markdown-it's block tokens for a body of blank-line separated paragraphs, ATX
    headings, block quotes of paragraphs and tight `-` lists; None for any other body."""
    if _REFERENCE in body or "\r" in body or "\0" in body:
        return None
    lines = body.split("\n")
    if not lines[-1].strip(" \t"):  # a last line, or spaces after it, ends no line
        lines.pop()
    tokens: list[Token] = []
    start = 0
    count = len(lines)
    while start < count:
        if not lines[start].strip(" \t"):
            start += 1
            continue
        end = start + 1
        while end < count and lines[end].strip(" \t"):
            end += 1
        block = lines[start:end]
        first = block[0][0]
        if first == "#" and end - start == 1:
            found = _heading(block[0], start, tokens)
        elif first == ">":
            found = _quote(block, start, tokens)
        elif first == "-":
            following = _next_text(lines, end)
            # Another list after blank lines would be the same list, a loose one.
            loose = following < count and lines[following].startswith(("-", "*", "+"))
            found = not loose and _list(block, start, following, tokens)
        else:
            found = _paragraph(block, start, 0, False, tokens)
        if not found:
            return None
        start = end
    return tuple(tokens)


def _next_text(lines: list[str], end: int) -> int:
    """The first line from `end` that is not blank (the number of lines when none)."""
    while end < len(lines) and not lines[end].strip(" \t"):
        end += 1
    return end


def _token(kind: str, tag: str, nesting: int, level: int, **fields) -> Token:
    return Token(kind, tag, nesting, level=level, block=True, **fields)


def _paragraph(lines: list[str], start: int, level: int, hidden: bool, out: list[Token]) -> bool:
    """A paragraph of plain lines starting at line `start`; False when a line is not."""
    if not all(_PLAIN.match(line) for line in lines):
        return False
    where = [start, start + len(lines)]
    out.append(_token("paragraph_open", "p", 1, level, map=where, hidden=hidden))
    content = "\n".join(lines).strip()
    out.append(_token("inline", "", 0, level + 1, map=list(where), content=content, children=[]))
    out.append(_token("paragraph_close", "p", -1, level, hidden=hidden))
    return True


def _heading(line: str, start: int, out: list[Token]) -> bool:
    """An ATX heading without a closing sequence; False for any other `#` line."""
    found = _HEADING.fullmatch(line)
    if found is None or found.group(2).rstrip().endswith("#"):  # maybe a closing sequence
        return False
    marks, tag = found.group(1), f"h{len(found.group(1))}"
    where = [start, start + 1]
    out.append(_token("heading_open", tag, 1, 0, map=where, markup=marks))
    content = found.group(2).strip()
    out.append(_token("inline", "", 0, 1, map=list(where), content=content, children=[]))
    out.append(_token("heading_close", tag, -1, 0, markup=marks))
    return True


def _quote(lines: list[str], start: int, out: list[Token]) -> bool:
    """A block quote whose every line is `> ` and a plain line, or a lone `>` between its
    paragraphs."""
    inner = []
    for line in lines:
        if line == ">":
            inner.append("")
        elif line.startswith("> "):
            inner.append(line[2:])
        else:
            return False
    if not inner[0] or not inner[-1]:
        return False
    where = [start, start + len(lines)]
    out.append(_token("blockquote_open", "blockquote", 1, 0, map=where, markup=">"))
    first = 0
    for index in range(len(inner) + 1):
        if index == len(inner) or not inner[index]:
            if index > first and not _paragraph(inner[first:index], start + first, 1, False, out):
                return False
            first = index + 1
    out.append(_token("blockquote_close", "blockquote", -1, 0, markup=">"))
    return True


def _list(lines: list[str], start: int, following: int, out: list[Token]) -> bool:
    """A tight list of one-line `- ` items; `following` is the first line after it that is
    not blank (where markdown-it ends the list and its last item)."""
    if not all(line.startswith("- ") for line in lines):
        return False
    out.append(_token("bullet_list_open", "ul", 1, 0, map=[start, following], markup="-"))
    for index, line in enumerate(lines):
        end = start + index + 1 if index + 1 < len(lines) else following
        out.append(_token("list_item_open", "li", 1, 1, map=[start + index, end], markup="-"))
        if not _paragraph([line[2:]], start + index, 2, True, out):
            return False
        out.append(_token("list_item_close", "li", -1, 1, markup="-"))
    out.append(_token("bullet_list_close", "ul", -1, 0, markup="-"))
    return True
