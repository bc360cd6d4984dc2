"""Render the Site's pages with Jinja → {output path: bytes}.

A fresh Jinja environment is made per build, so a template edit is always seen. Templates
autoescape HTML and XML and fail on undefined names. Links between pages are relative (the
site works under any subpath, and from disk), except on the 404 page, which a host serves at
any depth and which therefore uses absolute paths from the base URL's path.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Config
from .dates import ArticleDate
from .errors import BuildError, SourceError
from .markdown import make_markdown, render_markdown, typographize
from .model import Page, Site

TEMPLATE_DIR = "templates"


def make_environment(templates: Path) -> jinja2.Environment:
    """A Jinja environment over `templates/`: autoescaping, strict undefined, French filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["typo"] = lambda text: typographize(str(text))
    env.filters["french_date"] = lambda date: date.french() if isinstance(date, ArticleDate) else ""
    return env


def render_site(site: Site, config: Config, assets: Mapping[str, str]) -> dict[str, bytes]:
    """Render every page, plus sitemap.xml, robots.txt and .nojekyll.

    `assets` maps a static file's name (`style.css`) to its hashed URL
    (`static/style.1a2b3c4d5e.css`).
    Raises BuildError naming the template file and line when a template fails.
    """
    templates = config.root / TEMPLATE_DIR
    env = make_environment(templates)
    md = make_markdown()
    common = {
        "site": site,
        "config": config,
        "markdown": lambda text: Markup(render_markdown(md, text)),
    }
    files: dict[str, bytes] = {}
    errors: list[SourceError] = []
    extra = (
        Page("sitemap.xml", "sitemap.xml", "sitemap.xml", "", {"pages": site.pages}),
        Page("robots.txt", "robots.txt", "robots.txt", "", {}),
    )
    for page in (*site.pages, *extra):
        try:
            template = env.get_template(page.template)
            text = template.render(
                **common, **_helpers(page, config, assets), page=page, **page.context
            )
        except jinja2.TemplateSyntaxError as error:
            errors.append(
                SourceError(
                    f"{TEMPLATE_DIR}/{error.name or page.template}",
                    error.lineno,
                    f"template syntax error: {error.message}",
                )
            )
            continue
        except jinja2.TemplateNotFound as error:
            errors.append(
                SourceError(
                    f"{TEMPLATE_DIR}/{error.name}",
                    0,
                    "template not found: create it or fix the name",
                )
            )
            continue
        except Exception as error:  # a template that fails while rendering
            errors.append(_template_error(error, page, templates))
            continue
        files[page.output] = text.encode("utf-8")
    files[".nojekyll"] = b""
    if errors:
        raise BuildError(sorted(set(errors)))
    return files


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
