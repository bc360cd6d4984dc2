"""Any input file gives a good page or clear `path:line` errors: never a traceback, a hang
or a partial site.

The seed articles of content/articles/ are mutated by scripts/fuzz.py (random bytes,
invalid UTF-8, BOM, CRLF, NUL, 10 MB lines, deep nesting, YAML bombs, impossible dates,
10,000-character titles, emoji, RTL…) and checked in a subprocess with a timeout, so a hang
fails the test instead of blocking it. Hypothesis adds random bytes and random frontmatter.
`make fuzz` runs the long version.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revue.config import load_config
from revue.content import parse_article
from revue.pipeline import build_files

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import fuzz  # noqa: E402

SHOWN = "content/articles/2024-03-25-hasard.md"
ERROR = re.compile(rf"^{re.escape(SHOWN)}:\d+: [^\n]+$")
HANG_GUARD = 300  # seconds for the whole worker: only a hang comes near it
SEEDS = 2  # seeds mutated here; `make fuzz` mutates all five
STACKS = 20  # random stacks of mutations; `make fuzz` tries thousands


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The worker's verdict on every mutant: every mutation of the first SEEDS seeds, plus
    STACKS random stacks of mutations (the slowest accepted inputs are left to `make fuzz`)."""
    root = fuzz.make_project(
        tmp_path_factory.mktemp("fuzz") / "p", fuzz.mutants(1, STACKS, slow=False, seeds=SEEDS)
    )
    return {r["file"]: r for r in fuzz.run_worker(root, HANG_GUARD)}


def test_every_mutant_gives_a_page_or_path_line_errors(results: dict[str, dict]) -> None:
    assert len(results) == SEEDS * (len(fuzz.MUTATIONS) - len(fuzz.SLOW)) + STACKS
    assert fuzz.problems_of(list(results.values())) == []
    outcomes = {r["outcome"] for r in results.values()}
    assert outcomes == {"page", "errors"}


NO_FRONTMATTER = (
    ":1: no frontmatter: the file must start with a line '---', then `title:`, `date:`, "
    "`source:`, then a line '---'"
)


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        ("bom", None),
        ("crlf", None),
        ("cr", None),
        ("mixed-endings", None),
        ("nul-body", None),
        ("title-10k", None),
        ("title-10k-nospace", None),
        ("title-emoji", None),
        ("title-rtl", None),
        ("body-emoji-rtl", None),
        ("deep-list", None),
        ("deep-quote", None),
        ("yaml-anchors", None),
        ("raw-html", None),
        ("double-bom", NO_FRONTMATTER),
        (
            "date-feb-30",
            ":7: bad date: '2024-02-30' is not a real day (day is out of range for month)",
        ),
        ("date-tz-overflow", ":7: bad date: date value out of range"),
        (
            "line-10mb",
            ":1: the file is 10.1 MB, more than the 1 MB an article may be: "
            "keep only the passages the review quotes",
        ),
        (
            "yaml-bomb",
            ":12: the aliases (*name) expand to more than 10000 values: "
            "write the values out instead",
        ),
        ("deep-yaml", ":8: lists or mappings nested more than 20 deep: flatten them"),
        ("nul-front", ":8: U+0000 is not allowed in the frontmatter: remove it"),
        ("surrogate-escape", ":7: 'title' contains the invisible character U+D800: remove it"),
        (
            "invalid-utf8-body",
            ":33: not UTF-8 text (byte 0xff): re-save the file with the UTF-8 encoding",
        ),
        ("url-javascript", ":8: 'url' must be a web address starting with https:// or http://"),
        ("slug-10k", ":8: the slug is too long: keep it under 120"),
    ],
)
def test_a_mutation_of_the_first_seed(results: dict[str, dict], mutation: str, expected) -> None:
    shown = f"content/articles/2024-03-25-s0-{mutation}.md"
    result = results[shown]
    if expected is None:
        assert (result["outcome"], result["errors"]) == ("page", [])
    else:
        assert (result["outcome"], result["errors"]) == ("errors", [shown + expected])


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_build_with_broken_files_reports_them_all_and_keeps_the_previous_site(
    tmp_path: Path,
) -> None:
    seeds = {p.name: p.read_bytes() for p in fuzz.SEEDS.glob("*.md")}
    root = fuzz.make_project(tmp_path / "p", seeds)
    build = [sys.executable, str(REPO / "build.py")]
    first = subprocess.run(build, cwd=root, capture_output=True, text=True, timeout=HANG_GUARD)
    assert first.returncode == 0, first.stderr
    before = _hashes(root / "_site")
    broken = {k: v for k, v in fuzz.mutants(2, slow=False).items() if "-s1-" in k}
    for name, data in broken.items():
        (root / "content" / "articles" / name).write_bytes(data)
    second = subprocess.run(build, cwd=root, capture_output=True, text=True, timeout=HANG_GUARD)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    *lines, summary = second.stderr.splitlines()
    assert all(fuzz.ERROR_LINE.match(line) for line in lines), lines
    assert {line.split(":")[0] for line in lines} >= {
        f"content/articles/{name}" for name in broken if "date-feb-30" in name or "bomb" in name
    }
    assert re.fullmatch(r"Build failed: \d+ errors; nothing was written\.", summary)
    assert _hashes(root / "_site") == before
    leftovers = [p.name for p in root.iterdir() if p.name.startswith("._site.")]
    assert leftovers in ([], ["._site.lock"])


# --------------------------------------------------------------------------- hypothesis

CONFIG = load_config(REPO)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def _check(data: bytes) -> None:
    """The property: a page, or errors that are all `path:line: message` lines."""
    article, errors = parse_article(SHOWN, data, CONFIG)
    if article is None:
        assert errors
        assert all(ERROR.match(str(e)) for e in errors), errors
        return
    files, _ = build_files(CONFIG, [article])
    assert f"articles/{article.slug}/index.html" in files


@_settings(300)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    article, errors = parse_article(SHOWN, data, CONFIG)
    assert article is None  # random bytes never make a whole frontmatter
    assert all(ERROR.match(str(e)) for e in errors), errors


@_settings(200)
@given(st.binary(max_size=400), st.sampled_from(sorted(fuzz.SEEDS.glob("*.md"))))
def test_random_bytes_inside_a_seed(noise: bytes, seed: Path) -> None:
    data = seed.read_bytes()
    middle = len(data) // 2
    article, errors = parse_article(SHOWN, data[:middle] + noise + data[middle:], CONFIG)
    assert article is not None or all(ERROR.match(str(e)) for e in errors), errors


_scalars = (
    st.text(max_size=60)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.none()
    | st.dates().map(str)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(
    [
        "title",
        "date",
        "source",
        "url",
        "author",
        "themes",
        "summary",
        "excerpt",
        "sources",
        "lang",
        "full_text",
        "slug",
        "draft",
        "tags",
        "tittle",
    ]
) | st.text(min_size=1, max_size=12)


@_settings(40)
@given(
    title=st.text(min_size=1, max_size=200),
    date=st.dates().map(str) | st.text(max_size=20),
    extra=st.dictionaries(_keys, _values, max_size=5),
    body=st.text(max_size=400),
)
def test_random_frontmatter_and_body(title: str, date: str, extra: dict, body: str) -> None:
    fields = {"title": title, "date": date, "source": "Le Monde", **extra}
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    _check(f"---\n{header}---\n\n{body}\n".encode("utf-8", "surrogatepass"))
