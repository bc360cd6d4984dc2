"""The search index (revue/search.py) and the search page, without a browser:
what is indexed, what is left out, determinism, the files written and the forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from revue.config import load_config
from revue.content import load_articles
from revue.markdown import make_markdown
from revue.model import build_site
from revue.search import _pack, _unpack, plain_text, search_files, search_record, sorted_filters


def write_articles(project) -> None:
    project.article(
        "2024-03-01-equipement",
        title="Un équipement révolutionnaire pour les tournages",
        date="2024-03-01",
        source="Le Monde",
        front="""\
            themes: [competitors]
            summary: "Le nouvel équipement de tournage concurrence Sora."
            excerpt: "Nous avons vu l’équipement fonctionner."
            """,
        body="Un mot confidentiel qui n’est jamais publié.\n",
    )
    project.article(
        "2024-03-02-studio",
        title="Le studio Pixar rencontre OpenAI",
        date="2024-03-02",
        source="Libération",
        front="""\
            themes: [studio-outreach]
            summary: "Une rencontre entre le studio et OpenAI."
            excerpt: "Le studio a vu une démonstration."
            full_text: true
            """,
        body="Le texte intégral parle de *marionnettes* et de `code`.\n",
    )


def site_of(project):
    config = load_config(project.root)
    articles, errors = load_articles(config)
    assert not errors
    return build_site(articles, config), config


def records_by_url(site) -> dict[str, dict]:
    md = make_markdown()
    return {
        entry.url: search_record(entry, md, entry.article.date.french()) for entry in site.entries
    }


def test_records_hold_what_the_site_publishes_and_nothing_else(project) -> None:
    write_articles(project)
    site, _ = site_of(project)
    records = records_by_url(site)
    hidden = records["articles/equipement/"]
    assert "Le nouvel équipement de tournage concurrence Sora." in hidden["content"]
    assert "Nous avons vu l’équipement fonctionner." in hidden["content"]
    assert "confidentiel" not in hidden["content"]
    published = records["articles/studio/"]
    assert "marionnettes" in published["content"]
    assert "*" not in published["content"]


def test_records_carry_filters_meta_and_sort_key(project) -> None:
    write_articles(project)
    site, _ = site_of(project)
    record = records_by_url(site)["articles/studio/"]
    assert record["filters"] == {"theme": ["demarchage-des-studios"], "media": ["Libération"]}
    assert record["meta"] == {
        "title": "Le studio Pixar rencontre OpenAI",
        "media": "Libération",
        "date": "2 mars 2024",
        "datetime": "2024-03-02",
    }
    assert record["sort"] == {"date": "2024-03-02T00:00:00Z"}
    assert record["url"] == "articles/studio/"


def test_plain_text_drops_markup() -> None:
    markdown = "# Titre\n\nUn **mot** et [un lien](https://x.org).\n\n> Cité.\n"
    text = plain_text(markdown, make_markdown())
    assert text == "Titre\nUn mot et un lien.\nCité."


def test_index_is_byte_identical_across_builds(project) -> None:
    write_articles(project)
    site, config = site_of(project)
    first = search_files(site, config)
    for _ in range(3):  # Pagefind 1.5's filter order is random: one match could be luck
        assert search_files(site, config) == first
    assert "pagefind/pagefind.js" in first and "pagefind/wasm.fr.pagefind" in first


def test_index_changes_with_the_content(project) -> None:
    write_articles(project)
    site, config = site_of(project)
    before = search_files(site, config)
    project.article("2024-03-03-autre", title="Un troisième article", date="2024-03-03")
    site, config = site_of(project)
    after = search_files(site, config)
    assert before["pagefind/pagefind-entry.json"] != after["pagefind/pagefind-entry.json"]


def test_only_the_files_the_search_page_loads_are_published(project) -> None:
    write_articles(project)
    site, config = site_of(project)
    names = set(search_files(site, config))
    assert all(name.startswith("pagefind/") for name in names)
    for kind in ("fragment/", "index/", "filter/"):
        assert any(name.startswith(f"pagefind/{kind}") for name in names), kind
    unwanted = [n for n in names if re.search(r"-ui\.|highlight|playground|unknown", n)]
    assert not unwanted


def test_every_page_has_a_search_box_and_the_search_page_a_form(project, run_cli) -> None:
    write_articles(project)
    code, _, err = run_cli(project, "build")
    assert code == 0, err
    out = project.root / "_site"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="recherche/" method="get">' in home
    article = (out / "articles/studio/index.html").read_text(encoding="utf-8")
    assert 'action="../../recherche/"' in article
    search = (out / "recherche/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind="../pagefind/pagefind.js"' in search
    assert '<option value="demarchage-des-studios">Démarchage des studios</option>' in search
    assert '<option value="Libération">Libération</option>' in search
    assert 'class="site-search"' not in search  # one search form on the search page
    assert (out / "pagefind/pagefind-entry.json").is_file()


def test_a_missing_pagefind_binary_is_a_clear_build_error(
    project, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import revue.search

    write_articles(project)
    monkeypatch.setattr(revue.search, "_executable", lambda: Path("/nonexistent/pagefind"))
    code, _, err = run_cli(project, "build")
    assert code == 1
    assert "search index: cannot start Pagefind" in err


def test_filters_are_sorted_and_named_after_their_contents() -> None:
    def filters(order: list[str]) -> dict[str, bytes]:
        pages = {"a": [0, 2], "b": [1]}
        table = ["theme", [[value, pages[value]] for value in order]]
        meta = ["1.5.2", [], [], [["theme", "fr_old"], ["media", "fr_old2"]], [], []]
        return {
            "pagefind-entry.json": b'{"languages":{"fr":{"hash":"fr_meta","wasm":"fr"}}}',
            "pagefind.fr_meta.pf_meta": _pack(meta),
            "filter/fr_old.pf_filter": _pack(table),
            "filter/fr_old2.pf_filter": _pack(["media", [["Le Monde", [0]]]]),
        }

    one, other = sorted_filters(filters(["b", "a"])), sorted_filters(filters(["a", "b"]))
    assert one.keys() == other.keys()
    (meta_name,) = [name for name in one if name.endswith(".pf_meta")]
    assert meta_name != "pagefind.fr_meta.pf_meta"
    meta = _unpack(one[meta_name])
    assert [name for name, _ in meta[3]] == ["media", "theme"]
    theme = _unpack(one[f"filter/{meta[3][1][1]}.pf_filter"])
    assert [value for value, _ in theme[1]] == ["a", "b"]
    assert meta_name.split(".")[1] in one["pagefind-entry.json"].decode()


def test_cbor_round_trip() -> None:
    value = ["1.5.2", [0, 23, 24, 255, 256, 65536, 2**32, -1, -25], ["é" * 30], [[]]]
    assert _unpack(_pack(value)) == value
    assert _unpack(b"not pagefind") is None


def test_records_hold_the_quotations_and_their_speakers(project) -> None:
    project.article(
        "2024-03-03-perry",
        title="Tyler Perry suspend ses studios",
        date="2024-03-03",
        source="Le Monde",
        front="""\
            themes: [labor-worries]
            summary: "Le producteur renonce à agrandir ses studios."
            """,
        body=(
            "Le producteur a réagi à la démonstration.\n\n"
            "« Je ne peux plus agrandir mes studios en sachant cela », a déclaré Tyler Perry.\n"
        ),
    )
    site, _ = site_of(project)
    (record,) = records_by_url(site).values()
    assert "Je ne peux plus agrandir mes studios en sachant cela Tyler Perry" in record["content"]
