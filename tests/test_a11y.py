"""Accessibility and semantics of the committed site, served under /revue/:

- axe-core (node_modules, installed by `make test` from package-lock.json) in headless
  Chromium on every page type, in light and dark mode and at phone and desktop widths:
  zero violations of the WCAG 2.0/2.1 A and AA rules;
- the page structure, read from the HTML: landmarks, one h1, headings in order, skip
  link, `<time datetime>` on dates, explicit link text, Open Graph, JSON-LD, feeds;
- the home page's weight.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import REPO, chromium
from crawl import serve

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The committed content built for, and served at, http://127.0.0.1:PORT/revue/."""
    output = tmp_path_factory.mktemp("a11y") / "_site"
    with serve(output, "/revue/") as base_url:
        command = [sys.executable, str(REPO / "build.py"), "build", "--base-url", base_url]
        result = subprocess.run(
            [*command, "--output", str(output)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        yield base_url, output


def page_types(output: Path) -> dict[str, str]:
    """One page of each kind: name → path under the base URL."""
    first = lambda pattern: sorted(output.glob(pattern))[0].parent.relative_to(output)  # noqa: E731
    return {
        "home": "",
        "theme": f"{first('themes/*/index.html').as_posix()}/",
        "article": f"{first('articles/*/index.html').as_posix()}/",
        "archives": "archives/",
        "month": f"{first('archives/*/*/index.html').as_posix()}/",
        "outlets": "medias/",
        "outlet": f"{first('medias/*/index.html').as_posix()}/",
        "search": "recherche/?q=studios",
        "404": "404.html",
    }


# --------------------------------------------------------------------------- axe-core


def axe_script() -> str:
    if not AXE.is_file():
        message = f"{AXE.relative_to(REPO)} is missing: run `make test` (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(browser, url: str, scheme: str, viewport: dict) -> list[str]:
    """axe-core's WCAG A/AA violations on `url`, one line each."""
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(url)
        if "recherche/" in url:
            page.wait_for_selector("#resultats li", timeout=15000)
        page.add_script_tag(content=axe_script())
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
    finally:
        context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The committed content with one article a page (every list paginated), served at
    http://127.0.0.1:PORT/revue/."""
    project = tmp_path_factory.mktemp("paged")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, project / name)
    config = (REPO / "site.toml").read_text(encoding="utf-8")
    (project / "site.toml").write_text(re.sub(r"(?m)^page_size = \d+$", "page_size = 1", config))
    output = project / "_site"
    with serve(output, "/revue/") as base_url:
        command = [sys.executable, str(REPO / "build.py"), "build", "--base-url", base_url]
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        yield base_url, output


@pytest.mark.parametrize(("scheme", "viewport"), [("light", "phone"), ("dark", "desktop")])
def test_axe_finds_no_violation_on_paginated_lists(
    browser, paged_site: tuple[str, Path], scheme: str, viewport: str
) -> None:
    base_url, output = paged_site
    axe_script()
    middles = [
        p.parent.relative_to(output).as_posix() + "/"
        for pattern in ("themes/*/page/2/index.html", "archives/*/*/page/2/index.html")
        for p in sorted(output.glob(pattern))[:1]
    ]
    assert len(middles) == 2, middles  # a theme's and a month's second page
    found = {}
    for path in middles:
        html = (output / path / "index.html").read_text(encoding="utf-8")
        assert 'class="pager"' in html and 'rel="prev"' in html, path
        violations = axe_violations(browser, base_url + path, scheme, VIEWPORTS[viewport])
        if violations:
            found[path] = violations
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    ("scheme", "viewport"), [("light", "phone"), ("dark", "phone"), ("light", "desktop")]
)
def test_axe_finds_no_violation_on_any_page_type(
    browser, site: tuple[str, Path], scheme: str, viewport: str
) -> None:
    base_url, output = site
    axe_script()
    found = {}
    for name, path in page_types(output).items():
        violations = axe_violations(browser, base_url + path, scheme, VIEWPORTS[viewport])
        if violations:
            found[name] = violations
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)


def test_axe_does_find_violations(browser, tmp_path: Path) -> None:
    """The check above can fail: a page with known faults gets violations."""
    axe_script()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><title>x</title></head><body><img src="a.png">'
        '<a href="x"></a><p style="color:#999;background:#aaa">gris</p></body></html>',
        encoding="utf-8",
    )
    with serve(tmp_path, "/") as url:
        violations = axe_violations(browser, url, "light", VIEWPORTS["desktop"])
    ids = {line.split(" ")[0] for line in violations}
    assert {"html-has-lang", "image-alt", "link-name", "color-contrast"} <= ids


# --------------------------------------------------------------------------- structure


class Outline(HTMLParser):
    """What the structure checks need from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.links: list[list[str]] = []  # text of each link
        self.times: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.links.append([])
        if tag == "time":
            self.times.append(values)
        if tag == "script":
            self.scripts.append("")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "a" in self._in and self.links:
            self.links[-1].append(data)
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data

    def has(self, tag: str, **attrs: str) -> bool:
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.tags)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_every_page_has_landmarks_one_h1_and_ordered_headings(site) -> None:
    _, output = site
    problems = []
    for path in html_pages(output):
        page, name = outline(path), path.relative_to(output).as_posix()
        for tag in ("header", "nav", "main", "footer"):
            if not page.has(tag):
                problems.append(f"{name}: no <{tag}>")
        if page.headings.count(1) != 1 or page.headings[0] != 1:
            problems.append(f"{name}: headings {page.headings} do not start with one h1")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{name}: h{before} is followed by h{after}")
        if not page.has("a", **{"class": "skip-link", "href": "#contenu"}):
            problems.append(f"{name}: no skip link to #contenu")
        if not page.has("main", id="contenu"):
            problems.append(f"{name}: <main> is not #contenu")
    assert not problems, "\n".join(problems)


def test_dates_are_time_elements_and_links_say_where_they_go(site) -> None:
    _, output = site
    problems = []
    vague = re.compile(r"^(lire la suite|en savoir plus|ici|cliquez ici|lire|suite|plus)$", re.I)
    month = (
        r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
    )
    for path in html_pages(output):
        page, name = outline(path), path.relative_to(output).as_posix()
        problems += [
            f"{name}: <time> without datetime" for t in page.times if not t.get("datetime")
        ]
        for words in page.links:
            text = " ".join("".join(words).split())
            if vague.match(text) or not text:
                problems.append(f"{name}: a link reads {text!r}")
        text = path.read_text(encoding="utf-8")
        bare = re.findall(rf"(?<!>)\b\d{{1,2}} {month} \d{{4}}(?!</time>)", text)
        if bare:
            problems.append(f"{name}: dates outside <time>: {bare[:3]}")
    assert not problems, "\n".join(problems)


def test_english_passages_are_marked(site) -> None:
    _, output = site
    english = [
        path
        for path in html_pages(output)
        if re.search(r"\b(the|and|with|our)\b.*\b(the|and|with|our)\b", _visible_text(path))
    ]
    for path in english:
        assert 'lang="en"' in path.read_text(encoding="utf-8"), path


def _visible_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", text, flags=re.S)
    text = re.sub(r'<[^>]+lang="en"[^>]*>.*?</(blockquote|p|article|div)>', " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def json_ld(page: Outline) -> list[dict]:
    return [json.loads(s) for s in page.scripts if s.strip().startswith("{")]


def test_sharing_tags_json_ld_and_feeds(site) -> None:
    base_url, output = site
    kinds = page_types(output)
    article = outline(output / kinds["article"] / "index.html")
    theme = outline(output / kinds["theme"] / "index.html")
    home = outline(output / "index.html")
    for page in (article, theme, home):
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.has("meta", property=prop), prop
        assert page.has("meta", name="twitter:card", content="summary")
        assert page.has("link", rel="alternate", type="application/atom+xml")
    assert article.has("meta", property="og:type", content="article")
    (news,) = json_ld(article)
    assert news["@type"] == "NewsArticle"
    assert news["mainEntityOfPage"] == base_url + kinds["article"]
    assert news["headline"] and news["datePublished"] and news["publisher"]["name"]
    (collection,) = json_ld(theme)
    assert collection["@type"] == "CollectionPage"
    items = collection["mainEntity"]["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["url"].startswith(base_url + "articles/") for item in items)
    feeds = [a["href"] for tag, a in theme.tags if tag == "link" and a.get("rel") == "alternate"]
    assert any(href.endswith(kinds["theme"] + "atom.xml") for href in feeds), feeds
    (website,) = json_ld(home)
    assert website["potentialAction"]["target"]["urlTemplate"].startswith(base_url + "recherche/")


def test_home_page_weighs_under_100_kb_without_scripts(site) -> None:
    _, output = site
    home = output / "index.html"
    css = sorted(output.glob("static/style.*.css"))
    weight = home.stat().st_size + sum(path.stat().st_size for path in css)
    assert weight < 100_000, f"home page and stylesheet weigh {weight} bytes"
    assert "<script src" not in home.read_text(encoding="utf-8")
    assert '<link rel="preload"' not in home.read_text(encoding="utf-8")


def test_home_page_shows_the_ten_newest_articles_of_each_theme(project, run_cli) -> None:
    for day in range(1, 13):
        project.article(
            f"2024-03-{day:02d}-a{day}", "themes: [competitors]\n", date=f"2024-03-{day:02d}"
        )
    assert run_cli(project, "build")[0] == 0
    home = (project.root / "_site" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<h3 class="entry-title"><a href="articles/a(\d+)/"', home)
    assert shown == [str(day) for day in range(12, 2, -1)]
    assert 'href="themes/concurrents/"' in home
