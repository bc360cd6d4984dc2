"""Long lists (theme pages, monthly archives, outlet pages) cut into pages of `page_size`
articles, and what one edit changes among those pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import Project
from crawl import crawl, page_urls, serve

from revue.builder import build
from revue.config import article_names, load_config
from revue.errors import BuildError
from revue.keys import read_inputs
from revue.pipeline import plan_site, read_source, valid_articles


def small_pages(project: Project, size: int = 2) -> None:
    """Set `page_size` in the project's site.toml."""
    config = project.root / "site.toml"
    text = re.sub(r"(?m)^page_size = \d+$", f"page_size = {size}", config.read_text())
    assert f"page_size = {size}" in text
    config.write_text(text)


def five_articles(project: Project) -> None:
    """Five articles of one theme, month and outlet, newest first: e, d, c, b, a."""
    for day, name in enumerate("abcde", start=1):
        project.article(
            name, "themes: [competitors]\n", title=f"Article {name}", date=f"2024-03-{day:02d}"
        )


def cards(html: str) -> list[str]:
    """The titles of the entry cards of a page, in order."""
    return re.findall(r'class="entry-title"><a href="[^"]*">Article (\w)</a>', html)


def read(output: Path, url: str) -> str:
    return (output / url / "index.html").read_text(encoding="utf-8")


def test_long_lists_are_cut_into_linked_pages(project: Project) -> None:
    small_pages(project)
    five_articles(project)
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    theme = "themes/concurrents/"
    assert [cards(read(output, theme + p)) for p in ("", "page/2/", "page/3/")] == [
        ["e", "d"],
        ["c", "b"],
        ["a"],
    ]
    assert not (output / theme / "page/4").exists() and not (output / theme / "page/1").exists()
    second = read(output, theme + "page/2/")
    assert "Page 2 sur 3" in second
    up = "../../../../"  # links are relative to the page
    assert f'<link rel="prev" href="{up}themes/concurrents/">' in second
    assert f'<link rel="next" href="{up}themes/concurrents/page/3/">' in second
    assert f'<a href="{up}themes/concurrents/" rel="prev">← Articles plus récents</a>' in second
    assert "<title>Concurrents — page 2 sur 3 — " in second
    canonical = "https://example.github.io/revue/themes/concurrents/page/2/"
    assert f'<link rel="canonical" href="{canonical}">' in second
    script = re.search(r'<script type="application/ld\+json">\n(.*CollectionPage.*)\n', second)
    ld = json.loads(script.group(1))
    items = ld["mainEntity"]["itemListElement"]
    assert ld["mainEntity"]["numberOfItems"] == 5
    assert [(i["position"], i["name"]) for i in items] == [(3, "Article c"), (4, "Article b")]
    first = read(output, theme)
    assert "5 articles, page 1 sur 3" in first and 'rel="prev"' not in first
    last = read(output, theme + "page/3/")
    assert "Première page" in last and 'rel="next"' not in last and "Dernière page" not in last
    month = "archives/2024/03/"
    assert [cards(read(output, month + p)) for p in ("", "page/2/", "page/3/")] == [
        ["e", "d"],
        ["c", "b"],
        ["a"],
    ]
    outlet = "medias/le-monde/"
    assert cards(read(output, outlet + "page/3/")) == ["a"]
    medias = read(output, "medias/")
    assert '<a href="../medias/le-monde/">Le Monde</a> (5 articles)' in medias
    assert '<a href="../archives/2024/03/">Mars 2024</a> (5 articles)' in read(output, "archives/")
    sitemap = (output / "sitemap.xml").read_text()
    assert "themes/concurrents/page/3/</loc>" in sitemap and "medias/le-monde/page/2/" in sitemap


def test_every_link_between_pages_works_under_a_subpath(project: Project) -> None:
    small_pages(project)
    five_articles(project)
    project.article("f", title="Article f", date="2024-01", source="Libération")
    output = project.root / "_site"
    with serve(output, "/revue/") as base_url:
        config = load_config(project.root).with_base_url(base_url)
        build(config, output, jobs=1)
        result = crawl([base_url], base_url)
        assert not result.broken, result.report()
        # every page is reached by links (the search page, by the search form)
        assert set(result.html_pages) >= page_urls(output, base_url) - {base_url + "recherche/"}


def test_outlets_of_the_same_slug_get_distinct_pages(project: Project) -> None:
    project.article("a", title="Article a", source="Le Monde")
    project.article("b", title="Article b", source="LE MONDE")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    pages = [cards(read(output, url)) for url in ("medias/le-monde/", "medias/le-monde-2/")]
    assert pages == [["b"], ["a"]]  # in name order: "LE MONDE" < "Le Monde"


@pytest.mark.parametrize("value", ["0", "-3", '"30"', "2.5"])
def test_a_bad_page_size_is_reported(project: Project, value: str) -> None:
    config = project.root / "site.toml"
    config.write_text(re.sub(r"(?m)^page_size = \d+$", f"page_size = {value}", config.read_text()))
    with pytest.raises(BuildError) as caught:
        load_config(project.root)
    assert str(caught.value.errors[0]) == (
        "site.toml:3: [site] page_size must be a whole number of at least 1 (e.g. 30)"
    )


def changed_outputs(project: Project, edit) -> set[str]:
    """The outputs whose key changes when `edit()` is applied to the project."""

    def keys() -> dict[str, str]:
        config = load_config(project.root)
        sources = {
            shown: read_source(shown, (project.root / shown).read_bytes(), config)
            for shown in article_names(config)
        }
        articles, errors = valid_articles(sources)
        assert not errors
        return dict(plan_site(config, articles, sources, read_inputs(config, "code")).keys)

    before = keys()
    edit()
    after = keys()
    return {o for o in before.keys() | after.keys() if before.get(o) != after.get(o)}


def test_one_edit_changes_only_the_pages_that_show_the_article(project: Project) -> None:
    small_pages(project)
    five_articles(project)
    path = project.root / "content" / "articles" / "c.md"

    def retitle() -> None:
        path.write_text(path.read_text().replace("title: Article c", "title: Article cc"))

    assert changed_outputs(project, retitle) == {
        "articles/c/index.html",
        "index.html",  # the newest articles of each theme
        "atom.xml",
        "themes/concurrents/atom.xml",
        "themes/concurrents/page/2/index.html",
        "archives/2024/03/page/2/index.html",
        "medias/le-monde/page/2/index.html",
    }

    def add() -> None:
        project.article("z", "themes: [competitors]\n", title="Article z", date="2024-02-01")

    added = changed_outputs(project, add)
    # An older article: every page of its lists changes (the totals), the new pages appear,
    # the indexes count it; the pages of other lists do not change.
    assert {
        "articles/z/index.html",
        "themes/concurrents/index.html",
        "themes/concurrents/page/3/index.html",
        "archives/index.html",
        "archives/2024/02/index.html",
        "medias/index.html",
        "medias/le-monde/page/3/index.html",
        "sitemap.xml",
    } <= added
    assert not any(o.startswith("archives/2024/03/") for o in added)
