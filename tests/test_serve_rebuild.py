"""Incremental rebuilds: which outputs a change rewrites, and what is parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import edit, sample_project, write_article

from revue import reading
from revue.builder import build
from revue.config import load_config
from revue.serve import incremental
from revue.serve.changes import compare
from revue.serve.incremental import SourceCache, full_build, rebuild, search_index
from revue.serve.outputs import update_output


def site_pages(paths: tuple[str, ...]) -> tuple[str, ...]:
    """Paths outside the search index, whose files are named after their contents and so
    come and go with any change of content (revue/search.py)."""
    return tuple(path for path in paths if not path.startswith("pagefind/"))


def test_editing_an_article_body_rewrites_its_page_and_the_lists_showing_it(
    tmp_path: Path,
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    alpha = edit(root / "content/articles/2024-03-01-alpha.md", "Le texte", "Le nouveau texte")
    second = rebuild(root, None, first.cache, [alpha])
    changes = compare(first.built.files, second.built.files)
    lists = {
        "index.html",
        "atom.xml",
        "archives/2024/03/index.html",
        "themes/concurrents/index.html",
        "themes/concurrents/atom.xml",
    }
    assert {"articles/alpha/index.html", *lists} <= set(changes.written)
    others = {
        "articles/beta/index.html",
        "articles/gamma/index.html",
        "archives/2024/02/index.html",
    }
    assert not others & set(changes.written)
    assert "themes/inquietudes-des-metiers/index.html" not in changes.written
    assert site_pages(changes.removed) == ()
    assert set(changes.pages) == {p for p in changes.written if p.endswith(".html")}
    assert b"Le nouveau texte" in second.built.files["articles/alpha/index.html"]
    # comparing only the outputs rendered again finds the same changes
    assert compare(first.built.files, second.built.files, rendered=second.built.rendered) == changes


def test_renaming_an_article_removes_its_old_page(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    old = root / "content/articles/2024-03-01-alpha.md"
    new = old.with_name("2024-03-01-delta.md")
    old.rename(new)
    second = rebuild(root, None, first.cache, [old, new])
    changes = compare(first.built.files, second.built.files)
    assert site_pages(changes.removed) == ("articles/alpha/index.html",)
    assert "articles/delta/index.html" in changes.written
    assert {"index.html", "medias/le-monde/index.html", "sitemap.xml"} <= set(changes.written)
    assert "articles/beta/index.html" not in changes.written
    assert "medias/index.html" not in changes.written  # the same outlets, the same counts
    assert "articles/alpha/index.html" in changes.pages  # its open tab reloads to the 404


def test_adding_and_deleting_articles_update_the_lists(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    added = write_article(
        root, "2024-04-01-epsilon", "Epsilon", "Un texte d’avril.", date="2024-04-01"
    )
    second = rebuild(root, None, first.cache, [added])
    changes = compare(first.built.files, second.built.files)
    assert {"articles/epsilon/index.html", "archives/2024/04/index.html"} <= set(changes.written)
    assert {"index.html", "archives/index.html", "sitemap.xml"} <= set(changes.written)
    added.unlink()
    gamma = root / "content/articles/2024-02-03-gamma.md"
    gamma.unlink()
    third = rebuild(root, None, second.cache, [added, gamma])
    changes = compare(second.built.files, third.built.files)
    assert compare(second.built.files, third.built.files, rendered=third.built.rendered) == changes
    assert set(site_pages(changes.removed)) == {
        "articles/epsilon/index.html",
        "articles/gamma/index.html",
        "archives/2024/04/index.html",
        "archives/2024/02/index.html",
    }
    assert third.built.files == full_build(root, None).built.files


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the preview note the path of each article file it parses."""
    parsed: list[str] = []
    real = incremental.parse_article

    def counting(shown, data, config):
        parsed.append(shown)
        return real(shown, data, config)

    monkeypatch.setattr(incremental, "parse_article", counting)
    return parsed


def test_only_changed_articles_are_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    parsed = count_parses(monkeypatch)
    beta = edit(root / "content/articles/2024-03-02-beta.md", "Le texte", "Un texte")
    second = rebuild(root, None, first.cache, [beta])
    assert parsed == ["content/articles/2024-03-02-beta.md"]
    alpha = "content/articles/2024-03-01-alpha.md"
    assert second.cache.articles[alpha] is first.cache.articles[alpha]
    parsed.clear()
    rebuild(root, None, second.cache, [beta])  # saved again, same bytes
    assert parsed == []
    edit(root / "site.toml", 'title = "', 'title = "Nouveau titre : ')
    rebuild(root, None, second.cache, [root / "site.toml"])
    assert len(parsed) == 3  # a new config: everything is checked again


def test_a_first_build_takes_the_articles_the_build_command_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    uncached = full_build(root, "http://127.0.0.1:8000/").built.files
    build(load_config(root), root / "_site")  # published under site.toml's base_url
    parsed = count_parses(monkeypatch)
    beta = edit(root / "content/articles/2024-03-02-beta.md", "Le texte", "Un texte")
    first = full_build(root, "http://127.0.0.1:8000/")
    assert parsed == ["content/articles/2024-03-02-beta.md"]  # edited after that build
    edit(beta, "Un texte", "Le texte")
    assert full_build(root, "http://127.0.0.1:8000/").built.files == uncached
    assert len(parsed) == 1
    # a config the build command never built under: every article is parsed
    config = edit(root / "site.toml", 'title = "', 'title = "Nouveau : ')
    rebuild(root, None, first.cache, [config])
    assert len(parsed) == 1 + 3


def test_the_articles_a_first_build_parsed_are_kept_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None).built.files
    monkeypatch.setattr(incremental, "parse_article", None)  # parsing would fail now
    monkeypatch.setattr(reading, "read_file", None)
    assert full_build(root, None).built.files == first
    assert build(load_config(root), root / "_site").articles == 3


def test_a_stylesheet_change_swaps_it_instead_of_reloading_pages(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    css = root / "static" / "style.css"
    css.write_text(css.read_text() + "\nbody { color: red; }\n")
    second = rebuild(root, None, first.cache, [css])
    changes = compare(
        first.built.files, second.built.files, first.built.manifest, second.built.manifest
    )
    old, new = first.built.manifest["style.css"], second.built.manifest["style.css"]
    assert changes.stylesheets == ((old, new),)
    assert changes.removed == (old,)
    assert "index.html" in changes.written and changes.pages == ()


def test_a_failed_rebuild_keeps_the_changes_it_read(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    alpha = edit(root / "content/articles/2024-03-01-alpha.md", "title: Alpha", "title: [Alpha")
    failed = rebuild(root, None, first.cache, [alpha])
    assert failed.built is None
    assert [str(e) for e in failed.errors] == [
        "content/articles/2024-03-01-alpha.md:2: broken YAML in the frontmatter: "
        "expected ',' or ']', but got ':' (check quotes, colons and indentation)"
    ]
    beta = edit(root / "content/articles/2024-03-02-beta.md", "Le texte", "Un texte")
    still = rebuild(root, None, failed.cache, [beta])
    assert still.built is None
    edit(alpha, "title: [Alpha", "title: Alpha")
    fixed = rebuild(root, None, still.cache, [alpha])
    assert b"Un texte de Beta" in fixed.built.files["articles/beta/index.html"]


def test_the_output_folder_follows_the_changes(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    (output / "articles/old").mkdir(parents=True)
    (output / "articles/old/index.html").write_text("old")
    (output / "index.html").write_text("home")
    files = {"index.html": b"new home", "articles/new/index.html": b"new"}
    update_output(
        output, files, ["index.html", "articles/new/index.html"], ["articles/old/index.html"]
    )
    assert (output / "index.html").read_bytes() == b"new home"
    assert (output / "articles/new/index.html").read_bytes() == b"new"
    assert not (output / "articles/old").exists()
    assert sorted(p.name for p in output.rglob("*")) == [
        "articles",
        "index.html",
        "index.html",
        "new",
    ]
    with pytest.raises(ValueError):
        update_output(output, {"../x": b""}, ["../x"], [])


def test_a_template_error_names_the_template_and_a_fix_rebuilds_everything(
    tmp_path: Path,
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    base = root / "templates" / "base.html"
    good = base.read_text(encoding="utf-8")
    base.write_text(good.replace("<main", "{% if %}<main"), encoding="utf-8")
    failed = rebuild(root, None, first.cache, [base])
    assert failed.built is None
    line = good[: good.index("<main")].count("\n") + 1
    assert [str(e) for e in failed.errors] == [
        f"templates/base.html:{line}: template syntax error: Expected an expression, got 'end of "
        "statement block'"
    ]
    base.write_text(good.replace("<main", "<main data-x"), encoding="utf-8")
    fixed = rebuild(root, None, failed.cache, [base])
    changes = compare(first.built.files, fixed.built.files)
    pages = {name for name in first.built.files if name.endswith(".html")}
    assert set(changes.pages) == pages  # every page uses base.html


def test_only_the_outputs_whose_key_changed_are_rendered_again(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    assert len(first.built.rendered) == len(first.built.files)
    gamma = edit(root / "content/articles/2024-02-03-gamma.md", "Le texte", "Le nouveau texte")
    second = rebuild(root, None, first.cache, [gamma])
    index = {n for n in second.built.rendered if n.startswith("pagefind/")}
    # the search index's files (revue/search.py): made again exactly when their bytes change
    assert index == {
        n
        for n, data in second.built.files.items()
        if n.startswith("pagefind/") and first.built.files.get(n) != data
    }
    assert index
    assert set(second.built.rendered) - index == {
        "articles/gamma/index.html",
        "index.html",
        "atom.xml",
        "archives/2024/02/index.html",
        "medias/le-monde/index.html",
        "themes/inquietudes-des-metiers/index.html",
        "themes/inquietudes-des-metiers/atom.xml",
    }
    third = rebuild(root, None, second.cache, [gamma])  # saved again, same bytes
    assert third.built.rendered == ()


def test_a_template_edit_renders_only_the_pages_that_use_it(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    month = edit(root / "templates/month.html", "{% block main %}", "{% block main %}<!-- m -->")
    second = rebuild(root, None, first.cache, [month])
    assert second.built.rendered == ("archives/2024/02/index.html", "archives/2024/03/index.html")
    entry = root / "templates/partials/entry.html"
    entry.write_text(entry.read_text() + "{# a comment #}\n")
    third = rebuild(root, None, second.cache, [entry])
    users = {"index.html", "archives/2024/02/index.html", "archives/2024/03/index.html"}
    assert users <= set(third.built.rendered)
    assert "articles/alpha/index.html" not in third.built.rendered
    assert third.built.files == full_build(root, None).built.files


def test_a_config_edit_renders_every_page(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    config = edit(root / "site.toml", 'title = "', 'title = "Nouveau : ')
    second = rebuild(root, None, first.cache, [config])
    pages = {name for name in first.built.files if not name.startswith(("static/", "pagefind/"))}
    # the search index holds no site title: its files stay as they were
    assert set(second.built.rendered) == pages - {".nojekyll"}


def test_the_search_index_can_come_apart_from_the_pages(tmp_path: Path) -> None:
    root = sample_project(tmp_path / "project")
    whole = full_build(root, None)
    first = rebuild(root, None, SourceCache(), (), index=False)
    index = search_index(first.built)
    assert {**first.built.files, **index} == whole.built.files
    assert index and all(n.startswith("pagefind/") for n in index)
    assert not any(name.startswith("pagefind/") for name in first.built.files)
    gamma = edit(root / "content/articles/2024-02-03-gamma.md", "Le texte", "Le nouveau texte")
    second = rebuild(root, None, first.cache, [gamma], index=False)
    changed = {n for n, data in search_index(second.built).items() if index.get(n) != data}
    assert changed and all(n.startswith("pagefind/") for n in changed)
    rebuilt = {**second.built.files, **search_index(second.built)}
    assert rebuilt == full_build(root, None).built.files


def test_the_articles_folder_is_listed_again_only_when_files_come_or_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    listed: list[int] = []
    real = incremental.article_paths

    def counting(config):
        listed.append(1)
        return real(config)

    monkeypatch.setattr(incremental, "article_paths", counting)
    beta = edit(root / "content/articles/2024-03-02-beta.md", "Le texte", "Un texte")
    month = edit(root / "templates/month.html", "{% block main %}", "{% block main %}<!-- m -->")
    second = rebuild(root, None, first.cache, [beta, month])
    assert listed == []
    assert list(second.cache.articles) == list(first.cache.articles)
    assert b"Un texte de Beta" in second.built.files["articles/beta/index.html"]
    added = write_article(root, "2024-03-05-delta", "Delta", "Un texte.", date="2024-03-05")
    third = rebuild(root, None, second.cache, [added])
    assert listed == [1] and "articles/delta/index.html" in third.built.files
    added.unlink()
    fourth = rebuild(root, None, third.cache, [added])
    assert listed == [1, 1] and "articles/delta/index.html" not in fourth.built.files
    assert list(fourth.cache.articles) == list(first.cache.articles)


def test_an_article_saved_unchanged_gives_the_last_build_without_planning_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_project(tmp_path / "project")
    first = full_build(root, None)
    planned: list[int] = []
    real = incremental.plan_site

    def counting(*args):
        planned.append(1)
        return real(*args)

    monkeypatch.setattr(incremental, "plan_site", counting)
    alpha = root / "content/articles/2024-03-01-alpha.md"
    alpha.write_bytes(alpha.read_bytes())
    again = rebuild(root, None, first.cache, [alpha])
    assert planned == [] and again.built.files == first.built.files
    assert again.built.plan is first.built.plan and again.built.rendered == ()
    # After a failed attempt the articles are no longer those of the last good build.
    base = edit(root / "templates/base.html", "<main", "{% if %}<main")
    edit(alpha, "Le texte", "Le nouveau texte")
    failed = rebuild(root, None, again.cache, [base, alpha])
    assert failed.built is None and planned == [1]
    still = rebuild(root, None, failed.cache, [alpha])  # saved again: the template is broken
    assert still.built is None and planned == [1, 1]
