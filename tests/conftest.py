"""Shared fixtures: small throwaway Revue projects."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


class Project:
    """A throwaway project folder with the repository's config, templates and static files."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        """Write a file (dedented) under the project and return its path."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(
        self,
        name: str,
        front: str = "",
        body: str = "Un texte.\n",
        *,
        title: str = "Un titre",
        date: str = "2024-03-25",
        source: str = "Le Monde",
    ) -> Path:
        """Write content/articles/NAME.md with the given fields plus extra frontmatter lines."""
        header = f"title: {title}\ndate: {date}\nsource: {source}\n" + textwrap.dedent(front)
        text = f"---\n{header.strip()}\n---\n\n{textwrap.dedent(body)}"
        path = self.root / "content" / "articles" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project using the repository's site.toml, templates/ and static/."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "content" / "articles").mkdir(parents=True)
    return Project(root)


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable:
    """Run `build.py ARGS` in-process inside a project; return (exit code, stdout, stderr)."""
    from revue.cli import main

    def run(project: Project, *args: str) -> tuple[int, str, str]:
        monkeypatch.chdir(project.root)
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
