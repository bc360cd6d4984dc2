"""Hostile input for `import`: random bytes, broken UTF-8, byte-order marks, CRLF, NUL,
emoji and right-to-left text, deeply nested HTML, a 10 MB single line. Every case must give
either a well-formed article file or the one-line error naming the file, never a traceback
(the command's last-resort « report it » line counts as a failure here). The time limits
are hang guards only, not speed targets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revue.import_command import import_files
from revue.ingest import FIELDS

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (Path(__file__).parent / "fixtures" / "import" / "page.html").read_text(encoding="utf-8")
PASTED = (Path(__file__).parent / "fixtures" / "import" / "page.pasted.txt").read_text(
    encoding="utf-8"
)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check_import(folder: Path, name: str, data: bytes) -> None:
    """Import `data` saved as folder/name: a well-formed article, or exactly one error
    line naming the file and nothing written."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_bytes(data)
    out = folder / "out"
    lines: list[str] = []
    code = import_files(
        [source],
        articles_dir=folder / "articles",
        source=None,
        url=None,
        output=out / "article.md",
        force=True,
        echo=lines.append,
    )
    if code == 1:
        assert len(lines) == 1 and "\n" not in lines[0], lines
        assert lines[0].startswith(f"{source}: ")
        assert "report it" not in lines[0], lines[0]
        assert not (out / "article.md").exists()
        return
    assert code == 0, lines
    post = frontmatter.loads((out / "article.md").read_text(encoding="utf-8"))
    assert set(post.metadata) <= set(FIELDS)
    assert post.content.strip()
    if "date" in post.metadata:
        assert _DATE.match(str(post.metadata["date"]))
    (out / "article.md").unlink()


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".html", ".md"]))
def test_random_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    check_import(tmp_path / "random", "page" + suffix, data)


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(ARTICLE)),
    junk=st.binary(min_size=1, max_size=8).filter(lambda b: not _is_utf8(b)),
    suffix=st.sampled_from([".txt", ".html"]),
)
def test_invalid_utf8_inside_a_page(tmp_path: Path, cut: int, junk: bytes, suffix: str) -> None:
    data = ARTICLE.encode()
    check_import(tmp_path / "utf8", "page" + suffix, data[:cut] + junk + data[cut:])


@FUZZ
@given(
    bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    nuls=st.lists(st.integers(min_value=0, max_value=len(PASTED)), max_size=5),
    html=st.booleans(),
)
def test_bom_crlf_and_nul(
    tmp_path: Path, bom: bytes, newline: str, nuls: list[int], html: bool
) -> None:
    text = ARTICLE if html else PASTED
    for position in sorted(nuls, reverse=True):
        text = text[:position] + "\x00" + text[position:]
    text = text.replace("\n", newline)
    codec = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(bom, "utf-8")
    check_import(tmp_path / "bom", "page.html" if html else "page.txt", bom + text.encode(codec))


_EMOJI_RTL = st.text(
    alphabet=st.sampled_from(
        list("🎉😀👍🏽‍♀️🇫🇷")
        + list("مرحبا بالعالم שלום עולם")
        + ["\u200f", "\u202e", "\u2066"]
        + list("abc éàç «»’ .,;:!?\n")
    ),
    max_size=300,
)


@FUZZ
@given(extra=_EMOJI_RTL, where=st.integers(min_value=0, max_value=len(PASTED)), html=st.booleans())
def test_emoji_and_right_to_left_text(tmp_path: Path, extra: str, where: int, html: bool) -> None:
    text = ARTICLE if html else PASTED
    where = min(where, len(text))
    check_import(
        tmp_path / "rtl",
        "page.html" if html else "page.txt",
        (text[:where] + extra + text[where:]).encode(),
    )


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(depth=st.integers(min_value=1, max_value=20_000), tag=st.sampled_from(["div", "span", "b"]))
def test_deeply_nested_html(tmp_path: Path, depth: int, tag: str) -> None:
    inner = ARTICLE.split("<main>")[1].split("</main>")[0]
    page = f"<html><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}</body></html>"
    check_import(tmp_path / "deep", "page.html", page.encode())


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_ten_megabyte_single_line_in_a_subprocess(project, tmp_path: Path, suffix: str) -> None:
    """One 10 MB line with no line break: an error or an article, within a hang guard."""
    source = tmp_path / f"line{suffix}"
    words = "le maire a présenté le projet aux habitants, qui ont posé des questions. "
    source.write_text((words * (10_000_000 // len(words) + 1))[:10_000_000], encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "import",
            str(source),
            "--output",
            str(tmp_path / "out.md"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=project.root,
    )
    assert "Traceback" not in result.stderr + result.stdout
    if result.returncode:
        assert result.stdout.count("\n") == 1 and result.stdout.startswith(f"{source}: ")
    else:
        assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("---\n")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
