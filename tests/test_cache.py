"""The build cache: a cached build and a clean build give byte-identical sites, whatever the
sequence of edits; killed builds leave the previous site; no-change builds write nothing."""

from __future__ import annotations

import gc
import os
import pickle
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, Project

from revue import builder
from revue.assets import fingerprint
from revue.builder import build
from revue.cache import CACHE_DIR, load_table
from revue.config import article_names, load_config
from revue.content import article_paths, load_articles
from revue.dates import ArticleDate
from revue.errors import BuildError
from revue.keys import (
    LIBRARIES,
    config_digest,
    context_digest,
    installed_version,
    read_inputs,
    reading_digest,
    sha,
    template_digests,
)
from revue.model import build_site
from revue.output import read_static
from revue.pipeline import Source, build_files, plan_site, read_source, valid_articles
from revue.prior import load_prior
from revue.render import make_renderer, render_page
from revue.serve.incremental import SourceCache, rebuild

WORDS = [
    "studio",
    "syndicat",
    "Sora",
    "Hollywood",
    "doublage",
    "cinéma",
    "emploi",
    "régulation",
    "concurrence",
]
THEMES = ("studio-outreach", "labor-worries", "competitors")


def clean_site(root: Path) -> dict[str, bytes]:
    """The site built from scratch in memory, without any cache."""
    config = load_config(root)
    articles, errors = load_articles(config)
    assert not errors
    return build_files(config, articles)[0]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, `{relative posix path: bytes}`."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def random_article(project: Project, rng: random.Random, name: str) -> Path:
    """An article with random title, date, outlet, themes and body."""
    themes = rng.sample(THEMES, rng.randint(0, 2))
    front = f"themes: [{', '.join(themes)}]\n" if themes else ""
    if rng.random() < 0.3:
        front += "tags: [a, b]\n"
    if rng.random() < 0.3:
        front += "full_text: true\n"
    body = "\n\n".join(
        " ".join(rng.choices(WORDS, k=rng.randint(5, 12))).capitalize() + "."
        for _ in range(rng.randint(1, 3))
    )
    month, day = rng.randint(1, 4), rng.randint(1, 28)
    return project.article(
        name,
        front,
        body + "\n",
        title=f"Titre {rng.choice(WORDS)} {name}",
        date=rng.choice((f"2024-{month:02d}-{day:02d}", f"2024-{month:02d}-{day:02d}T10:20:00Z")),
        source=rng.choice(("Le Monde", "Libération", "Les Échos")),
    )


def random_edit(project: Project, rng: random.Random, step: int) -> str:
    """Apply one random change to the project's sources; return what it was."""
    root = project.root
    articles = sorted((root / "content" / "articles").glob("*.md"))
    kind = rng.choice(
        ("edit", "edit", "add", "rename", "delete", "template", "config", "static", "none")
    )
    if kind == "edit" and articles:
        path = rng.choice(articles)
        path.write_text(path.read_text() + f"\nAjout {rng.choice(WORDS)} {step}.\n")
    elif kind == "add" or not articles:
        random_article(project, rng, f"nouvel-article-{step}")
    elif kind == "rename":
        path = rng.choice(articles)
        path.rename(path.with_name(f"renomme-{step}.md"))
    elif kind == "delete" and len(articles) > 1:
        rng.choice(articles).unlink()
    elif kind == "template":
        base = root / "templates" / rng.choice(("base.html", "partials/entry.html"))
        base.write_text(base.read_text() + f"{{# {step} #}}\n<!-- {step} -->\n")
    elif kind == "config":
        config = root / "site.toml"
        config.write_text(config.read_text().replace('title = "', f'title = "{step} ', 1))
    elif kind == "static":
        css = root / "static" / "style.css"
        css.write_text(css.read_text() + f"\n/* {step} */\n")
    return kind


@pytest.mark.parametrize(("seed", "stream_from"), [(1, 500), (2, 1)])
def test_cached_builds_match_clean_builds_after_random_edits(
    project: Project, seed: int, stream_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder, "STREAM_FROM", stream_from)  # 1: files written as rendered
    config = project.root / "site.toml"  # two articles a page: edits move pages' boundaries
    config.write_text(config.read_text().replace("page_size = 30", "page_size = 2"))
    assert "page_size = 2" in config.read_text()
    rng = random.Random(seed)
    for index in range(6):
        random_article(project, rng, f"article-{index}")
    output = project.root / "_site"
    serve_cache = SourceCache()
    for step in range(10):
        kind = random_edit(project, rng, step)
        config = load_config(project.root)
        build(config, output, jobs=1)
        expected = clean_site(project.root)
        assert tree(output) == expected, f"step {step}: {kind}"
        attempt = rebuild(project.root, None, serve_cache, [project.root])
        assert attempt.built is not None and dict(attempt.built.files) == expected, kind
        serve_cache = attempt.cache


def test_a_no_change_build_writes_nothing(project: Project) -> None:
    project.article("2024-03-01-alpha", "themes: [competitors]\n")
    project.article("2024-03-02-beta", title="Beta")
    config = load_config(project.root)
    output = project.root / "_site"
    first = build(config, output, jobs=1)
    inodes = {p: p.stat().st_ino for p in output.rglob("*")}
    second = build(config, output, jobs=1)
    assert (second.rendered, second.written, second.removed) == (0, 0, 0)
    assert {p: p.stat().st_ino for p in output.rglob("*")} == inodes
    assert second.files == first.files


def test_one_edit_renders_only_the_pages_that_show_the_article(project: Project) -> None:
    project.article("2024-03-01-alpha", "themes: [competitors]\n", title="Alpha")
    project.article("2024-02-02-beta", "themes: [labor-worries]\n", title="Beta")
    config = load_config(project.root)
    output = project.root / "_site"
    build(config, output, jobs=1)
    beta_page = (output / "articles/beta/index.html").stat().st_ino
    index_before = _files_under(output / "pagefind")
    project.article("2024-03-01-alpha", "themes: [competitors]\n", title="Alpha modifié")
    report = build(config, output, jobs=1)
    index_after = _files_under(output / "pagefind")
    # The search index's files that hold the title (revue/search.py) are made again too.
    index_changes = sum(1 for name, data in index_after.items() if index_before.get(name) != data)
    assert index_changes > 0
    showing = {
        "articles/alpha/index.html",
        "index.html",
        "atom.xml",
        "archives/2024/03/index.html",
        "medias/le-monde/index.html",
        "themes/concurrents/index.html",
        "themes/concurrents/atom.xml",
    }
    # every page whose context holds the article (not the indexes, which count articles,
    # nor the sitemap, which lists URLs and days)
    assert report.rendered == len(showing) + index_changes
    assert report.written == len(showing) + index_changes
    assert (output / "articles/beta/index.html").stat().st_ino == beta_page
    assert b"Alpha modifi" in (output / "articles/alpha/index.html").read_bytes()


def test_a_failed_build_leaves_the_site_and_the_next_build_is_right(project: Project) -> None:
    alpha = project.article("2024-03-01-alpha")
    config = load_config(project.root)
    output = project.root / "_site"
    build(config, output, jobs=1)
    before = tree(output)
    alpha.write_text(alpha.read_text().replace("title:", "tittle:"))
    with pytest.raises(BuildError):
        build(config, output, jobs=1)
    assert tree(output) == before
    project.article("2024-03-01-alpha", title="Réparé")
    build(config, output, jobs=1)
    assert tree(output) == clean_site(project.root)


def test_a_damaged_cache_is_rebuilt(project: Project) -> None:
    project.article("2024-03-01-alpha")
    config = load_config(project.root)
    output = project.root / "_site"
    build(config, output, jobs=1)
    for path in (project.root / CACHE_DIR).glob("*.pickle"):
        path.write_bytes(b"garbage")
    (output / "index.html").write_text("edited by hand")
    build(config, output, jobs=1)
    assert tree(output) == clean_site(project.root)


def test_context_digests_cover_every_value() -> None:
    assert context_digest({"a": (1, "1")}) != context_digest({"a": ("1", 1)})
    assert context_digest([True]) != context_digest([1])
    assert context_digest({"x": {1, 2}}) == context_digest({"x": {2, 1}})
    with pytest.raises(TypeError):
        context_digest(object())


def test_the_code_version_reads_each_library_s_installed_version() -> None:
    from importlib import metadata

    for name in (*LIBRARIES, "pagefind_bin_extended"):
        assert installed_version(name) == metadata.version(name), name
    assert installed_version("Markdown_It.PY") == metadata.version("markdown-it-py")
    assert installed_version("no-such-library-here") == ""


def test_a_killed_build_leaves_the_previous_site(project: Project) -> None:
    for index in range(60):
        project.article(f"2024-03-01-article-{index}", body=f"Texte {index}.\n")
    config = load_config(project.root)
    output = project.root / "_site"
    build(config, output, jobs=1)
    before = tree(output)
    for path in (project.root / "templates").glob("*.html"):
        path.write_text(path.read_text() + "<!-- changed -->\n")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--jobs", "1"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while process.poll() is None and not any(project.root.glob("._site.new-*")):
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree(output) == before or tree(output) == clean_site(project.root)
    build(config, output, jobs=1)
    assert tree(output) == clean_site(project.root)
    # no staging folder left; the build lock's file (revue/lock.py) stays, and the site
    # that build replaced, if it replaced one (the killed build may have ended its work
    # before it was killed), is retired beside the output for the next build to remove
    names = sorted(p.name for p in project.root.glob("._site.*"))
    assert names[0] == "._site.lock" and [n[:10] for n in names[1:]] in ([], ["._site.old"])
    assert os.path.isdir(output)


def test_each_build_removes_the_site_the_one_before_retired(project: Project) -> None:
    project.article("a", title="Alpha")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    assert not list(project.root.glob("._site.old-*"))  # nothing was replaced
    retired: list[Path] = []
    for title in ("Beta", "Gamma", "Delta"):
        project.article("a", title=title)
        build(load_config(project.root), output, jobs=1)
        assert not any(path.exists() for path in retired)  # removed by this build
        retired = list(project.root.glob("._site.old-*"))
        assert len(retired) == 1 and (retired[0] / "articles/a/index.html").is_file()
    assert tree(output) == clean_site(project.root)
    build(load_config(project.root), output, jobs=1)  # nothing changed: nothing replaced
    assert not list(project.root.glob("._site.old-*"))


def test_cached_fragments_change_no_byte(project: Project) -> None:
    for index in range(3):
        project.article(f"2024-03-0{index + 1}-article-{index}", "themes: [competitors]\n")
    with_fragments = clean_site(project.root)
    entry = project.root / "templates" / "partials" / "entry.html"
    text = entry.read_text()
    assert "{% call cached(entry, level) %}" in text
    entry.write_text(
        text.replace("{% call cached(entry, level) %}\n", "").replace("{% endcall %}\n", "")
    )
    assert clean_site(project.root) == with_fragments


def test_fragments_reading_other_names_are_not_cached(project: Project) -> None:
    project.article("2024-03-01-alpha", "themes: [competitors]\n")
    entry = project.root / "templates" / "partials" / "entry.html"
    config = load_config(project.root)
    renderer = make_renderer(config)
    site = build_site(load_articles(config)[0], config)
    home = site.pages[0]
    assets = fingerprint(read_static(project.root / "static"))[1]
    render_page(renderer, home, site.nav, config, assets)
    assert renderer.fragments  # the cards of the home page
    entry.write_text(entry.read_text().replace("<article", "<article data-page='{{ page.url }}'"))
    renderer = make_renderer(config)
    render_page(renderer, home, site.nav, config, assets)
    assert not renderer.fragments


def _files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` as `{relative path: bytes}`."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_memo_hashes_each_object_once_and_tells_the_same_values_apart() -> None:
    first, second = ArticleDate(2024, 3, 1), ArticleDate(2024, 3, 2)
    memo: dict = {}
    shared = context_digest({"a": first, "b": (first, second)}, memo)
    assert len(memo) == 2  # each date hashed once, then by its digest
    assert shared == context_digest({"a": first, "b": (first, second)}, memo)
    assert shared != context_digest({"a": first, "b": (second, first)}, memo)
    assert shared != context_digest({"a": second, "b": (first, second)}, {})
    assert context_digest(ArticleDate(2024, 3, 1), memo) == context_digest(first, memo)


def test_article_files_are_listed_in_path_order_without_hidden_ones(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = project.root / "content" / "articles"
    for name in (
        "b.md",
        "a-c.md",
        "a/b.md",
        "a/z/y.md",
        "B.md",
        "x.txt",
        ".hidden.md",
        "#backup.md",
        ".drafts/d.md",
        "#old/e.md",
        "deep/er/f.md",
    ):
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text("x")
    config = load_config(project.root)
    expected = [
        f"content/articles/{name}"
        for name in ("B.md", "a/b.md", "a/z/y.md", "a-c.md", "b.md", "deep/er/f.md")
    ]
    assert article_names(config) == expected
    assert article_paths(config) == [project.root / name for name in expected]
    assert article_paths(config) == sorted(article_paths(config))  # Path order, part by part
    monkeypatch.chdir(project.root)
    assert article_names(load_config(Path("."))) == expected  # a relative root too


def test_template_digests_are_reused_only_for_the_same_templates(project: Project) -> None:
    config = load_config(project.root)
    first = read_inputs(config, "code")
    assert first.templates == template_digests(project.root / "templates")
    wrong = {first.templates_id: {"home.html": "stale"}}
    assert read_inputs(config, "code", wrong).templates == {"home.html": "stale"}  # reused
    (project.root / "templates" / "home.html").write_text("{{ page.title }}\n")
    again = read_inputs(config, "code", wrong)
    assert again.templates_id != first.templates_id
    assert again.templates == template_digests(project.root / "templates")
    assert again.templates["home.html"] != first.templates["home.html"]


def planned(project: Project, stories: tuple = ("", ())):
    """The plan of the project's articles, read as the build reads them."""
    config = load_config(project.root)
    sources = {
        p.relative_to(project.root).as_posix(): read_source(
            p.relative_to(project.root).as_posix(), p.read_bytes(), config
        )
        for p in article_paths(config)
    }
    articles, errors = valid_articles(sources)
    assert not errors
    return plan_site(config, articles, sources, read_inputs(config, "code"), stories)


STORY = (
    "OpenAI présente Sora aux studios d’Hollywood, qui craignent pour l’emploi des techniciens, "
)


def test_story_groups_are_reused_only_for_the_same_story_facts(project: Project) -> None:
    for name, source in (("a", "Le Monde"), ("b", "Libération"), ("c", "Les Échos")):
        project.article(name, body=STORY * 3 + f"\n\nFin {name}.\n", source=source)
    first = planned(project)
    assert first.stories[0] and first.stories[1] == (("a", "b", "c"),)
    fake = (first.stories[0], (("a", "c"),))  # a stored entry under this very key is used
    assert planned(project, fake).stories == fake
    assert planned(project, ("stale", (("a", "c"),))).stories == first.stories
    # A body edit past the lede keeps the stories; a title edit is another key.
    path = project.root / "content" / "articles" / "b.md"
    path.write_text(path.read_text() + "\nUne phrase de plus.\n")
    assert planned(project, fake).stories == fake
    path.write_text(path.read_text().replace("title: Un titre", "title: Un titre modifié"))
    again = planned(project, fake)
    assert again.stories[0] != first.stories[0]
    assert again.stories == planned(project).stories  # computed, not the stored entry
    assert again.stories[1] == (("a", "b", "c"),)


def test_page_digests_tell_every_field_and_value_apart(project: Project) -> None:
    from revue.keys import page_digest
    from revue.pages import Page

    project.article("a", title="Alpha")
    project.article("b", title="Beta")
    entries = {e.article.slug: e for e in planned(project).site.entries}
    assert entries["a"].__cache_key__ and entries["b"].__cache_key__
    base = Page("articles/a/index.html", "articles/a/", "article.html", "Alpha", {})
    variants = [
        base,
        replace(base, output="articles/b/index.html"),
        replace(base, url="articles/b/"),
        replace(base, template="home.html"),
        replace(base, title="Beta"),
        replace(base, context={"entry": entries["a"]}),
        replace(base, context={"entry": entries["b"]}),
        replace(base, context={"other": entries["a"]}),
        replace(base, context={"entry": "a"}),
        replace(base, context={"entry": 1}),
        replace(base, context={"entry": "1"}),
        replace(base, context={"entry": (entries["a"],)}),  # not keyed: hashed in full
        replace(base, context={"entry": entries["a"], "n": 2}),
    ]
    digests = [page_digest(page) for page in variants]
    assert len(set(digests)) == len(variants)
    assert digests == [page_digest(page) for page in variants]  # stable


def test_a_build_gives_back_the_objects_it_kept_from_the_collector(project: Project) -> None:
    """The build freezes what it loads (builder._frozen); after a build, good or failed,
    the collector runs again and sees every object."""
    project.article("a", title="Alpha")
    output = project.root / "_site"
    for _ in range(2):  # a cold build, then one that loads the caches
        build(load_config(project.root), output, jobs=1)
        assert gc.isenabled() and gc.get_freeze_count() == 0
    project.article("b", "date: demain\n", title="Beta")
    with pytest.raises(BuildError):
        build(load_config(project.root), output, jobs=1)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_parsed_article_holds_nothing_of_the_site_url(project: Project) -> None:
    """Parsed articles are keyed without the site's URL (keys.reading_digest), so that the
    preview, served from its own URL, takes those the build command parsed."""
    project.article(
        "a",
        "url: https://exemple.fr/a\nthemes: [competitors]\n",
        "Selon [le studio](https://exemple.fr/b), « Sora change tout ».\n\n"
        "Voir ![image](/static/x.png) et [la page](../b/).\n",
        title="Alpha, le studio ?",
    )
    config = load_config(project.root)
    elsewhere = config.with_base_url("http://127.0.0.1:8123/autre/")
    assert reading_digest(elsewhere) == reading_digest(config)
    assert config_digest(elsewhere) != config_digest(config)
    path = project.root / "content/articles/a.md"
    here = read_source("content/articles/a.md", path.read_bytes(), config)
    there = read_source("content/articles/a.md", path.read_bytes(), elsewhere)
    assert here.article is not None and here.facts is not None
    assert pickle.dumps(here) == pickle.dumps(there)
    assert reading_digest(replace(config, title="Autre")) != reading_digest(config)


def test_a_config_change_does_not_load_the_stale_articles(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revue import cache

    project.article("a", title="Alpha")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    loaded: list[str] = []
    real_load = cache.load_pickle

    def spy(path: Path, wanted=None) -> object:
        data = real_load(path, wanted)
        if isinstance(data, tuple):  # a table's entries were read
            loaded.append(path.name)
        return data

    monkeypatch.setattr(cache, "load_pickle", spy)
    project.article("b", title="Beta")
    build(load_config(project.root), output, jobs=1)
    assert "sources.pickle" in loaded  # same config: the parsed articles are reused
    loaded.clear()
    config = project.root / "site.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "Nouveau ', 1))
    build(load_config(project.root), output, jobs=1)
    assert "sources.pickle" not in loaded  # every entry would be stale: not even read
    assert tree(output) == clean_site(project.root)


STORIES = (
    "studio Sora contrat Hollywood accord licence acteurs doublage production tournage "
    "caméra scénario réalisateur budget",
    "syndicat grève scénaristes emploi salaires négociation protection droits métier "
    "techniciens inquiétude avenir",
)
QUOTES = (
    "« Nous ne remplacerons pas les acteurs », a déclaré Sam Altman.",
    "« Ce texte protège nos métiers et nos emplois pour longtemps », a affirmé Fran Drescher.",
    "« Le cinéma change plus vite que jamais depuis dix ans », estime Ari Emanuel.",
)


def story_article(project: Project, rng: random.Random, name: str) -> Path:
    """An article on one of two stories (most of their words shared), maybe quoting
    someone, dated within a few weeks."""
    words = STORIES[rng.randrange(len(STORIES))].split()
    sentences = [" ".join(rng.sample(words, 10)).capitalize() + "." for _ in range(2)]
    if rng.random() < 0.6:
        sentences.append(rng.choice(QUOTES))
    themes = rng.sample(THEMES, rng.randint(0, 2))
    return project.article(
        name,
        f"themes: [{', '.join(themes)}]\n" if themes else "",
        "\n\n".join(sentences) + "\n",
        title=" ".join(rng.sample(words, 5)).capitalize(),
        date=f"2024-03-{rng.randint(1, 28):02d}",
        source=rng.choice(("Le Monde", "Libération", "Les Échos")),
    )


def story_edit(project: Project, rng: random.Random, step: int) -> Path:
    """One random change an editor makes while previewing; the path that changed."""
    articles = sorted((project.root / "content" / "articles").glob("*.md"))
    path = rng.choice(articles)
    head, body = path.read_text().split("\n---\n\n", 1)
    kinds = ("lede", "lede", "name", "mention", "title", "quote", "theme", "date", "add", "delete")
    kind = rng.choice(kinds)
    if kind == "lede":  # the first sentence: the lede, the summary, maybe the story
        word = rng.choice(STORIES[rng.randrange(len(STORIES))].split())
        path.write_text(f"{head}\n---\n\n{word} {step} {body}")
    elif kind == "name":  # a capitalised word naming nobody
        path.write_text(f"{head}\n---\n\nJeton{step} {body}")
    elif kind == "mention":  # a name the index knows, no quotation
        who = rng.choice(("Sam Altman", "Fran Drescher", "Ari Emanuel"))
        path.write_text(f"{head}\n---\n\n{body}\nLe point de vue de {who} compte.\n")
    elif kind == "title":  # shown wherever the article is listed or related
        head = "\n".join(
            f"title: Titre {step}" if x.startswith("title:") else x for x in head.splitlines()
        )
        path.write_text(f"{head}\n---\n\n{body}")
    elif kind == "quote":
        path.write_text(f"{head}\n---\n\n{body}\n{rng.choice(QUOTES)}\n")
    elif kind == "theme":
        themes = ", ".join(rng.sample(THEMES, rng.randint(0, 2)))
        head = "\n".join(x for x in head.splitlines() if not x.startswith("themes:"))
        path.write_text(f"{head}\nthemes: [{themes}]\n---\n\n{body}")
    elif kind == "date":
        day = rng.randint(1, 28)
        head = "\n".join(
            f"date: 2024-0{rng.choice((3, 5))}-{day:02d}" if x.startswith("date:") else x
            for x in head.splitlines()
        )
        path.write_text(f"{head}\n---\n\n{body}")
    elif kind == "add":
        path = story_article(project, rng, f"ajout-{step}")
    elif len(articles) > 3:
        path.unlink()
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_preview_rebuilds_match_clean_builds_after_random_story_edits(
    project: Project, seed: int
) -> None:
    # The preview reuses the last model's objects (stories, quotations, people, pages):
    # after each save, its site is the one a clean build makes.
    rng = random.Random(seed)
    for index in range(14):
        story_article(project, rng, f"article-{index:02d}")
    first = rebuild(project.root, None, SourceCache(), [project.root], index=False)
    cache = first.cache
    grouped = quoted = 0
    for step in range(24):
        changed = story_edit(project, rng, step)
        attempt = rebuild(project.root, None, cache, [changed], index=False)
        assert attempt.built is not None, attempt.errors
        expected = clean_site(project.root)
        pages = {p: data for p, data in expected.items() if not p.startswith("pagefind/")}
        assert dict(attempt.built.files) == pages, f"step {step}"
        grouped += bool(attempt.built.plan.stories[1])
        quoted += "personnes/index.html" in pages
        cache = attempt.cache
    assert grouped > 12 and quoted > 12  # stories and quotations were there to reuse


def preview_matches_clean_build(project: Project, edit) -> dict[str, bytes]:
    """Rebuild the preview after `edit()` (which returns the changed path); assert its site
    is the clean build's; return it."""
    first = rebuild(project.root, None, SourceCache(), [project.root], index=False)
    attempt = rebuild(project.root, None, first.cache, [edit()], index=False)
    assert attempt.built is not None, attempt.errors
    pages = {p: d for p, d in clean_site(project.root).items() if not p.startswith("pagefind/")}
    assert dict(attempt.built.files) == pages
    return pages


def test_a_new_mention_of_a_known_name_reaches_the_people_pages(project: Project) -> None:
    project.article("a", "", f"Le studio signe.\n\n{QUOTES[0]}\n", date="2024-03-01")
    other = project.article("b", "", "Le studio signe encore.\n", date="2024-03-02")

    def mention() -> Path:
        other.write_text(other.read_text() + "\nLe point de vue de Sam Altman compte.\n")
        return other

    pages = preview_matches_clean_build(project, mention)
    index = pages["personnes/index.html"].decode()
    assert '<a href="../personnes/sam-altman/">Sam Altman</a> — 2 articles, 1 citation' in index
    assert "articles/b/" in pages["personnes/sam-altman/index.html"].decode()


def test_an_outlet_change_shows_where_the_article_is_a_quotation_source(
    project: Project,
) -> None:
    # Two stories (their ledes apart) in two themes, one quotation: each article's page and
    # each theme's page shows the other article as a source.
    project.article(
        "a",
        "themes: [studio-outreach]\n",
        f"Le studio signe un accord de licence pour le tournage.\n\n{QUOTES[1]}\n",
        title="Accord des studios",
        date="2024-03-01",
    )
    other = project.article(
        "b",
        "themes: [labor-worries]\n",
        f"Les techniciens votent une grève illimitée demain.\n\n{QUOTES[1]}\n",
        title="Grève des techniciens",
        date="2024-03-05",
    )

    def move() -> Path:
        other.write_text(other.read_text().replace("source: Le Monde", "source: Libération"))
        return other

    pages = preview_matches_clean_build(project, move)
    assert "Libération" in pages["articles/a/index.html"].decode()
    assert "Libération" in pages["themes/demarchage-des-studios/index.html"].decode()


@pytest.mark.parametrize("seed", [3])
def test_builds_match_clean_builds_after_random_story_edits(project: Project, seed: int) -> None:
    # The build command plans from the last build's plan (revue/prior.py), as the preview
    # does: after each edit, its site is the one a clean build makes.
    rng = random.Random(seed)
    for index in range(12):
        story_article(project, rng, f"article-{index:02d}")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    for step in range(12):
        story_edit(project, rng, step)
        build(load_config(project.root), output, jobs=1)
        assert tree(output) == clean_site(project.root), f"step {step}"


def spy_on_plans(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The (prior plan, sources) of every plan_site call the build command makes."""
    from revue import pipeline

    calls: list[tuple] = []
    real = pipeline.plan_site

    def spy(config, articles, sources, inputs, stories=("", ()), prior=None, long_lived=False):
        calls.append((prior, sources))
        return real(config, articles, sources, inputs, stories, prior, long_lived)

    monkeypatch.setattr(pipeline, "plan_site", spy)
    return calls


def test_a_build_reuses_the_last_build_s_plan(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy_on_plans(monkeypatch)
    project.article("a", title="Alpha")
    project.article("b", title="Beta")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    project.article("b", title="Beta modifié")
    build(load_config(project.root), output, jobs=1)
    _, (prior, sources) = calls
    assert prior is not None
    # The plan's articles are the parsed articles the build read: unchanged, the same objects.
    a, b = "content/articles/a.md", "content/articles/b.md"
    assert prior.sources[a] is sources[a] and prior.sources[b] is not sources[b]
    entry = next(e for e in prior.site.entries if e.article.path == a)
    assert entry.article is sources[a].article
    assert prior.sources[b].article.title == "Beta"
    assert tree(output) == clean_site(project.root)


def test_build_py_ends_once_its_output_and_caches_are_written(project: Project) -> None:
    """build.py leaves a build's objects to the system (os._exit): what it printed, the site
    and the caches are all there when it has ended; an error still exits normally."""
    project.article("a", title="Alpha")

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, str(REPO / "build.py"), "--jobs", "1"]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered
        return subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env)

    for title in ("Beta", "Beta modifié"):  # a cold build, then one from the caches
        project.article("b", title=title)
        done = run()
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Built 2 articles into _site/ (")
        assert tree(project.root / "_site") == clean_site(project.root)
    config = load_config(project.root)
    inputs = read_inputs(config)
    table = load_table(project.root, "sources", sha(inputs.code, inputs.reading))
    assert len(table.entries) == 3  # b's two versions
    prior, _ = load_prior(project.root, sha(inputs.code, inputs.config), table.entries)
    assert prior is not None and prior.sources["content/articles/b.md"].article.title == (
        "Beta modifié"
    )
    project.article("c", "date: demain\n", title="Gamma")
    done = run()
    assert done.returncode == 1 and "Build failed: 1 error" in done.stderr


def test_a_build_leaves_nothing_alive_behind(project: Project) -> None:
    """Once a build has returned, none of its parsed articles is still alive: nothing (a
    class made per load, a cache) keeps them until the collector's next full pass."""
    project.article("a", title="Alpha")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    project.article("a", title="Alpha modifié")
    gc.collect()
    gc.disable()  # only what is still referenced counts
    try:
        build(load_config(project.root), output, jobs=1)
        alive = [o for o in gc.get_objects() if isinstance(o, Source)]
    finally:
        gc.enable()
    assert alive == []


def test_a_stored_plan_is_dropped_when_its_articles_are_gone(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy_on_plans(monkeypatch)
    project.article("a", title="Alpha")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    (project.root / CACHE_DIR / "sources.pickle").unlink()  # the table the plan refers to
    project.article("a", title="Alpha modifié")
    build(load_config(project.root), output, jobs=1)
    assert calls[1][0] is None
    assert tree(output) == clean_site(project.root)


def test_a_cache_that_cannot_be_written_only_slows_the_next_build(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revue import prior

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(prior, "save_prior", fail)
    project.article("a", title="Alpha")
    output = project.root / "_site"
    build(load_config(project.root), output, jobs=1)
    assert not (project.root / CACHE_DIR / "prior.pickle").exists()
    monkeypatch.undo()
    project.article("a", title="Alpha modifié")
    build(load_config(project.root), output, jobs=1)
    assert (project.root / CACHE_DIR / "prior.pickle").exists()
    assert tree(output) == clean_site(project.root)


def test_only_pages_go_to_the_rendering_workers_and_the_order_is_kept(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import revue.pipeline as pipeline

    for day in range(1, 4):
        project.article(f"a{day}", date=f"2024-03-0{day}")
    plan = planned(project)
    config = load_config(project.root)
    names = list(plan.keys)
    random.Random(5).shuffle(names)
    sent: list[str] = []
    real = pipeline.run_all

    def spy(function, shared, items, jobs, done=None):
        sent.extend(items)
        return real(function, shared, items, jobs, done)

    monkeypatch.setattr(pipeline, "run_all", spy)
    counted: list[int] = []
    forked = list(
        pipeline.render_outputs(plan, config, make_renderer(config), names, 2, counted.append)
    )
    alone = list(pipeline.render_outputs(plan, config, make_renderer(config), names, 1))
    assert [name for name, _ in forked] == names and forked == alone
    assert sorted(sent) == sorted(2 * [n for n in names if n in plan.pages])
    assert sum(counted) == len(names)
    assert pipeline.NOJEKYLL in names and any(name in plan.static for name in names)
