"""People and organisations: who is named where, with other spellings merged.

The names come from the config's `[[people]]` entries, the people the articles present
with a role, and named speakers. « Altman » merges with « Sam Altman » when no other known
name ends with « Altman ». Every lookup is a dictionary access: linear in the mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import Config
from .article import ArticleAnalysis
from .lexicon import folded as fold  # memoized revue.text.fold

MAX_RUN_WORDS = 6


@dataclass(frozen=True)
class Person:
    """One person or organisation of the index: the articles naming them (slugs) and, in
    `quotes`, the indexes of their quotations in the digest."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    slugs: tuple[str, ...]
    quotes: tuple[int, ...] = ()


def name_table(analyses: Sequence[ArticleAnalysis], config: Config) -> dict[str, str]:
    """Folded spelling → canonical name, for every name the index knows."""
    hidden = {fold(e.name) for e in config.people if e.hide}
    table: dict[str, str] = {}
    for entity in config.people:
        if not entity.hide:
            for spelling in (entity.name, *entity.aliases):
                table.setdefault(fold(spelling), entity.name)
    found: set[str] = set()
    for analysis in analyses:
        found.update(analysis.persons)
        found.update(q.speaker for q in analysis.quotes if q.named and q.speaker)
    full = sorted(n for n in found if len(n.split()) > 1 and fold(n) not in hidden)
    for name in full:
        table.setdefault(fold(name), name)
    surnames: dict[str, set[str]] = {}
    for name in full:
        surnames.setdefault(fold(name.split()[-1]), set()).add(table[fold(name)])
    for surname, names in sorted(surnames.items()):
        if len(names) == 1 and surname not in hidden:
            table.setdefault(surname, next(iter(names)))
    for name in sorted(found):  # single-word speakers (« IndieWire »), unless a surname
        if fold(name) not in hidden:
            table.setdefault(fold(name), name)
    return table


def resolve(run: str, table: dict[str, str]) -> str:
    """The canonical name a capitalised run stands for: the longest known part of it,
    leftmost first (« Runway AI Inc » → « Runway »); '' when none is known."""
    words = run.split()[:MAX_RUN_WORDS]
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            found = table.get(fold(" ".join(words[start : start + size])))
            if found:
                return found
    return ""


def is_alias(run: str, canonical: str, table: Mapping[str, str]) -> bool:
    """Whether a run naming `canonical` is another spelling of it the index lists."""
    return table.get(fold(run)) == canonical and run != canonical


def people_index(
    analyses: Sequence[ArticleAnalysis],
    config: Config,
    table: dict[str, str],
    speakers: Sequence[str],
    named: Sequence[Sequence[str]] = (),
) -> tuple[Person, ...]:
    """Every known name mentioned at least once, alphabetically (folded), with its
    articles (newest first) and the quotations it speaks or is named in: `speakers[i]` is
    quotation i's canonical speaker, `named[i]` the canonical names its text holds."""
    kinds = {table[fold(n)]: "personne" for a in analyses for n in a.persons if fold(n) in table}
    kinds.update({e.name: e.kind for e in config.people if e.kind})
    aliases: dict[str, set[str]] = {}
    articles: dict[str, list[ArticleAnalysis]] = {}
    resolved: dict[str, str] = {}  # the corpus names the same runs again and again
    for analysis in analyses:
        runs = list(analysis.names)
        runs += [q.speaker for q in analysis.quotes if q.named and q.speaker]
        canonicals = set()
        for run in runs:
            canonical = resolved.get(run)
            if canonical is None:
                canonical = resolved[run] = resolve(run, table)
            if canonical:
                canonicals.add(canonical)
                if is_alias(run, canonical, table):
                    aliases.setdefault(canonical, set()).add(run)
        for canonical in canonicals:
            articles.setdefault(canonical, []).append(analysis)
    quotes: dict[str, list[int]] = {}
    known = set(table.values())
    for index, speaker in enumerate(speakers):
        names = {speaker, *(named[index] if index < len(named) else ())}
        for name in sorted(names & known):
            quotes.setdefault(name, []).append(index)
    people = []
    for name in sorted(set(articles) | set(quotes), key=lambda n: (fold(n), n)):
        seen = {a.slug: a for a in articles.get(name, [])}
        ordered = sorted(seen.values(), key=lambda a: (a.days, a.slug), reverse=True)
        people.append(
            Person(
                name,
                kinds.get(name, ""),
                tuple(sorted(aliases.get(name, set()), key=fold)),
                tuple(a.slug for a in ordered),
                tuple(quotes.get(name, [])),
            )
        )
    return tuple(people)
