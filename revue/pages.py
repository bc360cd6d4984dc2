"""Every page of the site: its output file, URL, template and render context.

Long lists are cut into pages (a theme's stories, a month's or an outlet's articles) of
`config.page_size` items (revue/paging.py). A page's render context holds only its own
items and the list's totals, so that editing one article re-renders only the pages
showing it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter, is_
from typing import TYPE_CHECKING

from .paging import ListLink, Pager, PersonLink, Teaser, paginate
from .reuse import reused_all, same

if TYPE_CHECKING:
    from .analysis.views import PersonView
    from .config import Config
    from .model import Entry, Month, Outlet, ThemeSection

FEED_SIZE = 50
_OUTPUT = attrgetter("output")
ARTICLES = "articles/"  # the key of the article pages among the lists' pages (ListPages)
HOME_SIZE = 10  # the newest articles of each theme (and of the unthemed) the home page shows


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, its URL, the template and what the template gets."""

    output: str
    url: str
    template: str
    title: str
    context: Mapping[str, object] = field(default_factory=dict)

    @functools.cached_property
    def sitemap_entry(self) -> tuple[str, str] | None:
        """What the sitemap lists for this page: its URL and the day of its article's date
        ('' for a page of no article); None for a file that is no page to list (a feed,
        the 404 page). Computed once per page: the preview reuses pages."""
        if not self.output.endswith(".html") or self.output == "404.html":
            return None
        entry = self.context.get("entry")
        return (self.url, entry.article.date.timestamp[:10] if entry is not None else "")  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ListPages:
    """The pages of one paginated list and what they were made of, for the next site_pages
    of a long-lived process: the list's fields besides its items (its URL first, compared
    by ==: no entries among them), and its quotations and items (compared by identity)."""

    fields: tuple
    quotes: tuple
    items: tuple
    pages: tuple[Page, ...]

    def made_of(self, fields: tuple, quotes: tuple, items: tuple) -> bool:
        """Whether the pages are those of a list of these fields, quotations and items."""
        return (
            self.fields == fields
            and len(self.quotes) == len(quotes)
            and len(self.items) == len(items)
            and all(map(is_, self.quotes, quotes))
            and all(map(is_, self.items, items))
        )


def site_pages(
    entries: tuple[Entry, ...],
    sections: tuple[ThemeSection, ...],
    unthemed: tuple[Entry, ...],
    months: tuple[Month, ...],
    outlets: tuple[Outlet, ...],
    people: tuple,
    config: Config,
    known: Mapping[str, Page] | None = None,
    known_lists: Mapping[str, ListPages] | None = None,
) -> tuple[tuple[Page, ...], dict[str, ListPages]]:
    """Every page and feed of the site, in a stable order, and the pages of each list by its
    URL. Long lists are paginated (see Pager); index pages get ListLinks, not the lists'
    articles. A previous site's pages are reused for what they were made of (the same
    objects, see revue/reuse.py): `known` pages by output, `known_lists` lists' pages by
    URL; so every page the same as before is the known object."""
    known = known or {}
    size = config.page_size
    month_links = tuple(ListLink("", m.date, m.url, len(m.entries)) for m in months)
    outlet_links = tuple(ListLink(o.name, None, o.url, len(o.entries)) for o in outlets)
    pages = [
        Page(
            "index.html",
            "",
            "home.html",
            config.title,
            {
                "sections": tuple(
                    Teaser(s.theme, s.url, s.entries[:HOME_SIZE], len(s.entries)) for s in sections
                ),
                "unthemed": Teaser(None, "archives/", unthemed[:HOME_SIZE], len(unthemed)),
                "count": len(entries),
            },
        ),
        _feed("atom.xml", "", config.title, entries),
        Page(
            "archives/index.html", "archives/", "archives.html", "Archives", {"months": month_links}
        ),
        Page(
            "medias/index.html",
            "medias/",
            "outlets.html",
            "Médias cités",
            {"outlets": outlet_links},
        ),
        Page("404.html", "404.html", "404.html", "Page introuvable", {}),
        Page(
            "recherche/index.html",
            "recherche/",
            "search.html",
            "Recherche",
            {"outlet_names": tuple(outlet.name for outlet in outlets)},
        ),
    ]
    if people:
        links = tuple(
            PersonLink(
                p.name, p.kind, p.aliases, person_url(p.anchor), len(p.entries), len(p.quotes)
            )
            for p in people
        )
        pages.append(
            Page(
                "personnes/index.html",
                "personnes/",
                "people.html",
                "Personnes et organisations",
                {"people": links},
            )
        )
    pages = list(reused_all(pages, known, _OUTPUT))  # each page kept if the same as before
    lists: dict[str, ListPages] = {}
    old_lists = known_lists or {}

    def paginated(fields: tuple, quotes: tuple, items: tuple, made: Iterable[Page]) -> None:
        """The pages of a list (`fields[0]` is its URL): the known ones when made of the
        same; `made` is iterated only otherwise."""
        found = old_lists.get(fields[0])
        if found is None or not found.made_of(fields, quotes, items):  # each page kept if same
            found = ListPages(fields, quotes, items, reused_all(made, known, _OUTPUT))
        lists[fields[0]] = found
        pages.extend(found.pages)

    for p in people:  # its articles paginated, its quotations on the first page
        fields = (person_url(p.anchor), size, p.name, p.kind, p.aliases)
        paginated(fields, p.quotes, p.entries, _person_pages(p, size))
    for section in sections:
        fields = (section.url, size, section.theme, section.feed_url)
        paginated(fields, section.quotes, section.stories, _theme_pages(section, size))
        feed = _feed(
            section.feed_url,
            section.url,
            f"{section.theme.label} — {config.title}",
            section.entries,
        )
        pages.extend(reused_all((feed,), known, _OUTPUT))
    for month in months:
        paginated((month.url, size, month.date), (), month.entries, _month_pages(month, size))
    for outlet in outlets:
        fields = (outlet.url, size, outlet.name, outlet.anchor)
        paginated(fields, (), outlet.entries, _outlet_pages(outlet, size))
    # An article's page is made of its entry alone: the last one when the entry at its place
    # is the same object (checked in C), else the known page of its URL if of the same.
    last = old_lists.get(ARTICLES)
    if last is not None and len(last.items) == len(entries):
        article_pages = list(last.pages)
        redo: Iterable[int] = [
            i for i, kept in enumerate(map(is_, last.items, entries)) if not kept
        ]
    else:
        article_pages, redo = list(entries), range(len(entries))  # each place made below
    for i in redo:
        entry = entries[i]
        output = f"{entry.url}index.html"
        page = known.get(output)
        if page is None or not same(page.context.get("entry"), entry):
            page = Page(output, entry.url, "article.html", entry.article.title, {"entry": entry})
        article_pages[i] = page
    lists[ARTICLES] = ListPages((ARTICLES,), (), entries, tuple(article_pages))
    pages.extend(article_pages)
    return tuple(pages), lists


def _person_pages(person: PersonView, size: int) -> Iterator[Page]:
    """A person's pages: its articles, its quotations on the first page."""
    for chunk, pager in paginate(person.entries, size, person_url(person.anchor)):
        quotes = person.quotes if pager.number == 1 else ()
        shown = replace(person, entries=chunk, quotes=quotes)
        yield _listing(person.name, "person.html", pager, person=shown)


def _theme_pages(section: ThemeSection, size: int) -> Iterator[Page]:
    """A theme's pages: its stories, its quotations on the first page."""
    for stories, pager in paginate(section.stories, size, section.url, weight=len):
        shown = replace(
            section,
            entries=tuple(entry for story in stories for entry in story),
            stories=stories,
            quotes=section.quotes if pager.number == 1 else (),
        )
        yield _listing(section.theme.label, "theme.html", pager, section=shown)


def _month_pages(month: Month, size: int) -> Iterator[Page]:
    """A month's pages of the archives."""
    title = f"Archives de {month.date.french()}"
    for chunk, pager in paginate(month.entries, size, month.url):
        yield _listing(title, "month.html", pager, month=replace(month, entries=chunk))


def _outlet_pages(outlet: Outlet, size: int) -> Iterator[Page]:
    """An outlet's pages."""
    for chunk, pager in paginate(outlet.entries, size, outlet.url):
        yield _listing(outlet.name, "outlet.html", pager, outlet=replace(outlet, entries=chunk))


def person_url(anchor: str) -> str:
    """The URL of the page of the person or organisation whose index anchor is `anchor`."""
    return f"personnes/{anchor}/"


def _feed(output: str, page_url: str, title: str, entries: tuple[Entry, ...]) -> Page:
    """An Atom feed of the newest FEED_SIZE entries of a list shown at `page_url`."""
    return Page(
        output,
        output,
        "atom.xml",
        title,
        {"entries": entries[:FEED_SIZE], "feed_url": output, "page_url": page_url},
    )


def _listing(title: str, template: str, pager: Pager, **context: object) -> Page:
    """One page of a paginated list; its title says which page it is past the first."""
    url = pager.url_of(pager.number)
    if pager.number > 1:
        title = f"{title} — page {pager.number} sur {pager.count}"
    return Page(f"{url}index.html", url, template, title, {**context, "pager": pager})
