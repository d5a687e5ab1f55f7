"""The search page's results: the page of ranked articles, and each result as shown (a
marked title and snippet).

The ranking itself (which articles, in which order) is ``search.search.results``; this
module keeps it, reads its page and dresses it for the page.

Readers repeat the searches of the day, and ranking is most of a search's database work:
the ranked ids are kept in the shared cache under the versions of the ``search`` topic
(raised whenever the index changes, see ``search.search.index_changed``) and ``site`` (the
channel tree a channel filter reads), for RANKED_SECONDS at most and never past the next
scheduled change. A page then reads only its own rows, by id, through ``published()``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from articles.models import Article
from delivery import freshness
from search import search

# What a result shows: its title, a snippet (from the summary or the body), channel, time.
SHOWN = ("title", "summary", "body", "first_published_at", "channel")
SNIPPET_CHARS = 120
FEW = 3  # a search finding fewer results also offers a correction ("你是不是要找")
SNIPPET_LEAD = 30  # characters of context before the first match
# Longest a ranking is kept: the recency in its order moves slowly, a changed index at once.
RANKED_SECONDS = 300


def found(criteria: search.Criteria, wanted: str | None, size: int) -> Page:
    """The page of public articles the search page shows, with the fields SHOWN, as
    ``Paginator.get_page`` numbers it (not a number: the first; past either end: the last)."""
    page = Paginator(ranked_ids(criteria), size).get_page(wanted)
    rows = _shown().in_bulk(page.object_list) if page.object_list else {}
    # An article gone since the ranking was kept is left out (its change drops the ranking).
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def ranked_ids(criteria: search.Criteria) -> list[int]:
    """The ids of the ranked public articles (at most RANK_WINDOW), best first; kept in the
    shared cache while the index and the channel tree are unchanged."""
    key = freshness.key_for(f"search:ranked:{_digest(criteria)}", "search")
    ids = cache.get(key)
    if ids is None:
        before = freshness.epoch()
        ranked = search.results(Article.objects.published(), criteria)
        ids = list(ranked.values_list("pk", flat=True))
        if freshness.epoch() == before:  # nothing changed while it was ranked
            cache.set(key, ids, min(RANKED_SECONDS, freshness.keep_seconds()))
    return ids


def _digest(criteria: search.Criteria) -> str:
    """The search as the database runs it: the match (synonyms and pinyin included), the
    filters and the order."""
    channel = criteria.channel.pk if criteria.channel else None
    asked = (search.match_text(criteria.query), channel, criteria.since, criteria.until,
             criteria.by_date)  # fmt: skip
    return hashlib.sha1(repr(asked).encode()).hexdigest()


def _shown() -> QuerySet:
    return Article.objects.published().only(*SHOWN)


# --- Results as shown -------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result: the article, its marked title and a marked snippet."""

    article: Article
    title: SafeString
    snippet: SafeString


def hits(articles: Iterable[Article], query: search.Query) -> list[Hit]:
    """Dress found articles for the results page: escaped text, matches in <mark>."""
    words = query.highlights()
    pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None
    return [Hit(a, mark(a.title, pattern), snippet(a, pattern)) for a in articles]


def mark(text: str, pattern: re.Pattern | None) -> SafeString:
    """Escape ``text`` and wrap every match of ``pattern`` in <mark>."""
    pieces, position = [], 0
    for found in pattern.finditer(text) if pattern else ():
        pieces += (text[position : found.start()], found.group())
        position = found.end()
    pieces.append(text[position:])
    # One format string for all the pieces: "{}<mark>{}</mark>" for each match, then "{}".
    return format_html(_MARKED * (len(pieces) // 2) + "{}", *pieces)


_MARKED = "{}<mark>{}</mark>"


def snippet(article: Article, pattern: re.Pattern | None) -> SafeString:
    """The summary if it holds a match (editors write it for results), else the passage
    of the body around the first match, else the start of the summary."""
    if pattern is None or pattern.search(article.summary):
        return mark(article.summary, pattern)
    if passage := first_passage(article.body, pattern):
        text, found = passage
        start = max(0, found.start() - SNIPPET_LEAD)
        end = start + SNIPPET_CHARS
        return format_html(
            "{}{}{}",
            "…" if start else "",
            mark(text[start:end], pattern),
            "…" if end < len(text) else "",
        )
    return mark(Truncator(article.summary).chars(SNIPPET_CHARS), pattern)


def first_passage(body_html: str, pattern: re.Pattern) -> tuple[str, re.Match] | None:
    """The first of ``paragraphs(body_html)`` holding a match, and the match; the rest of
    the body is not read."""
    finder = _PassageFinder(pattern)
    try:
        finder.feed(body_html)
        finder.close()
        finder.look()
    except _Found as passage:
        return passage.args
    return None


class _Found(Exception):
    """The passage searched for, and the match in it: raised to stop the parser, which
    has no other way to stop before the end of its input."""


class _PassageFinder(search.TextExtractor):
    """Read paragraphs as ``paragraphs()`` cuts them, and stop at the first match."""

    def __init__(self, pattern: re.Pattern) -> None:
        super().__init__()
        self.pattern = pattern

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.look()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.look()

    def look(self) -> None:
        """At a line's end: search the lines completed so far, keep the one still open."""
        *lines, still_open = ("".join(self.parts) + "\n").split("\n")
        self.parts = [still_open]
        for line in lines:
            text = " ".join(line.split())
            if text and (found := self.pattern.search(text)):
                raise _Found(text, found)
