"""The site configuration: `site.toml` at the project root → one frozen Config."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BuildError, SourceError

CONFIG_NAME = "site.toml"


@dataclass(frozen=True)
class Theme:
    """One theme of the review: `id` is used in frontmatter, `slug` in French URLs."""

    id: str
    label: str
    slug: str
    description: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """A `[[people]]` entry: a person or organisation for the index, with its other names;
    `hide` drops a name the analysis found by mistake."""

    name: str
    kind: str = ""  # "personne", "organisation" or "" (shown as is)
    aliases: tuple[str, ...] = ()
    hide: bool = False


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know besides the articles themselves."""

    root: Path
    title: str
    description: str
    base_url: str
    language: str = "fr"
    author: str = ""
    full_text: bool = False
    page_size: int = 30
    theme_min_score: int = 3
    themes: tuple[Theme, ...] = ()
    people: tuple[Entity, ...] = ()
    content_dir: Path = field(default=Path("content"))
    output_dir: Path = field(default=Path("_site"))

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/revue/' or '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def theme(self, theme_id: str) -> Theme | None:
        """The theme with this id, or None."""
        return next((t for t in self.themes if t.id == theme_id), None)

    def with_base_url(self, base_url: str) -> Config:
        """A copy of this config serving the site from another base URL."""
        return replace(self, base_url=normalize_base_url(base_url))


def normalize_base_url(url: str) -> str:
    """Ensure a base URL ends with exactly one '/'."""
    return url.rstrip("/") + "/"


def load_config(root: Path) -> Config:
    """Read `root/site.toml`; raise BuildError listing every problem found in it."""
    path = root / CONFIG_NAME
    shown = CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise BuildError(
            [
                SourceError(
                    shown,
                    0,
                    "no site.toml here: run Revue from the project folder, or create site.toml",
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", 0) or _line_from_message(str(error))
        raise BuildError([SourceError(shown, line, f"invalid TOML: {error}")]) from None

    errors: list[SourceError] = []
    tables = _table_lines(text)
    site = data.get("site", {})
    for key in ("title", "base_url"):
        if not isinstance(site.get(key), str) or not site.get(key):
            line = tables.get("site", [0])[0]
            errors.append(
                SourceError(shown, line, f"[site] needs a text '{key}' (e.g. {key} = \"…\")")
            )
    themes = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("themes", []), start=1):
        missing = [k for k in ("id", "label", "slug") if not isinstance(raw.get(k), str)]
        if missing:
            line = _nth(tables.get("themes", []), index)
            errors.append(SourceError(shown, line, f"theme #{index} lacks {', '.join(missing)}"))
            continue
        if raw["id"] in seen:
            line = _nth(tables.get("themes", []), index)
            errors.append(SourceError(shown, line, f"theme id '{raw['id']}' is used twice"))
        seen.add(raw["id"])
        themes.append(
            Theme(
                raw["id"],
                raw["label"],
                raw["slug"],
                raw.get("description", ""),
                tuple(raw.get("terms", ())),
            )
        )
    people = _people(data.get("people", []), tables.get("people", []), errors)
    page_size = site.get("page_size", 30)
    if type(page_size) is not int or page_size < 1:
        line = tables.get("site", [0])[0]
        errors.append(
            SourceError(
                shown, line, "[site] page_size must be a whole number of at least 1 (e.g. 30)"
            )
        )
    if errors:
        raise BuildError(errors)
    build = data.get("build", {})
    return Config(
        root=root,
        title=site["title"],
        description=site.get("description", ""),
        base_url=normalize_base_url(site["base_url"]),
        language=site.get("language", "fr"),
        author=site.get("author", ""),
        full_text=bool(site.get("full_text", False)),
        page_size=page_size,
        theme_min_score=int(build.get("theme_min_score", 3)),
        themes=tuple(themes),
        people=people,
        content_dir=Path(build.get("content_dir", "content")),
        output_dir=Path(build.get("output_dir", "_site")),
    )


def _people(raw: object, lines: list[int], errors: list[SourceError]) -> tuple[Entity, ...]:
    """The `[[people]]` entries: name (text), kind, aliases (list of texts), hide (bool)."""
    entries = []
    for index, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        aliases = item.get("aliases", []) if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not item["name"].strip()
            or item.get("kind", "") not in ("", "personne", "organisation")
            or not isinstance(aliases, list)
            or not all(isinstance(a, str) for a in aliases)
            or not isinstance(item.get("hide", False), bool)
        ):
            errors.append(
                SourceError(
                    CONFIG_NAME,
                    _nth(lines, index),
                    f"people #{index} must have a text 'name', and may have kind = "
                    '"personne" or "organisation", aliases = ["…"], hide = true',
                )
            )
            continue
        entries.append(
            Entity(
                item["name"].strip(),
                item.get("kind", ""),
                tuple(a.strip() for a in aliases),
                item.get("hide", False),
            )
        )
    return tuple(entries)


def _line_from_message(message: str) -> int:
    marker = "(at line "
    if marker in message:
        return int(message.split(marker, 1)[1].split(",", 1)[0])
    return 0


def _table_lines(text: str) -> dict[str, list[int]]:
    """The line of every `[table]` / `[[array]]` header, by table name, in file order."""
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            name = stripped.strip("[]").strip()
            lines.setdefault(name, []).append(number)
    return lines


def _nth(lines: list[int], index: int) -> int:
    """The index-th (1-based) header line, or 0 when unknown."""
    return lines[index - 1] if 0 < index <= len(lines) else 0


def article_names(config: Config) -> list[str]:
    """Every article file under content/articles/ (hidden files, editor backups and hidden
    folders skipped), as posix paths relative to the project, in path order. Here rather
    than beside the parser, so that a build with nothing to do need not import it."""
    folder = config.root / config.content_dir / "articles"
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "#"))]
        shown = os.path.relpath(top, config.root).replace(os.sep, "/")
        found.extend(
            f"{shown}/{name}"
            for name in files
            if name.endswith(".md") and not name.startswith((".", "#"))
        )
    return sorted(found, key=lambda shown: shown.split("/"))
