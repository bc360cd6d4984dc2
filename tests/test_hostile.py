"""Hostile content: no input may put executable script into any output file.

Every output file of a build made from hostile articles is read with a parser (HTML with
html.parser, feeds and sitemap with ElementTree, the HTML inside feeds again with
html.parser, JSON strings as HTML) and checked: no script-capable element (script, iframe,
object, embed, svg, style, form, base…), no event handler attribute (`on…=`), no URL
whose scheme is not http, https or mailto (`javascript:`, `data:`, `vbscript:`, once tabs,
newlines and leading controls are removed as browsers do), no refresh `<meta>`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revue.config import load_config
from revue.content import parse_article
from revue.errors import BuildError
from revue.pipeline import build_files

# Elements that run code, load foreign documents or change where links go.
FORBIDDEN_TAGS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "form",
        "svg",
        "math",
        "style",
        "template",
        "portal",
        "noscript",
        "xmp",
        "plaintext",
        "isindex",
        "marquee",
    ]
)
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "cite",
        "poster",
        "data",
        "background",
        "srcset",
        "xlink:href",
        "ping",
        "manifest",
        "codebase",
        "longdesc",
        "usemap",
        "lowsrc",
        "dynsrc",
    ]
)
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_BROWSER_STRIPPED = re.compile(r"[\t\n\r]")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def unsafe_url(value: str) -> str | None:
    """The scheme of a URL a browser would run or load as a document, or None when safe."""
    url = _BROWSER_STRIPPED.sub("", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b"
        "\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
        "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
    )
    scheme = _SCHEME.match(url.lower())
    if scheme is None or scheme.group(1) in SAFE_SCHEMES:
        return None
    return scheme.group(1)


# Links the templates write: relative (`../`) or, on the 404 page, from the base path.
_OWN_PREFIX = r"(?:(?:\.\./)*|(?:/[\w.-]+)*/)"


def _templates_own(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether an element is one the templates write themselves, which content cannot forge
    (it is escaped): the search form and its <noscript> note, JSON-LD data and the site's
    own search script."""
    if tag == "form":
        action = attrs.get("action") or ""
        return (
            attrs.get("role") == "search"
            and attrs.get("method") == "get"
            and re.fullmatch(_OWN_PREFIX + r"recherche/", action) is not None
        )
    if tag == "noscript":  # the search page's note; what it holds is still scanned
        return not attrs
    if tag == "script":
        if attrs.get("type") == "application/ld+json" and "src" not in attrs:
            return True
        src = attrs.get("src") or ""
        return (
            attrs.get("type") == "module"
            and re.fullmatch(_OWN_PREFIX + r"static/search\.[0-9a-f]{10}\.js", src) is not None
        )
    return False


class _Scanner(HTMLParser):
    """Collects every problem of one HTML document."""

    def __init__(self, where: str):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self.own_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            if not _templates_own(tag, dict(attrs)):
                self.problems.append(f"{self.where}: <{tag}> element")
            elif tag == "script":
                self.own_scripts += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{self.where}: <{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES:
                urls = (
                    [u.strip().split(" ")[0] for u in value.split(",")]
                    if name == "srcset"
                    else [value]
                )
                for url in urls:
                    if scheme := unsafe_url(url):
                        self.problems.append(f"{self.where}: <{tag} {name}> {scheme}: URL")
            if name == "style" and re.search(r"expression|url\s*\(|javascript", value, re.I):
                self.problems.append(f"{self.where}: <{tag} style> loads or runs something")
            if tag == "meta" and name == "http-equiv":
                self.problems.append(f"{self.where}: <meta http-equiv={value}>")

    handle_startendtag = handle_starttag


def html_problems(text: str, where: str) -> list[str]:
    """Problems of one HTML document or fragment (an HTML parser, plus a raw-text net)."""
    scanner = _Scanner(where)
    scanner.feed(text)
    scanner.close()
    raw_scripts = len(re.findall(r"<\s*script", text, re.I))
    if raw_scripts > scanner.own_scripts and not any("<script>" in p for p in scanner.problems):
        scanner.problems.append(f"{where}: '<script' in the raw text")
    return scanner.problems


def xml_problems(data: bytes, where: str) -> list[str]:
    """Problems of a feed or sitemap: foreign elements, unsafe links, unsafe embedded HTML."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"{where}: not well-formed XML ({error})"]
    problems = []
    for element in root.iter():
        if not element.tag.startswith((ATOM, SITEMAP)):
            problems.append(f"{where}: foreign element {element.tag}")
        for name, value in element.attrib.items():
            if name.startswith("on"):
                problems.append(f"{where}: {name}= on {element.tag}")
            if name in ("href", "src") and (scheme := unsafe_url(value)):
                problems.append(f"{where}: {element.tag} {name} {scheme}: URL")
        linked = element.tag in (f"{ATOM}id", f"{ATOM}uri", f"{SITEMAP}loc")
        if linked and element.text and (scheme := unsafe_url(element.text.strip())):
            problems.append(f"{where}: {element.tag} {scheme}: URL")
        if element.get("type") in ("html", "xhtml") and element.text:
            problems.extend(html_problems(element.text, f"{where} <{element.tag}>"))
    return problems


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def file_problems(name: str, data: bytes) -> list[str]:
    """Problems of one output file, by its kind."""
    if name.endswith(".html"):
        return html_problems(data.decode("utf-8"), name)
    if name.endswith(".xml"):
        return xml_problems(data, name)
    if name.endswith(".json"):
        return [p for s in _strings(json.loads(data)) for p in html_problems(s, name)]
    if name.endswith((".txt", ".nojekyll", ".css", ".js")):
        text = data.decode("utf-8")
        return [f"{name}: javascript: in text"] if "javascript:" in text.lower() else []
    return []


def site_problems(files: dict[str, bytes]) -> list[str]:
    """Every problem of every output file."""
    return [p for name in sorted(files) for p in file_problems(name, files[name])]


# --------------------------------------------------------------------------- payloads

SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<body onload=alert(1)>",
    "<iframe src=https://evil.example/></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=data:text/html,<script>alert(1)</script>>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "{{ config }}{% raw %}{{7*7}}",
    "<p onmouseover='alert(1)'>survol</p>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<isindex action=javascript:alert(1)>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
# Markdown constructs that make links and images.
MARKDOWN = [
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1)  )",
    "[clic](java\tscript:alert(1))",
    "[clic](javascript&#58;alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](%6Aavascript:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    "[ref][y]\n\n[y]: <javascript:alert(1)> 'titre'",
    '[clic](https://ok.example "onmouseover=alert(1)")',
    "{onclick=alert(1) lang=en .tweet}\n> bloc",
    '{lang="en\\" onclick=\\"alert(1)"}\n> bloc',
    "{#x style=background:url(javascript:alert(1))}\n> bloc",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "<div>\n<script>alert(1)</script>\n</div>",
]
PAYLOADS = SCRIPTS + MARKDOWN
HOSTILE_URLS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    'https://ok.example/"><script>alert(1)</script>',
    "https://ok.example/' onmouseover='alert(1)",
    "https://ok.example/?q=<script>",
    "file:///etc/passwd",
    "javascript://https://ok.example/%0aalert(1)",
]


def article_text(fields: dict[str, object], body: str) -> str:
    """An article file with these frontmatter fields (safely quoted) and body."""
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{header}---\n\n{body}\n"


def hostile_fields(payload: str) -> dict[str, object]:
    """Every text field of an article set to the payload."""
    return {
        "title": f"Titre {payload}",
        "date": "2024-03-25",
        "source": f"Média {payload}",
        "url": "https://ok.example/article",
        "author": [payload, "Anne Martin"],
        "summary": f"Résumé : {payload}",
        "excerpt": f"« {payload} »",
        "sources": [payload],
        "tags": [payload],
        "note": payload,
    }


def test_the_scanner_catches_every_kind_of_attack() -> None:
    """The checks themselves can fail: each planted attack is found."""
    planted = {
        "a.html": b"<p><script>alert(1)</script></p>",
        "b.html": b'<img src=x onerror="alert(1)">',
        "c.html": b'<a href=" java\tscript:alert(1)">x</a>',
        "d.html": b'<iframe src="https://evil.example/"></iframe>',
        "e.html": b'<a href="data:text/html,x">x</a>',
        "f.html": b'<meta http-equiv="refresh" content="0">',
        "g.xml": b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
        b"&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>",
        "h.xml": b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="vbscript:x"/></feed>',
        "i.json": b'{"pages": [{"excerpt": "<svg onload=alert(1)>"}]}',
        "j.xml": b"<feed><broken>",
    }
    problems = site_problems(planted)
    assert sorted({p.split(":")[0].split(" ")[0] for p in problems}) == sorted(planted)


def test_a_hostile_project_builds_and_no_output_file_can_run_script(project, run_cli) -> None:
    for number, payload in enumerate(PAYLOADS):
        path = project.root / "content" / "articles" / f"2024-03-25-hostile-{number}.md"
        body = f"Texte : {payload}\n\n{payload}\n\n> {payload}\n\n- {payload}\n"
        path.write_text(article_text(hostile_fields(payload), body), encoding="utf-8")
    code, _out, err = run_cli(project, "build")
    assert (code, err) == (0, "")
    output = project.root / "_site"
    files = {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }
    assert len([n for n in files if n.startswith("articles/")]) == len(PAYLOADS)
    assert site_problems(files) == []
    # The payloads are shown as text, not dropped: the reader sees what the article said.
    page = files["articles/hostile-0/index.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_url_is_refused_or_harmless(url: str) -> None:
    config = load_config(Path(__file__).resolve().parents[1])
    fields = {"title": "Titre", "date": "2024-03-25", "source": "Le Monde", "url": url}
    shown = "content/articles/2024-03-25-lien.md"
    article, errors = parse_article(shown, article_text(fields, "Texte.").encode(), config)
    if article is None:
        assert [str(e) for e in errors] == [
            f"{shown}:5: 'url' must be a web address starting with https:// or http://"
        ]
        return
    files, _ = build_files(config, [article])
    assert site_problems(files) == []


_fragments = st.sampled_from(PAYLOADS) | st.text(
    alphabet=st.sampled_from(list("<>\"'=&;:/()[]{}!# \n\tjavascriptonerrorsvgdata«»")),
    max_size=40,
)
_hostile_text = st.lists(_fragments, min_size=1, max_size=4).map("".join)


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(title=_hostile_text, body=_hostile_text, extra=_hostile_text)
def test_random_hostile_articles_never_reach_a_page_as_code(title, body, extra) -> None:
    config = load_config(Path(__file__).resolve().parents[1])
    fields = {"title": f"T {title}", "date": "2024-03-25", "source": f"S {extra}"}
    fields |= {"summary": extra, "author": [extra], "tags": [title]}
    shown = "content/articles/2024-03-25-hasard.md"
    article, errors = parse_article(shown, article_text(fields, f"x {body}").encode(), config)
    if article is None:
        assert all(re.match(rf"{shown}:\d+: ", str(e)) for e in errors)
        return
    try:
        files, _ = build_files(config, [article])
    except BuildError as error:
        pytest.fail(f"a valid article failed to render: {error}")
    assert site_problems(files) == []
