"""How long the search page takes on a slow phone, as the index is split into more or fewer
bundles: Debian's Chromium (driven by Playwright), the CPU slowed 4× and 100 ms added to
every request, a new browser context (empty cache) for each run.

A corpus of `--articles` articles (benchmarks/corpus.py) is built once, served over HTTP
from 127.0.0.1 (tests/crawl.py); its search index is then rewritten with each
`--shard-sizes` target size (`revue.search.search_files`, as a build would make it for
that size; 0 for one bundle).
For each size, prints the bundles and the median over `--runs` of: the page opened with a
query in its address until the results are shown (Pagefind loaded, every bundle merged,
searched), then a theme chosen until the filtered results are shown.

    .venv/bin/python benchmarks/search_phone.py --articles 1000 --shard-sizes 96 384 0
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus import write_corpus  # noqa: E402
from revue.config import load_config  # noqa: E402
from revue.content import load_articles  # noqa: E402
from revue.model import build_site  # noqa: E402
from revue.search import search_files  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.crawl import serve  # noqa: E402

QUERY = "studios"
SHOWN = "document.getElementById('statut').textContent"


def write_index(root: Path, output: Path, shard_size: int) -> int:
    """Replace the built site's search index by one of `shard_size` records a shard on
    average (0: one bundle); return its number of bundles."""
    config = load_config(root)
    articles, _ = load_articles(config)
    size = shard_size or 2 * len(articles) + 2
    files = search_files(build_site(articles, config), config, shard_size=size)
    shutil.rmtree(output / "pagefind")
    for name, data in files.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
    return len(json.loads(files["pagefind/shards.json"]))


def one_run(browser, url: str) -> tuple[float, float]:
    """(seconds until the query's results show, then until a theme's results show)."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 100, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    start = time.perf_counter()
    page.goto(f"{url}recherche/?q={QUERY}")
    page.wait_for_function(f"{SHOWN}.includes('trouvé')", timeout=60_000)
    searched = time.perf_counter()
    before = page.locator("#statut").inner_text()
    page.select_option("#theme", index=1)
    page.wait_for_function(
        f"before => {SHOWN} !== before && {SHOWN}.includes('trouvé')", arg=before, timeout=60_000
    )
    filtered = time.perf_counter()
    context.close()
    return searched - start, filtered - searched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--shard-sizes", type=int, nargs="+", default=[96, 384, 0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="revue-phone-"))
    try:
        root = work / "project"
        root.mkdir()
        shutil.copy(REPO / "site.toml", root)
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "static", root / "static")
        write_corpus(root, args.articles)
        output = root / "_site"
        output.mkdir()
        with serve(output) as url, sync_playwright() as playwright:
            build = [sys.executable, str(REPO / "build.py"), "build", "--base-url", url]
            subprocess.run(build, cwd=root, check=True, capture_output=True)
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            print(f"{args.articles} articles, query « {QUERY} », CPU ×4 slower, +100 ms a request")
            print("| records a shard | bundles | query shown, s | then a theme, s |")
            print("|---:|---:|---:|---:|")
            for size in args.shard_sizes:
                bundles = write_index(root, output, size)
                runs = [one_run(browser, url) for _ in range(args.runs)]
                query = statistics.median(r[0] for r in runs)
                theme = statistics.median(r[1] for r in runs)
                label = size or "one bundle"
                print(f"| {label} | {bundles} | {query:.2f} | {theme:.2f} |", flush=True)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
