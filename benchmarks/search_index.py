"""What the search index costs: time, CPU and size of `revue.search.search_files` on a
generated corpus (benchmarks/corpus.py), next to the time of the whole build.

    .venv/bin/python benchmarks/search_index.py --articles 1000 10000 --runs 3

For each size, prints the median over the runs of: making the records, Pagefind (wall
time, and the CPU time of its process), the filter sorting, the CPU time of the Python
side (records, messages, sorting), the index in total and the index's files and
megabytes; with `--whole-build`, the whole `build_files` (index included) for scale.
On a shared machine, CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import write_corpus  # noqa: E402

from revue.config import load_config  # noqa: E402
from revue.content import load_articles  # noqa: E402
from revue.model import build_site  # noqa: E402
from revue.pipeline import build_files  # noqa: E402
from revue.search import run_pagefind, search_records, sorted_filters  # noqa: E402

# The files search_files keeps (revue/search.py): the bundled UIs are left out.
_PUBLISHED = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.fr.", "fragment/")
_PUBLISHED += ("index/", "filter/", "pagefind.fr_")


def measure(root: Path, whole_build: bool) -> dict[str, float]:
    config = load_config(root)
    articles, errors = load_articles(config)
    assert not errors, errors[:3]
    site = build_site(articles, config)
    start, cpu = time.perf_counter(), time.process_time()
    records = search_records(site)
    made = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    files = run_pagefind(records, config.language)
    indexed = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    files = sorted_filters(files)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    kept = {name: data for name, data in files.items() if name.startswith(_PUBLISHED)}
    figures = {
        "records s": made - start,
        "pagefind wall s": indexed - made,
        "pagefind cpu s": (after.ru_utime + after.ru_stime)
        - (children.ru_utime + children.ru_stime),
        "sort filters s": done - indexed,
        "python cpu s": cpu,
        "index total s": done - start,
        "index files": len(kept),
        "index MB": sum(len(data) for data in kept.values()) / 1e6,
    }
    if whole_build:
        build_start = time.perf_counter()
        build_files(config, articles)
        figures["build_files s"] = time.perf_counter() - build_start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--whole-build", action="store_true", help="also time build_files, index included"
    )
    args = parser.parse_args()
    for count in args.articles:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            shutil.copy(REPO / "site.toml", root / "site.toml")
            shutil.copytree(REPO / "templates", root / "templates")
            shutil.copytree(REPO / "static", root / "static")
            write_corpus(root, count)
            runs = [measure(root, args.whole_build) for _ in range(args.runs)]
        medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        shown = ", ".join(f"{key} {value:.2f}" for key, value in medians.items())
        print(f"{count} articles: {shown}", flush=True)


if __name__ == "__main__":
    main()
