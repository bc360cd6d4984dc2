"""Page chrome: the parts of a pasted web page that are not the article. Each function takes
the blocks and returns the blocks kept plus `dropped` report lines (« label: « text » »)."""

from __future__ import annotations

import re

from revue.ingest.blocks import Block, dropped_line, looks_like_heading
from revue.text import fold

# Patterns are matched against the folded line (lower case, no accents, ’ as ').
LINE_CHROME: list[tuple[str, str]] = [
    ("reading-time widget", r"temps de lecture|duree de lecture|\bmin(utes?)? de lecture"),
    (
        "rating widget",
        r"^(notez|noter|evaluez|votez pour) (cet |l')article|^\d([.,]\d)? ?/ ?5\b"
        r"|cet article vous a-t-il (ete utile|plu)|^\(?\d+ votes?\)?$",
    ),
    ("table of contents", r"^(sommaire|table des matieres|au sommaire|dans cet article) ?:?$"),
    (
        "social-embed consent",
        r"pour afficher ce contenu|accepter les cookies|cookies et traceurs"
        r"|^plus d'infos\.?$|^(tout )?(accepter|refuser)$|^(gerer|parametrer) (mes|les) ",
    ),
    (
        "comment form",
        r"^(laisser|publier|ajouter|ecrire|poster|rediger) un commentaire"
        r"|^votre adresse (e-?mail|electronique|de messagerie) ne sera pas publiee"
        r"|^les champs obligatoires|^\d+ commentaires?$|^(repondre|annuler la reponse)$"
        r"|^vous devez etre connecte",
    ),
    ("related topics", r"^sujets (lies|associes)\b|^(tags?|mots[- ]cles|thematiques?) ?:"),
    (
        "newsletter sign-up",
        r"^je m'inscris|^inscrivez-vous|^abonnez-vous|^s'(inscrire|abonner)"
        r"|newsletter|^recevez (notre|nos)",
    ),
    ("webinar promo", r"\bwebinai?re?s?\b"),
    (
        "share buttons",
        r"^partage[rz]( sur| cet article| l'article)?\b.{0,30}$"
        r"|^((facebook|twitter|linkedin|whatsapp|e-?mail|pinterest|imprimer)[ |,·]*)+$",
    ),
    (
        "photo credit",
        r"©|\(c\) [a-z]|^(credits?( photos?)?|photos?|illustrations?|images?|source photo) ?:",
    ),
    ("advertising", r"^(publicite|advertisement|sponsorise|contenu sponsorise)$"),
    ("breadcrumb", r"^accueil ?[>›»/|]"),
]
_SEE_ALSO = re.compile(
    r"^(voir aussi|a lire aussi|lire aussi|a lire egalement|lire egalement|sur le meme sujet"
    r"|articles? (similaires|lies|connexes)|vous aimerez aussi|les plus lus)\b ?:? ?(?P<rest>.*)$"
)
_READER_QUESTIONS = re.compile(r"^(et vous|(et vous, )?qu'en pensez-vous) ?[?:]?$")
_FOOTER_LABELS = ("comment form", "related topics")
_COMPILED = [(label, re.compile(pattern)) for label, pattern in LINE_CHROME]


def _folded(text: str) -> str:
    """The form the patterns are written for: lower case, no accents, straight apostrophes."""
    return fold(text).replace("’", "'")


def classify(text: str) -> str | None:
    """The kind of page chrome a short line is (« comment form »…), or None for article text."""
    if len(text) > 300:
        return None
    folded = _folded(text)
    for label, pattern in _COMPILED:
        if pattern.search(folded) and (label != "webinar promo" or len(text) <= 200):
            return label
    if _SEE_ALSO.match(folded):
        return "see-also list"
    return None


def _report(dropped: list[tuple[int, str, str]]) -> list[str]:
    """Group (block index, label, text) triples of neighbouring blocks with the same label
    into report lines."""
    lines: list[str] = []
    group: list[str] = []
    for position, (index, label, text) in enumerate(dropped):
        group.append(text)
        following = dropped[position + 1] if position + 1 < len(dropped) else None
        if following is None or following[1] != label or following[0] != index + 1:
            lines.append(dropped_line(label, group))
            group = []
    return lines


def drop_footer(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Cut everything from the first comment form or « Sujets liés » found in the second half
    of the page: what follows such a marker is the page's footer, not the article."""
    total = sum(len(block.text) for block in blocks) or 1
    seen = 0
    for index, block in enumerate(blocks):
        if seen / total >= 0.5 and block.kind == "text" and classify(block.text) in _FOOTER_LABELS:
            dropped = [
                (number, classify(tail.text) or "trailing promo block", tail.text)
                for number, tail in enumerate(blocks[index:])
            ]
            return blocks[:index], _report(dropped)
        seen += len(block.text)
    return blocks, []


def drop_see_also(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop « Voir aussi : » lists: the heading and the link titles right after it (short
    lines without a final full stop); a « Lire aussi : Titre » line on its own."""
    kept: list[Block] = []
    report: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        match = _SEE_ALSO.match(_folded(block.text)) if block.kind == "text" else None
        if not match or len(block.text) > 300:
            kept.append(block)
            index += 1
            continue
        items = [block.text]
        index += 1
        while not match["rest"] and index < len(blocks) and _is_link_title(blocks[index]):
            items.append(blocks[index].text)
            index += 1
        links = (
            dropped_line(f" and {len(items) - 1} links after it", items[1:]) if items[1:] else ""
        )
        report.append(f"see-also list: « {block.text} »{links}")
    return kept, report


def _is_link_title(block: Block) -> bool:
    """Does this block read like the title of another article (short, no full stop)?"""
    return block.kind == "text" and len(block.text) <= 300 and not block.text.endswith(".")


def _is_question(block: Block) -> bool:
    """A short block that asks something: the reader questions pages end with."""
    return block.kind == "text" and len(block.text) <= 400 and block.text.endswith("?")


def drop_reader_questions(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop « Et vous ? » and the questions after it, and a closing run of questions put to
    the reader after the « Sources : » line (or three or more questions ending the page)."""
    kept: list[Block] = []
    report: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "text" and _READER_QUESTIONS.match(_folded(block.text)):
            end = index + 1
            while end < len(blocks) and _is_question(blocks[end]):
                end += 1
            questions = [b.text for b in blocks[index + 1 : end]]
            report.append(
                f"reader questions: « {block.text} » and {len(questions)} questions "
                "after it: " + ", ".join(f"« {q[:50]}… »" for q in questions[:2])
            )
            index = end
            continue
        kept.append(block)
        index += 1
    start = len(kept)
    while start and _is_question(kept[start - 1]):
        start -= 1
    run = kept[start:]
    after_sources = start > 0 and re.match(r"(?i)sources? ?:", kept[start - 1].text)
    if run and (after_sources or len(run) >= 3):
        report.append(dropped_line("reader questions after the article", [b.text for b in run]))
        kept = kept[:start]
    return kept, report


def drop_table_of_contents(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop a « Sommaire » heading and the entries after it that repeat later headings."""
    for index, block in enumerate(blocks):
        if block.kind != "text" or classify(block.text) != "table of contents":
            continue
        end = index + 1
        while end < len(blocks) and looks_like_heading(blocks[end].text):
            key = _entry_key(blocks[end].text)
            if not any(_entry_key(later.text) == key for later in blocks[end + 1 :]):
                break
            end += 1
        texts = [b.text for b in blocks[index:end]]
        return [*blocks[:index], *blocks[end:]], [dropped_line("table of contents", texts)]
    return blocks, []


def _entry_key(text: str) -> str:
    """Compare a table-of-contents entry with a heading: folded, numbering removed."""
    return re.sub(r"^\d+[.)]?\s*", "", _folded(text)).strip()


def drop_line_chrome(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop every short line that is a known widget, consent notice, form or credit."""
    kept: list[Block] = []
    dropped: list[tuple[int, str, str]] = []
    for index, block in enumerate(blocks):
        label = classify(block.text) if block.kind == "text" else None
        if label and label != "see-also list":
            dropped.append((index, label, block.text))
        else:
            kept.append(block)
    return kept, _report(dropped)
