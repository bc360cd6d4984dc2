"""Embedded tweets → Markdown blockquotes marked with their language:

    {lang=en .tweet}
    > Tweet text https://t.co/…
    >
    > — Name (@handle), [25 mars 2024](https://twitter.com/handle/status/…)

Two shapes are recognised: the raw `<blockquote class="twitter-tweet">` embed code, and the
text a browser shows of it, ending with « — Name (@handle) March 25, 2024 »."""

from __future__ import annotations

import html
import re

from revue.ingest.blocks import Block, Tweet, detect_lang, looks_like_heading
from revue.ingest.datefind import ENGLISH_DATE, FRENCH_DATE, parse_date_phrase
from revue.ingest.markup import html_to_markdown, link_bare_urls

PLACEHOLDER = re.compile(r"^⟦tweet (\d+)⟧$")
_EMBED = re.compile(
    r"(?:\[tweet\][ \t]*)?<blockquote\b[^>]*class=[\"'][^\"']*twitter-tweet[^>]*>(?P<inner>.*?)"
    r"</blockquote\s*>(?:\s*<script\b[^>]*>\s*</script\s*>)?(?:[ \t]*\[/tweet\])?",
    re.IGNORECASE | re.DOTALL,
)
_EMBED_TEXT = re.compile(r"<p\b(?P<attrs>[^>]*)>(?P<text>.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_EMBED_SIGNATURE = re.compile(
    r"(?:&mdash;|—|–)\s*(?P<name>[^<(]+?)\s*\(@(?P<handle>\w+)\)\s*"
    r"(?:<a\b[^>]*href=[\"'](?P<url>[^\"']+)[\"'][^>]*>(?P<date>.*?)</a>)?",
    re.IGNORECASE | re.DOTALL,
)
SIGNATURE = re.compile(
    r"(?:^|(?<=\s))[—–]\s*(?P<name>[^\n—–()@]{1,60}?)\s*\(@(?P<handle>\w{1,20})\)\s*"
    rf"(?P<date>{ENGLISH_DATE}|{FRENCH_DATE})",
    re.IGNORECASE,
)
_PIC = re.compile(r"(?<![\w/.\[<])pic\.twitter\.com/\w+")
_LINE_START = re.compile(r"^(#{1,6}\s|[-+*>]\s|\d+[.)]\s)")
MAX_TWEET_LENGTH = 600


def _status_url(url: str | None) -> str | None:
    """A tweet's address without its tracking query: https://twitter.com/x/status/123."""
    if not url or "/status/" not in url:
        return None
    return html.unescape(url).split("?")[0]


def _tweet_text(markdown: str) -> list[str]:
    """Markdown paragraphs of a tweet, with bare links made clickable."""
    markdown = _PIC.sub(lambda m: f"[{m.group(0)}](https://{m.group(0)})", markdown)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markdown) if p.strip()]
    return [link_bare_urls(p) for p in paragraphs]


def _embed_tweet(match: re.Match[str], doc_lang: str) -> Tweet:
    """One raw `<blockquote class="twitter-tweet">` embed → a Tweet."""
    inner = match["inner"]
    body = _EMBED_TEXT.search(inner)
    lang_attr = re.search(r"lang=[\"']([a-z]{2})", body["attrs"]) if body else None
    text = html_to_markdown(body["text"]) if body else ""
    signature = _EMBED_SIGNATURE.search(inner[body.end() :] if body else inner)
    name = html.unescape(signature["name"]).strip() if signature else ""
    date_text = html_to_markdown(signature["date"] or "") if signature else ""
    lang = lang_attr[1] if lang_attr else detect_lang(text) or doc_lang
    return Tweet(
        paragraphs=_tweet_text(text),
        name=name,
        handle=signature["handle"] if signature else "",
        date=parse_date_phrase(date_text),
        date_text=date_text,
        url=_status_url(signature["url"]) if signature else None,
        lang=lang,
    )


def extract_embeds(text: str, doc_lang: str) -> tuple[str, list[Tweet]]:
    """Replace each raw tweet embed (and its `<script>` and `[Tweet]` markers) with a
    placeholder line `⟦tweet N⟧`; return the new text and the tweets in order."""
    tweets: list[Tweet] = []

    def replace(match: re.Match[str]) -> str:
        tweets.append(_embed_tweet(match, doc_lang))
        return f"\n⟦tweet {len(tweets) - 1}⟧\n"

    return _EMBED.sub(replace, text), tweets


def placeholder_blocks(blocks: list[Block], tweets: list[Tweet]) -> list[Block]:
    """Turn the `⟦tweet N⟧` placeholder blocks into tweet blocks."""
    result = []
    for block in blocks:
        match = PLACEHOLDER.match(block.text)
        if match:
            tweet = tweets[int(match[1])]
            result.append(Block(tweet.name, kind="tweet", tweet=tweet))
        else:
            result.append(block)
    return result


def _absorbable(block: Block, lang: str | None, doc_lang: str, budget: int) -> bool:
    """May the tweet whose signature follows take this earlier block as part of its text?
    Only a short non-heading line in another language than the article's (the tweet's own)."""
    if block.kind != "text" or looks_like_heading(block.text) or len(block.text) > budget:
        return False
    block_lang = detect_lang(block.text)
    return block_lang is not None and block_lang != doc_lang and lang in (None, block_lang)


def _plain_tweet(paragraphs: list[str], match: re.Match[str], doc_lang: str) -> Tweet:
    """A tweet from the text shown before its « — Name (@handle) Date » signature."""
    date_text = match["date"]
    return Tweet(
        paragraphs=_tweet_text("\n\n".join(paragraphs)),
        name=match["name"].strip(),
        handle=match["handle"],
        date=parse_date_phrase(date_text),
        date_text=date_text,
        lang=detect_lang(" ".join(paragraphs)) or doc_lang,
    )


def _take_earlier(result: list[Block], text: str, doc_lang: str) -> list[str]:
    """Pop from `result` the earlier lines that belong to a tweet whose signature line
    holds `text`; return them in reading order."""
    taken: list[str] = []
    lang = detect_lang(text)
    budget = MAX_TWEET_LENGTH - len(text)
    while result:
        block = result[-1]
        alone = not text and not taken and block.kind == "text"
        if not (alone or _absorbable(block, lang, doc_lang, budget)):
            break
        result.pop()
        taken.insert(0, block.text)
        budget -= len(block.text)
        lang = lang or detect_lang(block.text)
    return taken


def extract_plain_tweets(blocks: list[Block], doc_lang: str) -> tuple[list[Block], list[str]]:
    """Find tweets shown as text (« … — Name (@handle) March 25, 2024 ») and turn them into
    tweet blocks. Earlier lines in the tweet's language (not the article's) belong to it."""
    result: list[Block] = []
    notes: list[str] = []
    for block in blocks:
        if block.kind != "text" or not SIGNATURE.search(block.text):
            result.append(block)
            continue
        start = 0
        for match in SIGNATURE.finditer(block.text):
            text = block.text[start : match.start()].strip()
            earlier = _take_earlier(result, text, doc_lang) if start == 0 else []
            tweet = _plain_tweet([*earlier, text] if text else earlier, match, doc_lang)
            if earlier:
                notes.append(
                    f"tweet by {tweet.name} (@{tweet.handle}): its text was gathered from the "
                    f"{len(earlier) + bool(text)} lines ending with its signature; check where "
                    "it begins"
                )
            result.append(Block(tweet.name, kind="tweet", tweet=tweet))
            start = match.end()
        rest = block.text[start:].strip()
        if rest:
            result.append(Block(rest, wall=block.wall))
    return result, notes


def _escape(line: str) -> str:
    """Keep a tweet line from reading as a Markdown heading, list or quote."""
    return "\\" + line if _LINE_START.match(line) else line


def render_tweet(tweet: Tweet) -> str:
    """The Markdown blockquote for one tweet, with its attribute line above it."""
    lines = [f"{{lang={tweet.lang} .tweet}}"]
    for paragraph in tweet.paragraphs:
        rows = [_escape(row) for row in paragraph.split("\n")]
        lines += [f"> {row}\\" for row in rows[:-1]] + [f"> {rows[-1]}", ">"]
    when = tweet.date.french() if tweet.date else tweet.date_text
    if when and tweet.url:
        when = f"[{when}]({tweet.url})"
    author = f"{tweet.name} (@{tweet.handle})" if tweet.handle else tweet.name
    lines.append(f"> — {author}, {when}" if when else f"> — {author}")
    return "\n".join(lines)
