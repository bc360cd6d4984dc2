"""The search index (revue/search.py) and the search page, without a browser:
what is indexed, what is left out, determinism, the files written and the forms."""

from __future__ import annotations

import base64
import json
import random
import re
from pathlib import Path

import pytest

from revue.config import load_config
from revue.content import load_articles
from revue.errors import BuildError
from revue.markdown import make_markdown
from revue.model import build_site
from revue.pagefind import _answers, _pack, _unpack, sorted_filters
from revue.search import (
    FolderCache,
    plain_text,
    search_files,
    search_record,
    split_records,
)


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
    import revue.pagefind

    write_articles(project)
    monkeypatch.setattr(revue.pagefind, "_executable", lambda: Path("/nonexistent/pagefind"))
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


# --------------------------------------------------------------------------- shards and cache


def write_many(project, count: int, start: int = 1) -> None:
    for day in range(start, start + count):
        project.article(
            f"2024-01-{day:02d}-jour-{day}",
            title=f"Le studio du jour {day}",
            date=f"2024-01-{day:02d}",
            source="Le Monde" if day % 2 else "Libération",
        )


def record(number: int) -> dict:
    return {"url": f"articles/{number:05d}/", "sort": {"date": f"2024-{number:05d}"}}


def shard_urls(records: list[dict], shard_size: int) -> list[list[str]]:
    return [[r["url"] for r in shard] for shard in split_records(records, shard_size)]


def test_shards_hold_consecutive_dates_newest_first_within() -> None:
    shards = shard_urls([record(n) for n in range(300)], 16)
    flat = [url for shard in shards for url in reversed(shard)]
    assert flat == [record(n)["url"] for n in range(300)]
    assert all(12 <= len(shard) <= 24 for shard in shards[:-1])
    assert 300 / 24 <= len(shards) <= 300 / 12 + 1
    assert shard_urls([record(n) for n in range(5)], 256) == [
        [record(n)["url"] for n in (4, 3, 2, 1, 0)]
    ]


def test_a_new_article_changes_only_its_shard() -> None:
    before = shard_urls([record(n) for n in range(0, 600, 2)], 16)
    # the newest: the last shard only
    newest = shard_urls([record(n) for n in [*range(0, 600, 2), 601]], 16)
    assert newest[:-1] == before[:-1]
    # one among older ones: the shards before it are kept, and, once its shard's cut
    # point is reached again, those after it
    for inserted in (101, 301, 451):
        after = shard_urls(sorted([record(n) for n in [*range(0, 600, 2), inserted]], key=str), 16)
        changed = [shard for shard in after if shard not in before]
        assert record(inserted)["url"] in changed[0]
        assert len(changed) <= 2, inserted
        assert len(after) - len(changed) >= len(before) - 2


def test_the_number_of_shards_stays_bounded_as_the_site_grows() -> None:
    from revue.search import MAX_SHARDS

    for count in (100, 1000, 5000, 20000):
        shards = split_records([record(n) for n in range(count)], 16)
        assert len(shards) <= MAX_SHARDS * 2, count
        assert sum(len(shard) for shard in shards) == count


def test_shards_are_bundles_listed_newest_first(project) -> None:
    write_many(project, 6)
    site, config = site_of(project)
    files = search_files(site, config, shard_size=2)
    bundles = json.loads(files["pagefind/shards.json"])
    assert len(bundles) == 6 and bundles[-1] == ""
    for folder in bundles:
        assert f"pagefind/{folder}pagefind-entry.json" in files
    # Pagefind's script and WebAssembly once, at pagefind/
    assert [n for n in files if n.endswith(("pagefind.js", ".pagefind"))] == [
        "pagefind/pagefind.js",
        "pagefind/wasm.fr.pagefind",
    ]
    one = search_files(site, config)
    assert json.loads(one["pagefind/shards.json"]) == [""]


def count_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Make revue.search note the URLs of the records of each Pagefind run."""
    import revue.search

    runs: list[list[str]] = []
    real = revue.search.run_pagefind

    def run(records, language):
        runs.append([r["url"] for r in records])
        return real(records, language)

    monkeypatch.setattr(revue.search, "run_pagefind", run)
    return runs


def test_unchanged_records_run_no_pagefind(project, monkeypatch: pytest.MonkeyPatch) -> None:
    import revue.pagefind

    write_many(project, 5)
    site, config = site_of(project)
    cache: dict = {}
    first = search_files(site, config, cache, shard_size=2)
    monkeypatch.setattr(revue.pagefind, "_executable", lambda: Path("/nonexistent/pagefind"))
    assert search_files(site, config, cache, shard_size=2) == first
    with pytest.raises(BuildError):
        search_files(site, config, {}, shard_size=2)


def test_an_edit_indexes_its_shard_only_and_gives_the_files_of_a_new_build(
    project, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_many(project, 6)
    site, config = site_of(project)
    cache = FolderCache(project.root / ".revue-cache" / "search")
    before = search_files(site, config, cache, shard_size=2)
    runs = count_runs(monkeypatch)
    project.article(
        "2024-01-04-jour-4", title="Un titre changé", date="2024-01-04", source="Le Monde"
    )
    site, config = site_of(project)
    after = search_files(site, config, cache, shard_size=2)
    assert runs == [["articles/jour-4/"]]
    assert after != before
    assert len(cache) == len(json.loads(after["pagefind/shards.json"]))  # the stale one is gone
    assert search_files(site, config, shard_size=2) == after  # as a build without a cache
    assert len(runs) == 7


def test_an_edit_rewrites_only_the_files_of_its_shard_that_change(project) -> None:
    """A shard keeps its folder while its records change (search._folder), and Pagefind
    names its files after their bytes: the other records' fragments stay as they were."""
    write_many(project, 20)
    site, config = site_of(project)
    before = search_files(site, config, shard_size=8)
    project.article(
        "2024-01-14-jour-14", title="Un titre changé", date="2024-01-14", source="Le Monde"
    )
    site, config = site_of(project)
    after = search_files(site, config, shard_size=8)
    folders = json.loads(after["pagefind/shards.json"])
    assert folders == json.loads(before["pagefind/shards.json"]) and len(folders) > 1
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}

    def shard(name: str) -> str:
        inside = name.removeprefix("pagefind/")
        return next((f for f in folders if f and inside.startswith(f)), "")

    assert {shard(n) for n in changed} == {shard(next(iter(changed)))}  # one shard's files
    fragments = [n for n in changed if n.endswith(".pf_fragment")]
    assert len(fragments) == 2  # the edited record's: the old one gone, the new one
    same = [n for n in after if shard(n) == shard(fragments[0]) and n not in changed]
    assert len([n for n in same if n.endswith(".pf_fragment")]) >= 5  # the other records'


def test_a_cold_build_indexes_each_shard_once(project, monkeypatch: pytest.MonkeyPatch) -> None:
    write_many(project, 5)
    site, config = site_of(project)
    runs = count_runs(monkeypatch)
    files = search_files(site, config, {}, shard_size=2, jobs=2)
    assert sorted(url for run in runs for url in run) == sorted(e.url for e in site.entries)
    assert search_files(site, config, {}, shard_size=2, jobs=1) == files


def test_folder_cache_keeps_values_in_files(tmp_path: Path) -> None:
    cache = FolderCache(tmp_path / "cache")
    assert list(cache) == [] and "a" not in cache
    cache["a"] = {"pagefind/x": b"1"}
    cache["b"] = {}
    assert FolderCache(tmp_path / "cache")["a"] == {"pagefind/x": b"1"}
    assert sorted(cache) == ["a", "b"] and len(cache) == 2
    del cache["b"]
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["a"]
    (tmp_path / "cache" / "a").write_bytes(b"cut sho")  # a file cut short reads as missing
    assert cache.get("a") is None
    with pytest.raises(KeyError):
        del cache["b"]


class ChunkedStream:
    """Bytes read back in chunks of random sizes, as a pipe gives them."""

    def __init__(self, data: bytes, seed: int) -> None:
        self.data, self.at, self.random = data, 0, random.Random(seed)

    def read1(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + min(size, self.random.randint(1, 70_000))]
        self.at += len(chunk)
        return chunk


@pytest.mark.parametrize("seed", range(5))
def test_pagefind_s_answers_are_read_whole_however_the_pipe_cuts_them(seed: int) -> None:
    messages = [{"message_id": n, "payload": {"text": "é" * (n * 9_000)}} for n in range(40)]
    data = b"".join(base64.b64encode(json.dumps(m).encode()) + b"," for m in messages)
    assert list(_answers(ChunkedStream(data, seed))) == messages
