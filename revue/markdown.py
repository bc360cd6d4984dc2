"""Markdown for Revue: the configured parser and its French typography plugin.

French typography (``NNBSP`` is U+202F NARROW NO-BREAK SPACE, ``NBSP`` is
U+00A0 NO-BREAK SPACE), on the text of every inline token and on plain strings:

* ``...`` → ``…`` (exactly three dots; ``..`` and ``....`` are left alone)
* ``'`` between two letters → ``’`` (``l'IA`` → ``l’IA``, ``aujourd'hui`` → ``aujourd’hui``)
* French text only (no ``lang``, or a ``fr`` one, on the enclosing blocks):

  * ``« x »``, ``«x»`` → ``«NNBSPxNNBSP»``
  * ``x ;``, ``x;`` → ``xNNBSP;``, and likewise ``!`` and ``?``;
    a run of ``!`` and ``?`` (``?!``, ``!!!``) counts as one mark
  * ``x :``, ``x:`` → ``xNBSP:``

An existing space before a mark (plain, tab, thin or no-break) becomes the right
no-break space; a missing one is added only when the mark ends a word: it is followed
by a space, the end of the text, a closing bracket or quote, ``.``, ``,`` or ``…``.
Nothing is added at the start of the text or a line, after an opening bracket or
quote, or after another mark. So times (``10:30``), ratios (``16:9``), query strings
(``?a=b``) and numbers (``1,5``) are left alone, as are code spans and blocks, link
URLs, autolinks and raw URLs in the text. Straight double quotes are not guessed.

The rule runs before ``text_join``, so a backslash-escaped character is kept exactly
as typed, with whatever precedes it: ``Java \\!`` keeps its plain space, ``l\\'a`` its
straight apostrophe. Applying the rules twice gives the same result as once.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin

NNBSP = "\u202f"
NBSP = "\u00a0"

_SPACES = "[ \t\u00a0\u202f\u2009]*"
_AFTER_WORD = "(?<=[^\\s(\\[{«“‘'\"!?;:])"
_ENDS_WORD = "(?=[\\s)\\]}»”’\"'.,…]|$)"

ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")
APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
OPEN_GUILLEMET_RE = re.compile(f"«{_SPACES}(?=\\S)")
CLOSE_GUILLEMET_RE = re.compile(f"(?<=\\S){_SPACES}»")
HIGH_MARK_RE = re.compile(f"{_AFTER_WORD}{_SPACES}(?P<mark>[!?]+|;){_ENDS_WORD}")
COLON_RE = re.compile(f"{_AFTER_WORD}{_SPACES}:{_ENDS_WORD}")

URL_RE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>]*[^\s<>.,;:!?)\]»”’\"']",
    re.IGNORECASE,
)
"""A raw URL in the text; trailing sentence punctuation is not part of it."""

TRIGGER_RE = re.compile(r"[.'«»!?;:]")
"""Text without any of these characters is left as is, without running the rules."""

_COMMON_RULES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (ELLIPSIS_RE, "…", ("...",)),
    (APOSTROPHE_RE, "’", ("'",)),
)
"""Each rule: its pattern, its replacement, and the texts one of which a match holds."""
_FRENCH_RULES = (
    *_COMMON_RULES,
    (OPEN_GUILLEMET_RE, "«" + NNBSP, ("«",)),
    (CLOSE_GUILLEMET_RE, NNBSP + "»", ("»",)),
    (HIGH_MARK_RE, NNBSP + "\\g<mark>", ("!", "?", ";")),
    (COLON_RE, NBSP + ":", (":",)),
)

_CONTEXT_CHARS = 64
"""How much of the neighbouring tokens' text the rules may look at."""
_CONTEXT_TOKENS = 8

LANG_RE = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")
ALLOWED_CLASSES = frozenset({"tweet"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.-]*):")
_URL_HEAD_RE = re.compile(r"[^/?#]*")


def make_markdown() -> MarkdownIt:
    """The configured parser.

    CommonMark with raw HTML disabled (pasted HTML is escaped, never rendered),
    linkify off, tables on, markdown-it's typographer off (we do our own), links
    limited to http(s), mailto and relative URLs, block attributes restricted to
    ``lang`` and the class ``tweet``, and the French typography plugin.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.use(restricted_attrs)
    md.use(french_typography)
    return md


def render_markdown(md: MarkdownIt, text: str) -> str:
    """Markdown → HTML string."""
    return md.render(text)


def typographize(text: str) -> str:
    """French typography on a plain string (titles, summaries, labels).

    Same rules as the plugin; returns plain text, which the caller escapes.
    """
    return _typeset(text, "", "", french=True)


def validate_link(url: str) -> bool:
    """Accept only http(s), mailto and relative URLs (``url`` is already normalized)."""
    url = url.strip().lower()
    head = _URL_HEAD_RE.match(url)
    if head is None or ":" not in head.group():
        return True
    scheme = _SCHEME_RE.match(url)
    return scheme is not None and scheme.group(1) in ALLOWED_SCHEMES


def restricted_attrs(md: MarkdownIt) -> None:
    """Block attributes (``{lang=en .tweet}`` on the line above a block), safe by default.

    Only a well-formed ``lang`` (``en``, ``en-GB``…) and the class ``tweet`` survive;
    every other attribute (``id``, ``style``, ``onclick``, other classes…) is dropped.
    """
    attrs_block_plugin(md, allowed=("lang", "class"))
    md.core.ruler.after("attr", "attr_filter", _filter_attrs)


def _filter_attrs(state: StateCore) -> None:
    """Drop invalid ``lang`` values and unknown classes; put ``lang`` before ``class``."""
    for token in state.tokens:
        if not token.attrs or token.nesting == -1:
            continue
        attrs = dict(token.attrs)
        lang = attrs.pop("lang", None)
        classes = str(attrs.pop("class", "")).split()
        kept = [name for name in dict.fromkeys(classes) if name in ALLOWED_CLASSES]
        front: dict[str, str | int | float] = {}
        if lang is not None and LANG_RE.fullmatch(str(lang)):
            front["lang"] = str(lang)
        if kept:
            front["class"] = " ".join(kept)
        token.attrs = {**front, **attrs}


def french_typography(md: MarkdownIt) -> None:
    """The markdown-it plugin: French typography on text, before ``text_join``."""
    md.core.ruler.before("text_join", "french_typography", typography_rule)


def typography_rule(state: StateCore) -> None:
    """Core rule: typeset every inline token, in French unless a block says otherwise."""
    langs: list[str | None] = [None]
    for token in state.tokens:
        if token.nesting == 1:
            lang = token.attrGet("lang")
            langs.append(str(lang) if lang else langs[-1])
        elif token.nesting == -1:
            if len(langs) > 1:
                langs.pop()
        elif token.type == "inline" and token.children:
            _typeset_children(token.children, _is_french(langs[-1]))


def _is_french(lang: str | None) -> bool:
    """Whether a ``lang`` value (``None``: the site's language) calls for French spacing."""
    return lang is None or lang.split("-")[0].lower() == "fr"


def _shown(token: Token) -> str:
    """The text a child token shows, as context for its neighbours."""
    if token.type in ("text", "text_special", "code_inline", "image"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return ""


def _typeset_children(children: list[Token], french: bool) -> None:
    """Typeset the ``text`` children of an inline token, skipping autolinks."""
    shown = [_shown(token) for token in children]
    in_autolink = 0
    for i, token in enumerate(children):
        if token.type == "link_open" and token.info == "auto":
            in_autolink += 1
        elif token.type == "link_close" and token.info == "auto":
            in_autolink -= 1
        elif token.type == "image" and token.children:
            _typeset_children(token.children, french)
        elif token.type == "text" and not in_autolink:
            before = "".join(shown[max(0, i - _CONTEXT_TOKENS) : i])[-_CONTEXT_CHARS:]
            after = "".join(shown[i + 1 : i + 1 + _CONTEXT_TOKENS])[:_CONTEXT_CHARS]
            token.content = shown[i] = _typeset(token.content, before, after, french)


def _typeset(text: str, before: str, after: str, french: bool) -> str:
    """Apply the rules to ``text``; ``before`` and ``after`` are only looked at."""
    if not TRIGGER_RE.search(text):
        return text
    for pattern, replacement, marks in _FRENCH_RULES if french else _COMMON_RULES:
        if any(mark in text for mark in marks):  # a match lies inside `text`: it holds a mark
            text = _sub_inside(pattern, replacement, before, text, after)
    return text


def _sub_inside(
    pattern: re.Pattern[str], replacement: str, before: str, text: str, after: str
) -> str:
    """``pattern.sub`` on ``text`` seen in its context, never touching a raw URL."""
    full = before + text + after
    start, end = len(before), len(before) + len(text)
    urls: list[tuple[int, int]] | None = None  # found when a match needs them
    parts: list[str] = []
    last = start
    for match in pattern.finditer(full, start):
        first, stop = match.span()
        if first >= end:
            break
        if stop > end:
            continue
        if urls is None:
            urls = [url.span() for url in URL_RE.finditer(full)]
        if any(a < stop and first < b for a, b in urls):
            continue
        parts += [full[last:first], match.expand(replacement)]
        last = stop
    parts.append(full[last:end])
    return "".join(parts)
