"""Cache keys: a SHA-256 over everything that can change what it names, so correctness never
rests on a hand-written list of dependencies.

- a parsed article (with its analyses) is keyed by the file's bytes, its path, the config
  as reading sees it and the code version (`source_key`, `reading_digest`);
- an output file is keyed by its page's whole render context (`context_digest`: entries
  stand for their own keys), its template and every template it extends, includes or
  imports, the config, the static files' manifest and the code version (`page_digest`,
  revue/pipeline.py).

The code version hashes the package's own source and the versions of the libraries that
shape the output. The keys are kept between builds by revue/cache.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from .config import Config

TEMPLATES = "templates"
FORMAT = 3  # the version of the cache's layout and of the keys' recipes
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdit-py-plugins",
    "python-frontmatter",
    "pyyaml",
    "babel",
    "snowballstemmer",
    "numpy",
)


def sha(*parts: str | bytes) -> str:
    """The SHA-256 hex digest of the parts, each length-prefixed (so parts never blur)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_version() -> str:
    """A hash of every source file of the package and of the libraries' versions."""
    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [str(FORMAT)]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    parts.append(sys.version)
    parts += [f"{name}=={installed_version(name) or 'missing'}" for name in LIBRARIES]
    return sha(*parts)


def installed_version(name: str) -> str:
    """The installed version of the distribution `name`, '' when it is not installed: the
    version in the name of its `<name>-<version>.dist-info` folder, first found on
    sys.path, as importlib.metadata.version finds it (without importing the email parser
    that reads the rest of the metadata, a tenth of a second of every build)."""
    return _dist_info_versions().get(_normalized(name), "")


@functools.lru_cache(maxsize=1)
def _dist_info_versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in reversed(sys.path):  # the first entry on the path wins
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info") and "-" in folder:
                name, version = folder[: -len(".dist-info")].split("-", 1)
                found[_normalized(name)] = version
    return found


def _normalized(name: str) -> str:
    """A distribution's name as packaging compares them (PEP 503, `-` for `_` and `.`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def config_digest(config: Config) -> str:
    """A hash of the whole config (a frozen dataclass: its repr lists every field)."""
    return sha(repr(config))


def reading_digest(config: Config) -> str:
    """A hash of the config as reading an article sees it: all of it but the site's URL,
    which no parsed article holds (tests/test_cache.py checks it), so that the preview,
    served from its own URL, finds the articles the build command parsed."""
    return config_digest(dataclasses.replace(config, base_url=""))


def template_digests(folder: Path) -> dict[str, str]:
    """For each template, a hash of it and of every template it pulls in, transitively.

    A template whose references cannot be read statically (a computed name) depends on
    every template."""
    return _closure_digests(*_template_files(folder))


def _template_files(folder: Path) -> tuple[dict[str, bytes], str]:
    """Every file under `templates/` by name, and one hash of all of them (names and bytes)."""
    files = (
        {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }
        if folder.is_dir()
        else {}
    )
    return files, sha(*(part for name in sorted(files) for part in (name, files[name])))


def _closure_digests(files: Mapping[str, bytes], everything: str) -> dict[str, str]:
    """template_digests of the given files (`everything`: the hash of all of them)."""
    refs = {name: _references(data) for name, data in files.items()}
    digests = {}
    for name in files:
        closure, todo, whole = set(), [name], False
        while todo:
            current = todo.pop()
            if current in closure:
                continue
            closure.add(current)
            if refs.get(current) is None and current in files:
                whole = True
                break
            todo.extend(refs.get(current) or ())
        digests[name] = (
            everything
            if whole
            else sha(
                *(f"{n}\0" for n in sorted(closure)), *(files.get(n, b"") for n in sorted(closure))
            )
        )
    return digests


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass, in order."""
    return tuple(f.name for f in dataclasses.fields(kind))


@functools.lru_cache(maxsize=256)
def _references(data: bytes) -> frozenset[str] | None:
    """The templates a template's text pulls in, or None when one is not known statically."""
    import jinja2.meta  # here: a build with nothing to do needs no Jinja

    try:
        found = set(
            jinja2.meta.find_referenced_templates(jinja2.Environment().parse(data.decode()))
        )
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return None
    return None if None in found else frozenset(found)


def context_digest(value: object, memo: dict[int, tuple[object, str]] | None = None) -> str:
    """A hash of a render context: every value reachable from it, entries by their key.

    With a `memo` (kept by the caller across calls), each dataclass object is hashed once
    and then stands for its digest wherever it appears again: the memo holds the object
    with its digest (so its id cannot be reused while the memo lives)."""
    h = hashlib.sha256()
    _feed(h, value, memo)
    return h.hexdigest()


def _feed(h, value: object, memo: dict[int, tuple[object, str]] | None) -> None:
    """Feed one value into a hash, tagged with its type so that 1, '1' and True differ.

    A dataclass with a non-empty `__cache_key__` (an Entry) is fed as that key alone: the
    key names everything the object was made from. Another dataclass is fed field by field,
    or as the digest of its fields when a memo is given."""
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif hasattr(kind, "__dataclass_fields__"):
        key = getattr(value, "__cache_key__", None)
        h.update(b"D" + kind.__qualname__.encode() + b":")
        if key:
            h.update(key.encode())
        elif memo is None:
            _feed_all(h, [getattr(value, name) for name in _field_names(kind)], memo)
        else:
            found = memo.get(id(value))
            if found is None or found[0] is not value:  # (an id a stored memo knew)
                inner = hashlib.sha256()
                _feed_all(inner, [getattr(value, name) for name in _field_names(kind)], memo)
                found = memo[id(value)] = (value, inner.hexdigest())
            h.update(b"H" + found[1].encode())
    elif kind is tuple or kind is list:
        h.update(b"(%d" % len(value))  # type: ignore[arg-type]
        _feed_all(h, value, memo)  # type: ignore[arg-type]
        h.update(b")")
    elif isinstance(value, str):
        _feed(h, str(value), memo)  # Markup and other str subclasses
    elif value is None or isinstance(value, bool | int | float):
        h.update(b"v" + repr(value).encode() + b";")
    elif isinstance(value, bytes):
        h.update(b"b%d:" % len(value))
        h.update(value)
    elif isinstance(value, tuple | list):
        _feed(h, list(value), memo)
    elif isinstance(value, Mapping):
        h.update(b"{%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(h, key, memo)
            _feed(h, value[key], memo)
        h.update(b"}")
    elif isinstance(value, set | frozenset):
        h.update(b"<")
        for item in sorted(value, key=repr):
            _feed(h, item, memo)
        h.update(b">")
    elif isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta | dt.tzinfo):
        h.update(b"t" + repr(value).encode() + b";")
    elif isinstance(value, PurePath):
        _feed(h, "path:" + value.as_posix(), memo)
    else:
        raise TypeError(f"cannot hash a {type(value).__name__} into a cache key")


def _feed_all(h, values: Iterable[object], memo: dict[int, tuple[object, str]] | None) -> None:
    """Feed values in order (strings inline: they are most of what pages hold)."""
    for value in values:
        if type(value) is str:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
        else:
            _feed(h, value, memo)


def page_digest(page: object, memo: dict[int, tuple[object, str]] | None = None) -> str:
    """context_digest of a Page (revue/pages.py), quicker for the common case of a context
    holding only entries with a key, texts and numbers (an article page): then the page's
    fields and those values are hashed directly, length-prefixed; else in full."""
    parts = ["page", page.output, page.url, page.template, page.title]  # type: ignore[attr-defined]
    context = page.context  # type: ignore[attr-defined]
    for name in sorted(context):
        value = context[name]
        kind = type(value)
        if kind is str:
            parts += [name, "s", value]
        elif kind is int:
            parts += [name, "i", str(value)]
        else:
            key = getattr(value, "__cache_key__", None)
            if not key or not isinstance(key, str) or type(name) is not str:
                return context_digest(page, memo)
            parts += [name, "E" + kind.__qualname__, key]
    if any(type(part) is not str for part in parts[:5]):
        return context_digest(page, memo)
    return sha(*parts)


def source_key(code: str, reading: str, shown: str, digest: str) -> str:
    """The key of a parsed article: everything `read_source` depends on, the code's and the
    config's (`reading_digest`) hashes, its path and its bytes' hash (hex digests and a path,
    which hold no NUL, joined by NULs)."""
    return hashlib.sha256(f"source\0{code}\0{reading}\0{shown}\0{digest}".encode()).hexdigest()


@dataclass(frozen=True)
class Inputs:
    """The hashes of a build's global inputs: the code, the config, the templates (each
    with what it pulls in; `templates_id` hashes every template file), and the config as
    reading an article sees it (`reading_digest`, for `source_key`)."""

    code: str
    config: str
    templates: Mapping[str, str]
    templates_id: str = ""
    reading: str = ""


def read_inputs(
    config: Config, code: str | None = None, known: Mapping[str, Mapping[str, str]] | None = None
) -> Inputs:
    """Hash the code (unless given), the config and every template. `known` maps a
    `templates_id` to the template digests found for it before (reused, not parsed again)."""
    files, everything = _template_files(config.root / TEMPLATES)
    found = (known or {}).get(everything)
    return Inputs(
        code or code_version(),
        config_digest(config),
        dict(found) if found is not None else _closure_digests(files, everything),
        everything,
        reading_digest(config),
    )
