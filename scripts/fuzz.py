"""Fuzz the article loader and the build with mutated copies of the seed articles.

    python scripts/fuzz.py [--cases 2000] [--seed 1]   # the long run (`make fuzz`)
    python scripts/fuzz.py --check PROJECT              # the worker the tests run

Each mutant is one article file made from a seed of content/articles/ by one or more
mutations (random bytes, invalid UTF-8, BOM, CRLF, NUL, 10 MB lines, deep nesting, YAML
bombs, impossible dates, 10,000-character titles, emoji, RTL…). Every mutant must give
either a good page or `path:line: message` errors: never an exception, never a hang. The
worker checks the mutants of one project folder in this process and prints one JSON line
per file; the caller runs it in a subprocess with a timeout, so a hang is caught too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "content" / "articles"
ERROR_LINE = re.compile(r"^content/articles/[^\n:]+\.md:\d+: [^\n]+$")

Mutation = Callable[[bytes, random.Random], bytes]


def _split(data: bytes) -> tuple[bytes, bytes]:
    """(frontmatter lines without fences, body) of a seed."""
    _, front, body = data.split(b"---\n", 2)
    return front, body


def _join(front: bytes, body: bytes) -> bytes:
    return b"---\n" + front + b"---\n" + body


def _set_field(data: bytes, key: bytes, value: bytes) -> bytes:
    """Replace (or add) one top-level frontmatter field."""
    front, body = _split(data)
    lines = [line for line in front.split(b"\n") if line and not line.startswith(key + b":")]
    return _join(b"\n".join([*lines, key + b": " + value]) + b"\n", body)


def _deep_list(depth: int) -> bytes:
    return b"".join(b"  " * i + b"- x\n" for i in range(depth))


def _bomb(levels: int) -> bytes:
    lines = [b"lol0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(b"lol%d: &a%d [" % (i, i) + b", ".join([b"*a%d" % (i - 1)] * 9) + b"]")
    return b"\n".join(lines) + b"\n"


def _insert(data: bytes, rng: random.Random, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


def _in_front(data: bytes, piece: bytes) -> bytes:
    front, body = _split(data)
    return _join(front + piece, body)


def _title(text: str) -> Mutation:
    return lambda d, r: _set_field(d, b"title", json.dumps(text, ensure_ascii=False).encode())


MUTATIONS: dict[str, Mutation] = {
    "random-bytes": lambda d, r: r.randbytes(r.randrange(1, 4096)),
    "random-text": lambda d, r: "".join(chr(r.randrange(1, 0x3000)) for _ in range(500)).encode(
        "utf-8", "replace"
    ),
    "flip-bytes": lambda d, r: bytes(
        b ^ (1 << r.randrange(8)) if r.random() < 0.01 else b for b in d
    ),
    "truncate": lambda d, r: d[: r.randrange(len(d))],
    "empty": lambda d, r: b"",
    "only-fence": lambda d, r: b"---\n",
    "invalid-utf8-body": lambda d, r: d + b"\xff\xfe\xc3\x28 fin\n",
    "invalid-utf8-front": lambda d, r: _in_front(d, b"note: \xc3\x28\n"),
    "overlong-utf8": lambda d, r: d + b"\xc0\xaf\xe0\x80\xaf\n",
    "bom": lambda d, r: b"\xef\xbb\xbf" + d,
    "double-bom": lambda d, r: b"\xef\xbb\xbf\xef\xbb\xbf" + d,
    "utf16": lambda d, r: d.decode("utf-8").encode("utf-16"),
    "crlf": lambda d, r: d.replace(b"\n", b"\r\n"),
    "cr": lambda d, r: d.replace(b"\n", b"\r"),
    "mixed-endings": lambda d, r: b"".join(
        line + r.choice([b"\n", b"\r\n", b"\r"]) for line in d.split(b"\n")
    ),
    "nul-body": lambda d, r: d + b"avant\x00apr\xc3\xa8s\x00\n",
    "nul-front": lambda d, r: _in_front(d, b"note: a\x00b\n"),
    "nul-escape": lambda d, r: _set_field(d, b"title", b'"a\\0b"'),
    "surrogate-escape": lambda d, r: _set_field(d, b"title", b'"\\ud800 titre"'),
    "control-chars": lambda d, r: d + bytes(range(1, 32)) + b"\n",
    "line-10mb": lambda d, r: d + b"mot " * 2_500_000 + b"\n",
    "front-10mb": lambda d, r: _set_field(d, b"summary", b"a" * 10_000_000),
    "line-100kb": lambda d, r: d + b"mot, " * 20_000 + b"\n",
    "lines-20k": lambda d, r: d + b"ligne\n" * 20_000,
    "deep-list": lambda d, r: d + _deep_list(500),
    "deep-quote": lambda d, r: d + b"> " * 5_000 + b"x\n",
    "deep-quote-lines": lambda d, r: d + b"".join(b">" * i + b" x\n" for i in range(500)),
    "deep-brackets": lambda d, r: d + b"[" * 20_000 + b"x" + b"](y)" * 20_000 + b"\n",
    "deep-emphasis": lambda d, r: d + b"*_" * 20_000 + b"x" + b"_*" * 20_000 + b"\n",
    "deep-html": lambda d, r: d + b"<div>" * 10_000 + b"\n",
    "many-links": lambda d, r: d + b"[a](http://b) " * 20_000 + b"\n",
    "deep-yaml": lambda d, r: _in_front(d, b"tags: " + b"[" * 5_000 + b"]" * 5_000 + b"\n"),
    "deep-yaml-block": lambda d, r: _in_front(
        d, b"tags:\n" + b"".join(b"  " * (i + 1) + b"- \n" for i in range(200))
    ),
    "yaml-bomb": lambda d, r: _in_front(d, _bomb(9)),
    "yaml-bomb-title": lambda d, r: _in_front(d, _bomb(6)).replace(b"title:", b"old:", 1) + b"",
    "yaml-anchors": lambda d, r: _in_front(d, b"base: &b {x: 1}\nautre:\n  <<: *b\n  y: 2\n"),
    "yaml-python-tag": lambda d, r: _set_field(
        d, b"title", b"!!python/object/apply:os.system [ls]"
    ),
    "yaml-binary": lambda d, r: _set_field(d, b"title", b"!!binary aGVsbG8="),
    "yaml-tabs": lambda d, r: _in_front(d, b"tags:\n\t- a\n"),
    "yaml-duplicate-key": lambda d, r: _in_front(d, b"title: deux\n"),
    "yaml-complex-key": lambda d, r: _in_front(d, b"? [a, b]\n: c\n"),
    "yaml-document-end": lambda d, r: _in_front(d, b"...\n"),
    "yaml-two-documents": lambda d, r: _in_front(d, b"--- \nautre: doc\n"),
    "no-closing-fence": lambda d, r: d.replace(b"\n---\n", b"\n", 1),
    "no-opening-fence": lambda d, r: d[4:],
    "date-feb-30": lambda d, r: _set_field(d, b"date", b"2024-02-30"),
    "date-feb-29-2023": lambda d, r: _set_field(d, b"date", b"2023-02-29"),
    "date-month-13": lambda d, r: _set_field(d, b"date", b"2024-13"),
    "date-year-0": lambda d, r: _set_field(d, b"date", b"0000-01-01"),
    "date-year-9999": lambda d, r: _set_field(d, b"date", b"9999-12-31"),
    "date-hour-25": lambda d, r: _set_field(d, b"date", b"2024-03-25T25:00:00"),
    "date-tz-overflow": lambda d, r: _set_field(d, b"date", b"0001-01-01T00:00:00+23:59"),
    "date-number": lambda d, r: _set_field(d, b"date", b"20240325"),
    "date-list": lambda d, r: _set_field(d, b"date", b"[2024, 3]"),
    "title-10k": _title("Titre " * 1_700),
    "title-10k-nospace": _title("é" * 10_000),
    "source-10k": lambda d, r: _set_field(d, b"source", b"M" * 10_000),
    "slug-10k": lambda d, r: _set_field(d, b"slug", b"a" * 10_000),
    "title-empty": lambda d, r: _set_field(d, b"title", b'""'),
    "title-list": lambda d, r: _set_field(d, b"title", b"[a, b]"),
    "title-number": lambda d, r: _set_field(d, b"title", b"1e400"),
    "title-emoji": _title("🎬🤖 Sora 👩‍👩‍👧‍👦🏳️‍🌈 à Hollywood ‼️"),
    "title-rtl": _title("سورا في هوليوود \u202eévitez\u202c שלום"),
    "title-zalgo": _title("Z" + "\u0301\u0302\u0303\u0304" * 200 + "algo"),
    "title-zero-width": _title("Ti\u200btre\u2060 \ufeff invisible"),
    "body-emoji-rtl": lambda d, r: d + "\n🎬 مرحبا بالعالم \u202e !؟ שלום ; « 🤖 »\n".encode(),
    "body-empty": lambda d, r: _split(d)[0].join([b"---\n", b"---\n"]),
    "body-whitespace": lambda d, r: _join(_split(d)[0], b" \n\t\n \n"),
    "url-javascript": lambda d, r: _set_field(d, b"url", b"javascript:alert(1)"),
    "url-10k": lambda d, r: _set_field(d, b"url", b"https://a.example/" + b"x" * 10_000),
    "lang-bad": lambda d, r: _set_field(d, b"lang", b'"en\\" onclick=\\"x"'),
    "themes-unknown": lambda d, r: _set_field(d, b"themes", b"[nope]"),
    "author-nested": lambda d, r: _set_field(d, b"author", b"[[a, [b]]]"),
    "raw-html": lambda d, r: d + b"<script>alert(1)</script><img src=x onerror=alert(1)>\n",
}

# The mutations that make big files, kept out of random stacking.
BIG = {"line-10mb", "front-10mb"}
# Accepted inputs that take 10 s or more to build (the theme analysis stems every word):
# in the long run only.
SLOW = {"deep-brackets", "deep-emphasis", "deep-html", "line-100kb", "lines-20k", "many-links"}


def mutants(
    seed: int, stacked: int = 0, slow: bool = True, seeds: int | None = None
) -> dict[str, bytes]:
    """`{file name: bytes}`: every mutation applied once to each of the first `seeds` seeds
    (all by default; the SLOW mutations only when `slow`), then `stacked` random stacks of
    two to four mutations."""
    rng = random.Random(seed)
    paths = sorted(SEEDS.glob("*.md"))[:seeds]
    out: dict[str, bytes] = {}
    for number, path in enumerate(paths):
        data = path.read_bytes()
        for name, mutate in MUTATIONS.items():
            if slow or name not in SLOW:
                out[f"2024-03-25-s{number}-{name}.md"] = mutate(data, rng)
    small = [name for name in MUTATIONS if name not in BIG | SLOW]
    for index in range(stacked):
        data = rng.choice(paths).read_bytes()
        names = rng.sample(small, rng.randrange(2, 5))
        for name in names:
            try:
                data = MUTATIONS[name](data, rng)
            except (ValueError, UnicodeDecodeError):  # a seed no longer in shape for it
                continue
        out[f"2024-03-25-r{index}-{'-'.join(names)}.md"] = data
    return out


def make_project(root: Path, files: dict[str, bytes]) -> Path:
    """A project folder with the repository's config, templates and static, and `files`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    folder = root / "content" / "articles"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return root


def check_project(root: Path) -> None:
    """The worker: parse each article of `root` alone, build the valid ones, print JSON lines
    `{"file", "outcome": "page" | "errors" | "crash", "errors", "seconds"}`."""
    sys.path.insert(0, str(REPO))
    from revue.config import load_config
    from revue.content import article_paths, parse_article
    from revue.pipeline import build_files

    config = load_config(root)
    valid = {}
    for path in article_paths(config):
        shown = path.relative_to(root).as_posix()
        started = time.monotonic()
        try:
            article, errors = parse_article(shown, path.read_bytes(), config)
        except Exception as error:  # reported, never raised: the test names the file
            _say(shown, "crash", [repr(error)[:500]], started)
            continue
        if article is None:
            _say(shown, "errors", [str(e) for e in errors], started)
        else:
            valid[shown] = (article, time.monotonic() - started)
    try:  # all the valid ones at once; one by one only when that fails
        files, _ = build_files(config, [article for article, _ in valid.values()])
        alone = False
    except Exception:
        alone = True
    for shown, (article, parsing) in valid.items():
        started = time.monotonic() - parsing
        try:
            if alone:
                files, _ = build_files(config, [article])
            page = files[f"articles/{article.slug}/index.html"].decode("utf-8")
            assert "<h1" in page and "</html>" in page, "page without a title or an end"
        except Exception as error:
            _say(shown, "crash", [repr(error)[:500]], started)
            continue
        _say(shown, "page", [], started)


def _say(shown: str, outcome: str, errors: list[str], started: float) -> None:
    seconds = round(time.monotonic() - started, 3)
    line = {"file": shown, "outcome": outcome, "errors": errors, "seconds": seconds}
    print(json.dumps(line, ensure_ascii=False), flush=True)


def run_worker(root: Path, timeout: float) -> list[dict]:
    """Run the worker on a project in a subprocess; raise TimeoutError on a hang."""
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--check", str(root)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        seen = (error.stdout or b"").decode(errors="replace").splitlines()
        last = json.loads(seen[-1])["file"] if seen else "the first file"
        raise TimeoutError(f"no answer after {timeout:.0f} s (hung after {last})") from None
    if done.returncode != 0:
        raise RuntimeError(f"worker failed:\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def problems_of(results: list[dict]) -> list[str]:
    """What breaks the rules: crashes, and errors that are not `path:line: message`."""
    problems = []
    for result in results:
        if result["outcome"] == "crash":
            problems.append(f"{result['file']}: crashed: {result['errors']}")
        elif result["outcome"] == "errors":
            bad = [e for e in result["errors"] if not ERROR_LINE.match(e)]
            if bad or not result["errors"]:
                problems.append(f"{result['file']}: unclear errors {bad or '(none)'}")
            elif any(not e.startswith(result["file"] + ":") for e in result["errors"]):
                problems.append(f"{result['file']}: errors name another file")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=Path, help="worker mode: check this project's articles")
    parser.add_argument("--cases", type=int, default=2000, help="random stacked mutants")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=200, help="mutants per worker process")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per worker")
    args = parser.parse_args()
    if args.check:
        check_project(args.check)
        return 0
    cases = mutants(args.seed, args.cases)
    names = sorted(cases)
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    slowest = (0.0, "")
    with tempfile.TemporaryDirectory(prefix="revue-fuzz-") as folder:
        for start in range(0, len(names), args.chunk):
            chunk = {name: cases[name] for name in names[start : start + args.chunk]}
            root = make_project(Path(folder) / f"p{start}", chunk)
            try:
                results = run_worker(root, args.timeout)
            except TimeoutError as error:
                problems.append(f"chunk {start}: {error}")
                continue
            outcomes.update(r["outcome"] for r in results)
            problems += problems_of(results)
            slowest = max(slowest, *((r["seconds"], r["file"]) for r in results))
            shutil.rmtree(root)
            print(f"{start + len(chunk)}/{len(names)} mutants: {dict(outcomes)}", flush=True)
    print(f"{len(names)} mutants: {dict(outcomes)}; slowest {slowest[0]:.1f} s ({slowest[1]})")
    for problem in problems:
        print(problem)
    print("FAILED" if problems else "OK: every mutant gave a page or path:line errors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
