"""Read and validate the articles under `content/articles/` → Article dataclasses.

Every problem of every file is collected as a SourceError (`path:line: message` with the
fix), so a build reports them all at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from .config import Config, article_names
from .dates import ArticleDate
from .errors import SourceError
from .fields import article_fields
from .frontmatter_yaml import FrontmatterShapeError, parse_yaml

_FENCE = re.compile(r"^-{3,}\s*$")  # the boundary python-frontmatter splits on
MAX_BYTES = 1_000_000  # an article file larger than this is refused with an error


@dataclass(frozen=True)
class Article:
    """One validated article. `path` is relative to the project root, for messages."""

    path: str
    slug: str
    title: str
    date: ArticleDate
    source: str
    body: str
    body_line: int
    url: str = ""
    authors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    summary: str = ""
    excerpt: str = ""
    sources: tuple[str, ...] = ()
    lang: str = "fr"
    full_text: bool | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    overrides: Mapping[str, object] = field(default_factory=dict)  # see analysis/overrides.py

    @functools.cached_property
    def is_draft(self) -> bool:
        """True for an article marked `draft: true`, which is validated but not published."""
        return bool(self.extra.get("draft"))


def article_paths(config: Config) -> list[Path]:
    """Every article under content/articles/, sorted; hidden files and editor backups
    skipped (config.article_names, as paths)."""
    return [config.root / name for name in article_names(config)]


def load_articles(config: Config) -> tuple[list[Article], list[SourceError]]:
    """Read and validate every article; return those that are valid and all the errors."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    for path in article_paths(config):
        shown = path.relative_to(config.root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(SourceError(shown, 0, f"cannot be read ({error.strerror}): check it"))
            continue
        article, problems = parse_article(shown, data, config)
        errors.extend(problems)
        if article is not None and not article.is_draft:
            articles.append(article)
    errors.extend(duplicate_slugs(articles))
    return articles, errors


def parse_article(
    shown: str, data: bytes, config: Config
) -> tuple[Article | None, list[SourceError]]:
    """Validate one article file's bytes; `shown` is the path used in messages."""
    if len(data) > MAX_BYTES:
        size = f"{-(-len(data) // 100_000) / 10:.1f} MB"  # rounded up: never "1.0 MB"
        return None, [
            SourceError(
                shown,
                1,
                f"the file is {size}, more than the 1 MB an article may be: "
                "keep only the passages the review quotes",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            SourceError(
                shown,
                line,
                f"not UTF-8 text (byte 0x{data[error.start]:02x}): "
                "re-save the file with the UTF-8 encoding",
            )
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, [
            SourceError(
                shown,
                1,
                "no frontmatter: the file must start with a line '---', "
                "then `title:`, `date:`, `source:`, then a line '---'",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if closing is None:
        return None, [
            SourceError(
                shown, 1, "the frontmatter is never closed: add a line '---' after the last field"
            )
        ]
    meta_text, body = YAMLHandler().split(text)
    body_line = closing + 2
    try:
        metadata, key_lines = parse_yaml(meta_text)
    except yaml.reader.ReaderError as error:
        line = meta_text[: error.position].count("\n") + 1
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        message = f"{char} is not allowed in the frontmatter: remove it"
        return None, [SourceError(shown, line, message)]
    except yaml.YAMLError as error:
        # The context mark is where the broken construct starts (an unclosed « [ » or quote);
        # the problem mark is where the parser gave up, often the end of the frontmatter.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = " ".join((getattr(error, "problem", None) or str(error)).split())
        return None, [
            SourceError(
                shown,
                line,
                f"broken YAML in the frontmatter: {problem} (check quotes, colons and indentation)",
            )
        ]
    except FrontmatterShapeError as error:
        return None, [SourceError(shown, error.line, str(error))]
    fields, errors = article_fields(shown, metadata, key_lines, body, body_line, config)
    return (None, errors) if fields is None else (Article(path=shown, **fields), errors)


def duplicate_slugs(articles: list[Article]) -> list[SourceError]:
    """One error per article whose slug another article already uses."""
    if len(set(map(attrgetter("slug"), articles))) == len(articles):  # the usual case, in C
        return []
    first: dict[str, Article] = {}
    errors = []
    for article in articles:
        if article.slug in first:
            other = first[article.slug].path
            errors.append(
                SourceError(
                    article.path,
                    1,
                    f"slug '{article.slug}' is also used by "
                    f"{other}: rename one file or set a different `slug:`",
                )
            )
        else:
            first[article.slug] = article
    return errors
