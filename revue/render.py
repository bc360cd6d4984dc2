"""Render the Site's pages with Jinja → {output path: bytes}.

A Jinja environment is made per set of templates (the caller keeps a Renderer while the
templates' hashes stay the same), so a template edit is always seen. Templates
autoescape HTML and XML and fail on undefined names. Links between pages are relative (the
site works under any subpath, and from disk), except on the 404 page, which a host serves at
any depth and which therefore uses absolute paths from the base URL's path.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import jinja2
import jinja2.meta
from markdown_it import MarkdownIt
from markupsafe import Markup

from .config import Config
from .dates import ArticleDate
from .errors import SourceError
from .keys import context_digest
from .markdown import make_markdown, render_markdown, typographize
from .model import Nav, Page, Site

TEMPLATE_DIR = "templates"


def make_environment(
    templates: Path,
    typeset: Mapping[str, str] | None = None,
    bytecode: Path | None = None,
) -> jinja2.Environment:
    """A Jinja environment over `templates/`: autoescaping, strict undefined, French filters.

    The French filters remember their results (titles, outlets and dates recur on many
    pages); `typeset` holds texts already typeset (by the cached per-article stage). An
    environment lives for one set of templates, so a template edit needs a new one.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode)) if bytecode else None,
    )
    known = typeset if typeset is not None else {}
    compute = functools.lru_cache(maxsize=65536)(typographize)

    def typo(text: object) -> str:
        text = str(text)
        found = known.get(text)
        return compute(text) if found is None else found

    @functools.lru_cache(maxsize=4096)
    def french_day(year: int, month: int, day: int | None) -> str:
        return ArticleDate(year, month, day).french()

    env.filters["typo"] = typo
    env.filters["french_date"] = lambda date: (
        french_day(date.year, date.month, date.day) if isinstance(date, ArticleDate) else ""
    )
    return env


@dataclass(frozen=True)
class Renderer:
    """What rendering needs besides the page: the compiled templates and Markdown, made once
    per set of templates (`templates_key`) and kept while the templates do not change."""

    env: jinja2.Environment
    md: MarkdownIt
    templates: Path
    templates_key: str = ""
    typeset: dict[str, str] = field(default_factory=dict, compare=False)
    fragments: dict[str, str] = field(default_factory=dict, compare=False)
    fresh: dict[str, str] = field(default_factory=dict, compare=False)
    typeset_of: dict[str, object] = field(default_factory=dict, compare=False)  # by path


def make_renderer(
    config: Config, templates_key: str = "", bytecode: Path | None = None
) -> Renderer:
    """A renderer over the project's `templates/`. Texts put in its `typeset` table (text →
    typeset text) are not typeset again; `fragments` keeps the output of `cached` blocks
    (the new ones are also put in `fresh`, for a worker process to send them back)."""
    templates = config.root / TEMPLATE_DIR
    typeset: dict[str, str] = {}
    fragments: dict[str, str] = {}
    fresh: dict[str, str] = {}
    env = make_environment(templates, typeset, bytecode)
    if _fragments_are_pure(env, templates):
        env.globals["cached"] = _fragment_cache(fragments, fresh)
    else:
        env.globals["cached"] = _no_cache
    return Renderer(env, make_markdown(), templates, templates_key, typeset, fragments, fresh)


# What a `{% call cached(...) %}` block may read besides its arguments: the link helpers
# (which depend only on the page's depth, part of the key) and per-build constants (the
# fragments table lives for one config, one nav, one set of templates and assets).
FRAGMENT_NAMES = frozenset({"cached", "link", "asset", "absolute", "config", "site"})


def _fragments_are_pure(env: jinja2.Environment, templates: Path) -> bool:
    """Whether every template using `cached` reads no other outside name (else the
    fragments could depend on something their key misses, and are not cached)."""
    for path in sorted(templates.rglob("*")) if templates.is_dir() else ():
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            if "cached(" in text and not (
                jinja2.meta.find_undeclared_variables(env.parse(text)) <= FRAGMENT_NAMES
            ):
                return False
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            return False
    return True


def _fragment_cache(fragments: dict[str, str], fresh: dict[str, str]) -> Callable:
    """`{% call cached(a, b) %}…{% endcall %}`: the block's output, rendered once per
    arguments and page depth (entries stand for their cache key)."""

    @jinja2.pass_context
    def cached(context: jinja2.runtime.Context, *parts: object, caller: Callable) -> Markup:
        key = _fragment_key(parts, context.resolve("link")(""))
        found = fragments.get(key)
        if found is None:
            found = fragments[key] = fresh[key] = str(caller())
        return Markup(found)

    return cached


def _fragment_key(parts: tuple, prefix: str) -> str:
    """The key of a fragment: its arguments (entries by their cache key) and page depth."""
    quick = []
    for part in parts:
        key = getattr(part, "__cache_key__", None)
        if key:
            quick.append(f"E{key}")
        elif type(part) is int or type(part) is str:
            quick.append(f"{type(part).__name__[0]}{part!r}")
        else:  # anything else: hashed in full
            return context_digest((parts, prefix))
    return "\0".join((*quick, prefix))


def _no_cache(*parts: object, caller: Callable) -> Markup:
    return Markup(caller())


def extra_pages(site: Site, known: Mapping[str, Page] | None = None) -> tuple[Page, ...]:
    """The files made from templates that are not pages of the site: sitemap and robots.
    The sitemap gets (URL, last modification day or '') pairs: it changes only with them.
    A `known` page (by output) with the same context, texts only, is given instead."""
    urls = tuple(filter(None, map(attrgetter("sitemap_entry"), site.pages)))
    pages = (
        Page("sitemap.xml", "sitemap.xml", "sitemap.xml", "", {"urls": urls}),
        Page("robots.txt", "robots.txt", "robots.txt", "", {}),
    )
    known = known or {}
    return tuple(
        old if (old := known.get(page.output)) is not None and old == page else page
        for page in pages
    )


def all_pages(site: Site, known: Mapping[str, Page] | None = None) -> tuple[Page, ...]:
    """Every output made from a template, in a stable order (see extra_pages for `known`)."""
    return (*site.pages, *extra_pages(site, known))


def render_page(
    renderer: Renderer, page: Page, nav: Nav, config: Config, assets: Mapping[str, str]
) -> bytes | SourceError:
    """One page's bytes, or the SourceError naming the template file and line that failed.

    `nav` is what the templates see as `site`: a page's output depends only on its own
    context, the nav, the config and the assets (the cache keys rely on it)."""
    md = renderer.md
    common = {
        "site": nav,
        "config": config,
        "markdown": lambda text: Markup(render_markdown(md, text)),
    }
    try:
        template = renderer.env.get_template(page.template)
        text = template.render(
            **common, **_helpers(page, config, assets), page=page, **page.context
        )
    except jinja2.TemplateSyntaxError as error:
        return SourceError(
            f"{TEMPLATE_DIR}/{error.name or page.template}",
            error.lineno,
            f"template syntax error: {error.message}",
        )
    except jinja2.TemplateNotFound as error:
        return SourceError(
            f"{TEMPLATE_DIR}/{error.name}", 0, "template not found: create it or fix the name"
        )
    except Exception as error:  # a template that fails while rendering
        return _template_error(error, page, renderer.templates)
    return text.encode("utf-8")


def _helpers(page: Page, config: Config, assets: Mapping[str, str]) -> dict[str, Callable]:
    """The URL functions a page's template uses: link(), absolute(), asset()."""
    if page.output == "404.html":

        def link(url: str) -> str:
            return config.base_path + url
    else:
        depth = page.output.count("/")

        def link(url: str) -> str:
            return "../" * depth + url or "./"

    def asset(name: str) -> str:
        return link(assets[name])

    def absolute(url: str) -> str:
        return config.base_url + url

    return {"link": link, "asset": asset, "absolute": absolute}


def _template_error(error: Exception, page: Page, templates: Path) -> SourceError:
    """Point a rendering failure at the template line that raised it."""
    folder = templates.resolve()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(folder):
            shown = f"{TEMPLATE_DIR}/{path.relative_to(folder).as_posix()}"
            return SourceError(
                shown, frame.lineno or 0, f"template error while rendering {page.output}: {error}"
            )
    return SourceError(
        f"{TEMPLATE_DIR}/{page.template}",
        0,
        f"template error while rendering {page.output}: {error}",
    )
