"""The search page in headless Chromium, on a small site served under /revue/ as GitHub
Pages serves a project site: typed queries, accents, stems, filters, sort, links."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import REPO, chromium, new_project
from conftest import Project
from crawl import serve
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from revue.config import load_config
from revue.content import load_articles
from revue.model import build_site
from revue.search import search_files

ARTICLES = {
    "2024-03-01-equipement": dict(
        title="Un équipement révolutionnaire pour les tournages",
        date="2024-03-01",
        source="Le Monde",
        front="""\
            themes: [competitors]
            summary: "Le nouvel équipement de tournage concurrence Sora."
            excerpt: "Nous avons vu l’équipement fonctionner sur un plateau."
            """,
        body="Un mot confidentiel qui n’est jamais publié.\n",
    ),
    "2024-03-02-studio": dict(
        title="Le studio Pixar rencontre OpenAI",
        date="2024-03-02",
        source="Libération",
        front="""\
            themes: [studio-outreach]
            summary: "Une rencontre entre le studio et OpenAI sur le doublage."
            excerpt: "Le studio a vu une démonstration."
            """,
    ),
    "2024-03-03-doublage": dict(
        title="Le doublage face à l’intelligence artificielle",
        date="2024-03-03",
        source="Le Monde",
        front="""\
            themes: [labor-worries]
            summary: "Les comédiens du doublage s’inquiètent : le doublage automatique arrive."
            excerpt: "Le doublage est un métier."
            """,
    ),
    "2024-03-04-piege": dict(
        title="<img src=x onerror=alert(1)> Titre piégé",
        date="2024-03-04",
        source="Numerama",
        front="""\
            themes: [competitors]
            summary: "Un résumé avec <script>alert(2)</script> du balisage."
            excerpt: "Un extrait."
            """,
    ),
}


@pytest.fixture(scope="module", params=[None, 2], ids=["one-bundle", "a-bundle-per-article"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The little site built for, and served at, http://127.0.0.1:PORT/revue/: with the
    index as the build makes it (one bundle), then split into one bundle per article."""
    root = tmp_path_factory.mktemp("search") / "project"
    project = Project(new_project(root))
    for name, fields in ARTICLES.items():
        project.article(name, **fields)
    output = root / "_site"
    with serve(output, "/revue/") as base_url:
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "build", "--base-url", base_url],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        if request.param:
            write_index(root, output, request.param)
        yield base_url


def write_index(root: Path, output: Path, shard_size: int) -> None:
    """Replace the site's search index by one split in shards of about `shard_size`."""
    config = load_config(root)
    articles, errors = load_articles(config)
    assert not errors
    files = search_files(build_site(articles, config), config, shard_size=shard_size)
    assert len(json.loads(files["pagefind/shards.json"])) == len(ARTICLES)
    shutil.rmtree(output / "pagefind")
    for name, data in files.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


def open_search(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.errors = errors
    return page


def titles(page) -> list[str]:
    return page.locator("#resultats h2").all_inner_texts()


def wait_for_status(page, text: str) -> None:
    """Wait until the status line (role=status) says `text`; fail showing what it says."""
    try:
        page.wait_for_function(
            "text => document.getElementById('statut').textContent.includes(text)",
            arg=text,
            timeout=15000,
        )
    except PlaywrightTimeout:
        shown = page.locator("#statut").inner_text()
        pytest.fail(f"status is {shown!r}, not {text!r}; results: {titles(page)}")


def test_typed_query_puts_the_expected_article_first(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/")
    page.fill("#q", "doublage")
    wait_for_status(page, "2 articles trouvés pour «\u202fdoublage\u202f»")
    assert titles(page)[0] == "Le doublage face à l’intelligence artificielle"
    excerpt = page.locator("#resultats .search-excerpt mark").first.inner_text()
    assert excerpt.lower().startswith("doublage")
    assert page.url.endswith("/revue/recherche/?q=doublage")
    assert not page.errors


def test_a_query_without_accents_finds_accented_words(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=equipement")
    wait_for_status(page, "1 article trouvé")
    assert titles(page) == ["Un équipement révolutionnaire pour les tournages"]


def test_a_plural_finds_the_singular(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=studios")
    wait_for_status(page, "trouvé")
    assert "Le studio Pixar rencontre OpenAI" in titles(page)


def test_unpublished_text_is_not_found(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=confidentiel")
    wait_for_status(page, "Aucun article trouvé pour «\u202fconfidentiel\u202f».")
    assert titles(page) == []


def test_filter_by_theme_and_sort_by_date(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/")
    page.select_option("#theme", "concurrents")
    wait_for_status(page, "2 articles trouvés.")
    assert titles(page) == [
        "<img src=x onerror=alert(1)> Titre piégé",
        "Un équipement révolutionnaire pour les tournages",
    ]
    assert page.url.endswith("/revue/recherche/?theme=concurrents")
    page.select_option("#tri", "ancien")
    page.wait_for_function(
        "() => document.querySelector('#resultats h2')?.textContent.startsWith('Un équipement')"
    )
    page.fill("#q", "doublage")
    wait_for_status(page, "Aucun article trouvé pour «\u202fdoublage\u202f».")


def test_filter_by_outlet(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=doublage&media=Libération")
    wait_for_status(page, "1 article trouvé")
    assert titles(page) == ["Le studio Pixar rencontre OpenAI"]
    assert page.locator("#media").input_value() == "Libération"


def test_results_show_outlet_and_french_date_and_link_under_the_subpath(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=pixar")
    wait_for_status(page, "1 article trouvé")
    result = page.locator("#resultats article").first
    assert result.locator(".outlet").inner_text() == "Libération"
    assert result.locator("time").get_attribute("datetime") == "2024-03-02"
    assert result.locator("time").inner_text() == "2 mars 2024"
    result.locator("h2 a").click()
    page.wait_for_url("**/revue/articles/studio/")
    assert page.locator("h1").inner_text() == "Le studio Pixar rencontre OpenAI"


def test_the_header_box_leads_to_results(browser, site: str) -> None:
    page = open_search(browser, site + "articles/doublage/")
    page.fill("#recherche-site", "tournages")
    page.press("#recherche-site", "Enter")
    page.wait_for_url("**/revue/recherche/?q=tournages")
    wait_for_status(page, "1 article trouvé")
    assert titles(page) == ["Un équipement révolutionnaire pour les tournages"]


def test_markup_in_content_stays_text(browser, site: str) -> None:
    page = open_search(browser, site + "recherche/?q=piégé")
    wait_for_status(page, "1 article trouvé")
    assert page.locator("#resultats img, #resultats script").count() == 0
    assert not page.errors


def test_an_outlet_across_bundles_sorted_by_date_both_ways(browser, site: str) -> None:
    # The oldest article is in the bundle at pagefind/, the other in a merged one when
    # there is a bundle per article.
    newest_first = [
        "Le doublage face à l’intelligence artificielle",
        "Un équipement révolutionnaire pour les tournages",
    ]
    page = open_search(browser, site + "recherche/?media=Le Monde")
    wait_for_status(page, "2 articles trouvés.")
    assert titles(page) == newest_first
    page.select_option("#tri", "ancien")
    page.wait_for_function(
        "() => document.querySelector('#resultats h2')?.textContent.startsWith('Un équipement')"
    )
    assert titles(page) == newest_first[::-1]
    assert not page.errors
