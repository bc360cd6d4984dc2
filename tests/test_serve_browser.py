"""The live preview in a real browser (headless Chromium): edits show up by themselves.

One browser for the module; each test gets a fresh project, server and browser context.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, edit, new_project, preview, write_article

SUBPATH = "https://user.github.io/revue/"
WAIT = 10_000  # ms: a rebuild of these small sites takes a fraction of a second
OVERLAY = "#revue-erreurs"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(WAIT)
    yield context
    context.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = new_project(tmp_path / "project")
    write_article(root, "2024-03-25-alpha", "Alpha", "Premier texte sur Alpha.")
    write_article(root, "2024-03-24-beta", "Beta", "Premier texte sur Beta.")
    return root


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    edit(root / relative, old, new)


def _open(context, url: str):
    """A new tab on `url`, marked with a window variable that a reload would clear and a
    body attribute that an update in place would clear too."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("window.notReloaded = true; document.body.dataset.old = 'yes'")
    return page


def _reloaded(page) -> bool:
    return page.evaluate("window.notReloaded !== true")


def _updated(page) -> bool:
    """Whether the page was reloaded or its content replaced in place."""
    return page.evaluate("document.body.dataset.old !== 'yes'")


def _shows(page, text: str) -> None:
    """Wait until the page's main content shows `text`."""
    page.wait_for_function(
        "text => document.querySelector('main').innerText.includes(text)", arg=text
    )


def _news(page, number: int) -> None:
    """Wait until the tab has handled the news numbered `number` or later."""
    page.wait_for_function(f"window.__revue && window.__revue.news >= {number}")


ALPHA = "content/articles/2024-03-25-alpha.md"


def test_an_edited_article_shows_without_touching_the_browser(context, root: Path) -> None:
    with preview(root) as server:
        page = _open(context, server.url + "articles/alpha/")
        assert "Premier texte sur Alpha" in page.inner_text("main")
        _edit(root, ALPHA, "Premier texte", "Texte corrigé")
        _shows(page, "Texte corrigé sur Alpha")
        assert _updated(page) and not _reloaded(page)  # updated in place


def test_a_broken_file_shows_an_overlay_until_it_is_fixed(context, root: Path) -> None:
    with preview(root) as server:
        page = _open(context, server.url + "articles/alpha/")
        missing = _open(context, server.url + "nulle-part/")
        assert missing.title().startswith("Page introuvable")
        _edit(root, ALPHA, "title: Alpha", "title: [Alpha")
        for tab in (page, missing):
            overlay = tab.locator(OVERLAY)
            overlay.wait_for()
            assert overlay.locator("h2").inner_text() == "Erreur de construction"
            assert overlay.locator("pre").inner_text() == (
                f"{ALPHA}:2: broken YAML in the frontmatter: expected ',' or ']', "
                "but got ':' (check quotes, colons and indentation)"
            )
        assert "Premier texte sur Alpha" in page.inner_text("main")  # the last good site
        _edit(root, ALPHA, "title: [Alpha", "title: Alpha")
        for tab in (page, missing):
            tab.locator(OVERLAY).wait_for(state="detached")
            assert not _updated(tab)  # the site came back identical: nothing to update


def test_a_stylesheet_change_applies_without_reloading(context, root: Path) -> None:
    with preview(root) as server:
        page = _open(context, server.url)
        old = page.get_attribute('link[rel="stylesheet"]', "href")
        css = root / "static" / "style.css"
        css.write_text(css.read_text() + "\nbody { background-color: rgb(1, 2, 3) !important; }\n")
        page.wait_for_function("getComputedStyle(document.body).backgroundColor == 'rgb(1, 2, 3)'")
        links = page.locator('link[rel="stylesheet"]')
        assert links.count() == 1 and links.get_attribute("href") != old
        assert not _updated(page)


def test_only_the_tab_whose_page_changed_reloads(context, root: Path) -> None:
    with preview(root) as server:
        alpha = _open(context, server.url + "articles/alpha/")
        # More tabs than the six connections a browser opens to a server over HTTP/1.1:
        # the tabs share one event stream, so none of them waits for a free connection.
        others = [_open(context, server.url + "articles/beta/") for _ in range(7)]
        number = others[-1].evaluate("window.__revue.news")
        _edit(root, ALPHA, "Premier texte", "Texte corrigé")
        _shows(alpha, "Texte corrigé sur Alpha")
        assert _updated(alpha)
        for tab in others:
            _news(tab, number + 1)
            assert not _updated(tab)


def test_under_a_subpath(context, root: Path) -> None:
    with preview(root, SUBPATH) as server:
        assert server.url.endswith("/revue/")
        page = context.new_page()
        page.goto(server.url.removesuffix("revue/"))
        assert page.url == server.url
        page = _open(context, server.url + "articles/alpha/")
        other = _open(context, server.url + "articles/beta/")
        missing = _open(context, server.url + "absente")
        _edit(root, ALPHA, "Premier texte", "Texte corrigé")
        _shows(page, "Texte corrigé sur Alpha")
        assert _updated(page) and not _reloaded(page)
        assert not _updated(other)
        _edit(root, ALPHA, "title: Alpha", "title: [Alpha")
        missing.locator(OVERLAY).wait_for()
        other.locator(OVERLAY).wait_for()
        _edit(root, ALPHA, "title: [Alpha", "title: Alpha")
        other.locator(OVERLAY).wait_for(state="detached")
        css = root / "static" / "style.css"
        css.write_text(css.read_text() + "\nbody { background-color: rgb(4, 5, 6); }\n")
        other.wait_for_function("getComputedStyle(document.body).backgroundColor == 'rgb(4, 5, 6)'")
        href = other.get_attribute('link[rel="stylesheet"]', "href")
        assert href == "/revue/" + server.good.manifest["style.css"]
        assert not _updated(other)


def test_an_update_in_place_keeps_the_scroll_position_and_the_new_title(
    context, root: Path
) -> None:
    long = "\n\n".join(f"Paragraphe {n} sur Alpha, assez long pour défiler." for n in range(200))
    write_article(root, "2024-03-25-alpha", "Alpha", long)
    with preview(root) as server:
        page = _open(context, server.url + "articles/alpha/")
        page.evaluate("window.scrollTo(0, 3000)")
        _edit(root, ALPHA, "Paragraphe 0 sur", "Premier paragraphe sur")
        _edit(root, ALPHA, "title: Alpha", "title: Alpha modifié")
        _shows(page, "Premier paragraphe sur Alpha")
        page.wait_for_function("document.title.startsWith('Alpha modifié')")
        assert _updated(page) and not _reloaded(page)
        assert page.evaluate("window.scrollY") == 3000
        assert page.locator("head title").count() == 1
        assert page.locator("script[data-revue]").count() == 0  # the running one was replaced


def test_a_page_with_scripts_of_its_own_reloads(context, root: Path) -> None:
    with preview(root) as server:
        page = _open(context, server.url + "recherche/")
        assert page.locator("#media option", has_text="Télérama").count() == 0
        write_article(root, "2024-03-26-gamma", "Gamma", "Un texte.", "", "2024-03-26")
        _edit(root, "content/articles/2024-03-26-gamma.md", "Le Monde", "Télérama")
        page.locator("#media option", has_text="Télérama").wait_for(state="attached")
        assert _reloaded(page)  # so that the search script runs on the new page
