"""Quotations in an article: « … » and “ … ” passages of the prose, and tweets.

A speaker is given only when the text says who, in the same sentence: « … », a déclaré
Claire Enders · selon Mira Murati, « … » · Tyler Perry tirait la sonnette d'alarme : « … »
· a tweet signed « — Ed Newton-Rex (@ednewtonrex) ». « a-t-il ajouté » names the speaker of
the quotation just before (same or previous paragraph), or the only person named earlier in
the paragraph. Anything else is kept without a speaker, never a guessed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import NAME, described_speaker, is_role_subject, name_runs, person_names
from .plain import parse

QUOTE_MIN_WORDS = 6
_PASSAGE = re.compile(r"«\s*((?:[^«»]|«[^«»]*»)+?)\s*»|“\s*([^“”]+?)\s*”")
_VERBS = (
    r"(?:déclar|affirm|expliqu|écri|ajout|estim|indiqu|soulign|di|conclu|précis|reconn|racont|"
    r"confi|assur|insist|not|résum|lanc|tranch|rappel|prévien|poursui|avou|admi|observ|"
    r"commenté|répondu|souffl|martel|regrett|annonc|avert|détaill|jug|relev)\w*"
)
_SPEAKER = (
    rf"(?P<speaker>{NAME}|(?:un|une)\s+(?:porte-parole|dirigeante?|responsable|personne|analyste|"
    r"source|cadre|représentante?|employée?)(?:\s+(?:[a-zà-ÿ-]+|[dl][’'][\w-]+)){0,3})"
)
_AFTER = re.compile(
    rf"^[\s,.]*(?:(?:a|ont|avait|avaient)\s+{_VERBS}\s+{_SPEAKER}(?=[\s,.;:)]|$)"
    rf"|(?P<pronoun>(?:a|avait)-t-(?:il|elle)\s+{_VERBS}|{_VERBS}-(?:il|elle)))"
    rf"|^[\s,.]*{_VERBS}\s+(?P<inverted>{NAME})(?=[\s,.;:)]|$)"
)
_BEFORE_SELON = re.compile(rf"(?:^|[\s,;(])[Ss]elon\s+(?P<speaker>{NAME}),?\s*$")
_TWEET_SIGNATURE = re.compile(r"^—\s*(?P<name>[^(@\n]+?)\s*\(@(?P<handle>\w+)\)")
_GOES_ON = re.compile(r"(?:\b(?:[Ii]l|[Ee]lle) a \w+|^\s*Et d(?:e\s+|’|')\w+)\s*:\s*$")
_URL = re.compile(r"<?https?://\S+>?|pic\.twitter\.com/\S+|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Quote:
    """One quotation as the article gives it. `speaker` is '' when the text does not say who;
    `named` is False for a speaker described but not named (« un porte-parole d'OpenAI »)."""

    text: str
    speaker: str = ""
    named: bool = False
    handle: str = ""
    lang: str = ""
    tweet: bool = False
    featured: bool = False  # chosen by the editor in the frontmatter


def find_quotes(body: str, lang: str = "fr") -> tuple[Quote, ...]:
    """Every quotation of at least QUOTE_MIN_WORDS words in the body, tweets included, in order."""
    found: list[Quote] = []
    previous_speakers: list[str] = []
    for kind, text, block_lang in _blocks(body):
        if kind == "tweet":
            found.append(_tweet(text, block_lang or lang))
            continue
        speakers: list[str] = []
        last: tuple[int, str, bool] = (-1, "", False)  # where the last quotation ended, by whom
        for match in _PASSAGE.finditer(text):
            quoted = (match.group(1) or match.group(2)).strip(" ,")
            before = _sentence_before(text, match.start())
            after = text[match.end() : match.end() + 160]
            speaker, named = _speaker(
                before, after, speakers, previous_speakers, text[: match.start()]
            )
            if not speaker and last[1] and _continues(text[last[0] : match.start()], last[1]):
                speaker, named = last[1], last[2]  # « … », a déclaré X. « … » : still X
            if speaker and named:
                speakers.append(speaker)
            last = (match.end(), speaker, named)
            if len(quoted.split()) >= QUOTE_MIN_WORDS:
                found.append(Quote(_clean(quoted), speaker, named, lang=block_lang or lang))
        previous_speakers = speakers
    return tuple(found)


def _blocks(body: str) -> list[tuple[str, str, str]]:
    """The body as ('prose', paragraph text, lang) and ('tweet', tweet text, lang) blocks."""
    tokens, texts = parse(body)
    blocks: list[tuple[str, str, str]] = []
    depth = 0
    quote_lines: list[str] = []
    pending_lang = ""
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
            quote_lines = [] if depth == 1 else quote_lines
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0 and quote_lines and _TWEET_SIGNATURE.match(quote_lines[-1]):
                blocks.append(("tweet", "\n".join(quote_lines), pending_lang))
            pending_lang = ""
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            text = " ".join(token.content.split())  # spaces collapsed, ends stripped
            if depth:
                quote_lines.append(text)
            elif text.startswith("{") and text.endswith("}"):
                found = re.search(r"lang=([\w-]+)", text)
                pending_lang = found.group(1) if found else ""
            elif depth == 0 and text:
                blocks.append(("prose", texts[index] or "", ""))
    return blocks


def _tweet(text: str, lang: str) -> Quote:
    """A tweet block: its lines but the signature, without links; the signature's name."""
    lines = text.split("\n")
    signature = _TWEET_SIGNATURE.match(lines[-1])
    assert signature is not None
    words = " ".join(_URL.sub(lambda m: m.group(1) or "", line) for line in lines[:-1])
    return Quote(
        _clean(words),
        signature.group("name").strip(),
        True,
        handle=signature.group("handle"),
        lang=lang,
        tweet=True,
    )


def _speaker(
    before: str, after: str, speakers: list[str], previous: list[str], paragraph_before: str
) -> tuple[str, bool]:
    """Who the text says speaks, and whether it is a name; ('', False) when it does not say."""
    match = _AFTER.match(after)
    if match and match.group("speaker"):
        speaker = match.group("speaker").strip()
        if speaker[0].islower():
            return described_speaker(speaker), False
        return speaker, True
    if match and match.group("inverted"):
        return match.group("inverted"), True
    if match and match.group("pronoun"):
        if speakers or previous:
            return (speakers or previous)[-1], True
        named = person_names(paragraph_before)
        return (named[-1], True) if len(set(named)) == 1 else ("", False)
    selon = _BEFORE_SELON.search(before)
    if selon:
        return selon.group("speaker"), True
    if before.rstrip().endswith(":"):
        subject = is_role_subject(before)
        if subject:
            return subject, not subject[0].islower()
        if _GOES_ON.search(before) and (speakers or previous):
            return (speakers or previous)[-1], True
    return "", False


def _continues(between: str, speaker: str) -> bool:
    """True when the text between two quotations is only the first one's attribution: short,
    naming nobody else."""
    others = [run for _, _, run in name_runs(between) if run not in speaker]
    return len(between) < 120 and "«" not in between and not others


def _sentence_before(text: str, end: int) -> str:
    """The part of the sentence that precedes position `end`."""
    head = text[:end]
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("» "))
    return head[cut + 2 :] if cut >= 0 else head


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")
