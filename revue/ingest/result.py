"""The importer's result type and the notes shared by its two readers (pasted text and
saved HTML): what an import found, what it dropped and what the editor must check."""

from __future__ import annotations

from dataclasses import dataclass, field

from revue.ingest.sentences import sentences

SUMMARY_LENGTH = 320
_ADVICE = {
    "title": "no title found: add `title:` by hand",
    "date": "no date found: add `date:` by hand",
    "author": "no author found: add `author:` by hand if the article is signed",
    "source": "no outlet found: add `source:` by hand (or pass --source)",
}


@dataclass
class ImportResult:
    """One imported article: frontmatter fields (only those found, in FIELDS order), the
    Markdown body, what page chrome was dropped and what the editor should check."""

    metadata: dict[str, object]
    body: str
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def missing_notes(metadata: dict[str, object], keys: tuple[str, ...] = tuple(_ADVICE)) -> list[str]:
    """One note for each of `keys` the import could not find (left out, never guessed)."""
    return [_ADVICE[key] for key in keys if not metadata.get(key)]


def first_sentences(text: str) -> str | None:
    """The first one to three whole sentences of `text` (about 320 characters at most, but
    never a sentence cut short)."""
    parts = sentences(text)
    chosen = parts[:1]
    for part in parts[1:3]:
        if len(" ".join([*chosen, part])) > SUMMARY_LENGTH:
            break
        chosen.append(part)
    return " ".join(chosen) or None


def summary_of(markdown: str) -> str | None:
    """The summary of a Markdown body: the first sentences of its first plain paragraph."""
    for block in markdown.split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", ">", "-", "*", "|", "{")) and len(block) > 60:
            return first_sentences(" ".join(block.split()))
    return None
