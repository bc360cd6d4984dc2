"""How fast does `build.py` build 1,000 / 10,000 (/ 100,000) articles, cold, with nothing
changed and after editing one article? And, side by side in the same run, the peers of a
peer-benchmark folder (Hugo, Eleventy, Pelican…) on the same corpus.

For each size: a corpus is generated (with the bench folder's `gen_corpus.py` when a bench
folder is given, so every tool reads the same files; else with benchmarks/corpus.py), put in
a project with the repository's site.toml, templates/ and static/, and built:

- cold: output folder and `.revue-cache/` removed first;
- no change: built again over the previous output, with its cache;
- one edit (body): a line appended to the middle article, then built again;
- one edit (title): a few words put before that article's title (the title shows on the
  list pages and in the search index), then built again.

Each figure is the median wall time of `--runs` whole processes (interpreter start-up
included) with min-max, articles/s = N / median, and the peak RSS of the largest single
process (the build or one of its workers) in MiB. Work files go to `--work` (default: the
tmpfs /dev/shm when there is one, as the peer figures were taken there). The package's
bytecode is compiled first, as any first run leaves it: where PYTHONDONTWRITEBYTECODE is
set, every run would otherwise compile the whole package again (~0.2 s of each). After
the table, for each size: Revue's median wall time of each step of each kind of build, as
`build.py build --timings` prints them (where the time of an edit goes).

    python benchmarks/build_speed.py --articles 1000 10000 --runs 3
    python benchmarks/build_speed.py --articles 1000 10000 --bench ../shared/bench --peers hugo
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
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

# Runs a command and prints its wall time and the largest RSS of it and its descendants.
TIMED = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """(wall seconds, peak MiB of the largest process, what it printed on stderr) of one
    run of `command`."""
    result = subprocess.run(
        [sys.executable, "-c", TIMED, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    wall, peak_kib, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed (exit {code}) in {cwd}")
    return float(wall), int(peak_kib) / 1024, result.stderr


STEP = re.compile(r"  (.+?) +(\d+\.\d{3}) s")


def steps_of(stderr: str) -> dict[str, float]:
    """The wall time of each step a `build.py build --timings` printed (revue/progress.py)."""
    lines = stderr.splitlines()
    if "Steps (wall time):" not in lines:
        return {}
    start = lines.index("Steps (wall time):") + 1
    return {m[1]: float(m[2]) for line in lines[start:] if (m := STEP.fullmatch(line))}


def make_corpus(work: Path, count: int, bench: Path | None) -> Path:
    """A corpus folder holding content/articles/ for `count` articles (made once)."""
    corpus = work / f"corpus-{count}"
    if not (corpus / "content" / "articles").is_dir():
        if bench:
            subprocess.run(
                [
                    sys.executable,
                    str(bench / "gen_corpus.py"),
                    str(corpus),
                    "--articles",
                    str(count),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            write_corpus(corpus, count)
    return corpus


def make_project(work: Path, corpus: Path, count: int) -> Path:
    """A fresh Revue project over a copy of the corpus."""
    project = work / f"revue-{count}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    shutil.copy(REPO / "site.toml", project)
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copytree(REPO / "static", project / "static")
    shutil.copytree(corpus / "content", project / "content")
    return project


def middle_article(project: Path) -> Path:
    """The middle article of the corpus, the one the edit-one runs change."""
    articles = sorted((project / "content" / "articles").glob("*.md"))
    return articles[len(articles) // 2]


Runs = dict[str, list[tuple[float, float, str]]]


def measure_revue(project: Path, runs: int) -> Runs:
    """Cold, no-change and one-edit runs of build.py in `project` (with its step timings)."""
    command = [sys.executable, str(REPO / "build.py"), "build", "--timings"]
    results: Runs = {"cold": [], "no change": [], "one edit (body)": [], "one edit (title)": []}
    for _ in range(runs):
        shutil.rmtree(project / "_site", ignore_errors=True)
        shutil.rmtree(project / ".revue-cache", ignore_errors=True)
        results["cold"].append(timed(command, project))
    timed(command, project)  # settle the cache after the last cold run
    for _ in range(runs):
        results["no change"].append(timed(command, project))
    article = middle_article(project)
    for run in range(runs):
        time.sleep(0.01)
        with article.open("a", encoding="utf-8") as stream:
            stream.write(f"\nUne phrase ajoutée pour la mesure numéro {run}.\n")
        results["one edit (body)"].append(timed(command, project))
    for run in range(runs):  # a title shows on the lists and in the search index too
        time.sleep(0.01)
        text = article.read_text(encoding="utf-8")
        text = re.sub(r"\ntitle: (\"?)", rf"\ntitle: \g<1>Mesure {run}, ", text, count=1)
        article.write_text(text, encoding="utf-8")
        results["one edit (title)"].append(timed(command, project))
    return results


def step_table(count: int, results: Runs) -> list[str]:
    """Revue's median time per step of each kind of build, as a Markdown table."""
    steps = {kind: [steps_of(err) for *_, err in runs] for kind, runs in results.items()}
    names = dict.fromkeys(name for runs in steps.values() for run in runs for name in run)
    lines = [
        f"Revue at {count:,} articles, median wall s of each step (`build.py build --timings`):",
        "| step | " + " | ".join(steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for name in names:
        cells = []
        for runs in steps.values():
            values = [run[name] for run in runs if name in run]
            cells.append(f"{statistics.median(values):.3f}" if values else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def measure_peer(bench: Path, name: str, corpus: Path, work: Path, runs: int) -> Runs:
    """Clean builds and plain reruns of one peer, with its driver from the bench folder."""
    driver = bench / "peers" / f"{name}.sh"
    subprocess.run(["bash", str(driver), "--prepare", str(corpus)], check=True, capture_output=True)
    out = work / f"out-{name}"
    results: Runs = {"cold": [], "rerun, no change": []}
    for _ in range(runs):
        results["cold"].append(timed(["bash", str(driver), str(corpus), str(out)], work))
    for _ in range(runs):
        results["rerun, no change"].append(
            timed(["bash", str(driver), str(corpus), str(out)], work, {"MODE": "rebuild"})
        )
    return results


def row(tool: str, count: int, kind: str, runs: list[tuple[float, float, str]]) -> str:
    walls = [wall for wall, _, _ in runs]
    median = statistics.median(walls)
    peak = max(peak for _, peak, _ in runs)
    return (
        f"| {tool} | {kind} | {count:,} | {median:.2f} ({min(walls):.2f}-{max(walls):.2f}) "
        f"| {count / median:,.0f} | {peak:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bench", type=Path, help="peer benchmark folder (with gen_corpus.py)")
    parser.add_argument("--peers", default="", help="comma-separated peers of the bench, e.g. hugo")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs")
    args = parser.parse_args()
    shm = Path("/dev/shm")
    base = args.work or (shm if shm.is_dir() else Path(tempfile.gettempdir()))
    work = Path(tempfile.mkdtemp(prefix="revue-speed-", dir=base))
    bench = args.bench.resolve() if args.bench else None
    peers = [p for p in args.peers.split(",") if p]
    if peers and not bench:
        raise SystemExit("--peers needs --bench FOLDER")
    compileall.compile_dir(REPO / "revue", quiet=1)
    print(f"work folder: {work} ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    print("| tool | build | articles | wall s, median (min-max) | articles/s | peak MiB |")
    print("|---|---|---:|---|---:|---:|")
    tables: list[str] = []
    try:
        for count in args.articles:
            corpus = make_corpus(work, count, bench)
            project = make_project(work, corpus, count)
            measured = measure_revue(project, args.runs)
            for kind, runs in measured.items():
                print(row("Revue", count, kind, runs), flush=True)
            tables += ["", *step_table(count, measured)]
            shutil.rmtree(project)
            for name in peers:
                for kind, runs in measure_peer(bench, name, corpus, work, args.runs).items():
                    print(row(name, count, kind, runs), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(*tables, sep="\n")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
