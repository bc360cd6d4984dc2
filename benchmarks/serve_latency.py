"""How long from saving an article to the browser showing the updated page?

For each corpus size, writes a synthetic project (benchmarks/corpus.py), starts the preview
server in this process, opens the edited article's page in headless Chromium, then edits the
article's first sentence again and again. Each edit is split into:

- detect: from the file's save to the watcher reporting it (includes the quiet period
  that ends a burst of saves);
- rebuild: re-reading the changed file, rebuilding the model, rendering the pages whose
  key changed, comparing with the previous build and publishing it (the output folder and
  the search index follow after);
- notify: from the new site being published to the updated page being in the browser's
  document (event stream, page request, the page's content put in place, or a reload).

Usage (figures, not a test):

    python benchmarks/serve_latency.py --articles 10 10000 --edits 20
"""

from __future__ import annotations

import argparse
import io
import queue
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus import write_corpus  # noqa: E402
from revue.serve import DevServer, ServeOptions  # noqa: E402
from revue.serve.server import Rebuilt  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Records when the page's document was parsed, or its body replaced by an update in place,
# on the same clock as time.time().
SHOWN_AT = """
const now = () => (performance.timeOrigin + performance.now()) / 1000;
document.addEventListener("DOMContentLoaded", () => {
  window.shownAt = now();
  new MutationObserver(() => { window.shownAt = now(); })
    .observe(document.documentElement, {childList: true});
});
"""


def measure(count: int, edits: int, browser) -> list[dict[str, float]]:
    """Edit one article `edits` times in a corpus of `count`; time each edit's stages."""
    with tempfile.TemporaryDirectory(prefix="revue-bench-") as folder:
        root = Path(folder)
        shutil.copy(REPO / "site.toml", root / "site.toml")
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "static", root / "static")
        article = write_corpus(root, count)[-1]
        reports: queue.Queue[Rebuilt] = queue.Queue()
        server = DevServer(
            ServeOptions(root=root, port=0), out=io.StringIO(), on_rebuild=reports.put
        )
        started = time.time()
        server.start()
        print(f"  {count} articles: first start {time.time() - started:.1f} s", flush=True)
        reports.get()
        slug = article.stem.split("-", 3)[-1]
        page = browser.new_page()
        page.set_default_timeout(300_000)
        page.add_init_script(SHOWN_AT)
        page.goto(f"{server.url}articles/{slug}/")
        text = article.read_text(encoding="utf-8")
        head, body = text.split("\n---\n\n", 1)
        rows = []
        extra = 0
        try:
            for index in range(edits):
                while not reports.empty():  # a late rebuild of the previous save
                    reports.get()
                token = f"Jeton{index:03d}"
                article.write_text(f"{head}\n---\n\n{token} {body}", encoding="utf-8")
                saved = time.time()
                page.wait_for_function(
                    "token => document.body.innerText.includes(token)", arg=token
                )
                shown = page.evaluate("window.shownAt")
                # The rebuild that published the edit; a save seen in two batches (this
                # process writes the file while its other threads hold the GIL) gives
                # another rebuild, before (of a half-written file) or after (no change).
                report = reports.get(timeout=60)
                while not report.written:
                    extra += 1
                    report = reports.get(timeout=60)
                assert report.errors == (), report.errors
                rows.append(
                    {
                        "detect": report.detected - saved,
                        "rebuild": report.finished - report.detected,
                        "notify": shown - report.finished,
                        "total": shown - saved,
                    }
                )
                time.sleep(0.2)
        finally:
            page.close()
            server.stop()
        print(f"  {count} articles: {extra} more rebuilds than edits", flush=True)
        # Started again, the server takes the articles the first one parsed from the cache.
        again = DevServer(ServeOptions(root=root, port=0), out=io.StringIO())
        started = time.time()
        again.start()
        print(f"  {count} articles: next start {time.time() - started:.1f} s", flush=True)
        again.stop()
        return rows


def table(results: dict[int, list[dict[str, float]]]) -> str:
    """A Markdown table of the medians (and 90th percentiles) in milliseconds."""
    lines = [
        "| articles | edits | detect | rebuild | notify | save → page shown (median / p90) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for count, rows in results.items():

        def median(key: str, rows=rows) -> str:
            return f"{statistics.median(r[key] for r in rows) * 1000:.0f} ms"

        totals = sorted(r["total"] for r in rows)
        p90 = totals[min(len(totals) - 1, round(0.9 * (len(totals) - 1)))]
        lines.append(
            f"| {count} | {len(rows)} | {median('detect')} | {median('rebuild')} | "
            f"{median('notify')} | {median('total')} / {p90 * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark for each corpus size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10, 10_000])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for count in args.articles:
                results[count] = measure(count, args.edits, browser)
        finally:
            browser.close()
    print(table(results))


if __name__ == "__main__":
    main()
