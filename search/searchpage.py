"""The search page's results: the page of ranked articles, read by SQL compiled once per
process for each shape of search, and each result as shown (a marked title and snippet).

The ranking itself (which articles, in which order) is ``articles.search.results``; this
module only reads its pages faster and dresses them for the page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.paginator import Page, Paginator
from django.db import connection, router
from django.db.models import Count, QuerySet, Window
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from articles import precompiled
from articles.models import Article, Channel
from search import search

# What a result shows: its title, a snippet (from the summary or the body), channel, time.
SHOWN = ("title", "summary", "body", "first_published_at", "channel")
# The id and the fields SHOWN, in the model's order, as only(*SHOWN) reads them.
COLUMNS = tuple(
    field.attname
    for field in Article._meta.concrete_fields
    if field.name in {Article._meta.pk.name, *SHOWN}
)
SNIPPET_CHARS = 120
SNIPPET_LEAD = 30  # characters of context before the first match

# --- The page of results ----------------------------------------------------------------

# Stand-ins (only compiled, never run) that mark and then check where each value goes.
PAGE_STAND_INS = (
    {
        "match": "'qqmarkqq'",
        "channel": 987654321,
        "since": datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC),
        "until": datetime(2002, 3, 4, 5, 6, 7, tzinfo=UTC),
    },
    {
        "match": "'zzcheckzz'",
        "channel": 912345678,
        "since": datetime(2003, 4, 5, 6, 7, 8, tzinfo=UTC),
        "until": datetime(2004, 5, 6, 7, 8, 9, tzinfo=UTC),
    },
)


def found(criteria: search.Criteria, wanted: str | None, size: int) -> Page:
    """The page of public articles the search page shows, as ``page_of(results(...))``
    gives it over ``published()`` with the fields SHOWN; on PostgreSQL its SQL is compiled
    once per process for each shape of criteria."""
    statements = None
    if connection.vendor == "postgresql":
        statements = precompiled.sliced_statements(_page_query(_shape(criteria)), PAGE_STAND_INS)
    if statements is None:
        return search.page_of(search.results(_shown(), criteria), wanted, size)
    since, until = criteria.since, criteria.until
    values = {
        "match": search.match_text(criteria.query),
        "channel": criteria.channel.pk if criteria.channel else None,
        "since": None if since is None else search.start_of(since),
        "until": None if until is None else search.start_of(until, 1),
        precompiled.LIMIT: size,
    }

    def rows_of(number: int) -> list[tuple]:
        return statements[0].run({**values, precompiled.OFFSET: (number - 1) * size})

    paginator = Paginator([], size)
    number = search.page_number(wanted, size)
    rows = [] if number is None else rows_of(number)
    if not rows and number != 1:
        # Past either end: the last page, as the paginator gives it, once the count is known.
        first = rows_of(1)
        paginator.count = first[0][-1] if first else 0
        number = paginator.num_pages
        rows = first if number == 1 else rows_of(number)
    paginator.count = rows[0][-1] if rows else 0
    return Page([_loaded(row[:-1]) for row in rows], number, paginator)


def _shown() -> QuerySet:
    return Article.objects.published().only(*SHOWN)


@dataclass(frozen=True)
class _Shape:
    """What the SQL of a search depends on besides its values: the filters set, and the
    ranking's settings, which the SQL holds as written when it was compiled."""

    window: int
    recency: tuple[float, float]
    section: bool  # a top-level channel (else a sub-channel, if any)
    channel: bool
    since: bool
    until: bool


def _shape(criteria: search.Criteria) -> _Shape:
    channel = criteria.channel
    return _Shape(
        window=search.RANK_WINDOW,
        recency=(search.RECENCY_DAYS, search.RECENCY_WEIGHT),
        section=channel is not None and channel.parent_id is None,
        channel=channel is not None,
        since=criteria.since is not None,
        until=criteria.until is not None,
    )


@functools.cache
def _page_query(shape: _Shape) -> precompiled.Build:
    """The one query of a search page of this shape, for its values or stand-ins."""

    def build(values: Mapping[str, object]) -> list[QuerySet]:
        channel = None
        if shape.channel:  # in_channel() tells a section from a sub-channel by its parent
            channel = Channel(pk=values["channel"], parent_id=None if shape.section else 0)
        ranked = search.rank(
            _shown(),
            values["match"],
            channel=channel,
            since=values["since"] if shape.since else None,
            until=values["until"] if shape.until else None,
            window=shape.window,
        )
        return [ranked.annotate(total=Window(Count("*"))).values_list(*COLUMNS, "total")]

    return build


def _loaded(row: tuple) -> Article:
    """An article with the fields SHOWN, as ``only(*SHOWN)`` would load it."""
    return Article.from_db(router.db_for_read(Article), COLUMNS, row)


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
