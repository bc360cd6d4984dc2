"""What the search index costs: time and CPU of `revue.search.search_files` on a generated
corpus (benchmarks/corpus.py) or a project, cold and with the cache of a previous build.

    .venv/bin/python benchmarks/search_index.py --articles 1000 10000 --runs 3
    .venv/bin/python benchmarks/search_index.py --project PATH --one-bundle

For each size, prints the shards and the index's files and megabytes, then the median
over the runs, in wall seconds and CPU seconds (this process and its Pagefind processes)
of: a cold index (empty cache), the index again with nothing changed, after an edit of
the newest article, after an edit of an article in the middle of the dates, and with one
article more; with `--one-bundle`, a cold index in a single bundle (as before shards).
On a shared machine, CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import write_corpus  # noqa: E402

from revue.config import Config, load_config  # noqa: E402
from revue.content import load_articles  # noqa: E402
from revue.model import Site, build_site  # noqa: E402
from revue.search import search_files  # noqa: E402


def timed(work: Callable[[], object]) -> tuple[object, float, float]:
    """The result of `work()`, its wall seconds, and the CPU seconds of this process and
    of the child processes it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result, wall, cpu


def edited(site: Site, index: int) -> Site:
    """The site with the summary of its `index`-th entry (newest first) changed."""
    entries = list(site.entries)
    entries[index] = dataclasses.replace(entries[index], summary=entries[index].summary + " !")
    return dataclasses.replace(site, entries=tuple(entries))


def with_one_more(site: Site) -> Site:
    """The site with a copy of its newest entry under a new address."""
    newest = site.entries[0]
    extra = dataclasses.replace(newest, url=newest.url.rstrip("/") + "-bis/")
    return dataclasses.replace(site, entries=(extra, *site.entries))


def measure(site: Site, config: Config, one_bundle: bool) -> dict[str, tuple[float, float]]:
    """{case: (wall s, CPU s)} for each case the module docstring lists."""
    cache: dict = {}
    cold = timed(lambda: search_files(site, config, cache))[1:]
    cases = {
        "cold": cold,
        "no change": timed(lambda: search_files(site, config, cache))[1:],
        "edit newest": timed(lambda: search_files(edited(site, 0), config, cache))[1:],
    }
    search_files(site, config, cache)
    middle = len(site.entries) // 2
    cases["edit middle"] = timed(lambda: search_files(edited(site, middle), config, cache))[1:]
    search_files(site, config, cache)
    cases["one more"] = timed(lambda: search_files(with_one_more(site), config, cache))[1:]
    if one_bundle:
        size = len(site.entries) + 1
        cases["one bundle"] = timed(lambda: search_files(site, config, shard_size=size))[1:]
    return cases


def report(name: str, site: Site, config: Config, runs: int, one_bundle: bool) -> None:
    files = search_files(site, config)
    shards = len(json.loads(files["pagefind/shards.json"]))
    megabytes = sum(len(data) for data in files.values()) / 1e6
    print(f"{name}: {shards} shards, {len(files)} files, {megabytes:.2f} MB", flush=True)
    results = [measure(site, config, one_bundle) for _ in range(runs)]
    for case in results[0]:
        wall = statistics.median(result[case][0] for result in results)
        cpu = statistics.median(result[case][1] for result in results)
        print(f"  {case:<12} wall {wall:6.2f} s   cpu {cpu:6.2f} s", flush=True)


def site_of(root: Path) -> tuple[Site, Config]:
    config = load_config(root)
    articles, errors = load_articles(config)
    assert not errors, errors[:3]
    return build_site(articles, config), config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--project", type=Path, help="a project folder instead of a corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--one-bundle", action="store_true", help="also time a cold index in one bundle"
    )
    args = parser.parse_args()
    if args.project:
        report(str(args.project), *site_of(args.project), args.runs, args.one_bundle)
        return
    for count in args.articles:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            shutil.copy(REPO / "site.toml", root / "site.toml")
            shutil.copytree(REPO / "templates", root / "templates")
            shutil.copytree(REPO / "static", root / "static")
            write_corpus(root, count)
            site, config = site_of(root)
        report(f"{count} articles", site, config, args.runs, args.one_bundle)


if __name__ == "__main__":
    main()
