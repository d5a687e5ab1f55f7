"""Chinese full-text search: jieba words in, ranked public articles out.

Indexing. Only what the public may see is worth indexing, and that changes only when the
workflow puts content live (publish, a working copy merged) or takes it down (withdraw,
unschedule): the receivers of those signals (articles/receivers.py) call ``index_article`` /
``unindex_article`` once the step is committed, and
``manage.py reindex_search`` rebuilds the lot. Each ``SearchEntry`` holds the article's words,
cut by jieba's search mode (``cut_for_search``: whole words plus the shorter words inside
them), space-separated, in three columns: title (weight A), kicker + subtitle + summary + tags
(B), body (C).

* PostgreSQL: ``SearchEntry.vector`` is the weighted ``tsvector`` of those columns under the
  ``simple`` configuration (spaces split, nothing stemmed), with a GIN index. Relevance is
  ``ts_rank`` (weights A 1.0, B 0.4, C 0.2; rank divided by 1 + log of the document length).
* SQLite: an FTS5 table (``unicode61`` tokenizer, external content = the entry table, kept in
  step by triggers) made by the migration. Relevance is ``-bm25()`` with column weights 5, 2, 1,
  the same 1 : 0.4 : 0.2 proportions.

Querying. The reader's text is cut by jieba's precise mode (``cut``); every word must match
(AND), either whole or as all of its shorter words, so "乡村振兴" also finds a text cut as
"乡村 / 振兴"; a one-character word matches as a prefix ("茶" finds 茶叶, 茶园). Results always
start from ``Article.objects.published()``: an indexed article that is scheduled, expired or
withdrawn is never found. The order is

    score = relevance × (1 + RECENCY_WEIGHT × RECENCY_DAYS / (RECENCY_DAYS + age in days))

so a story published today counts up to twice its relevance, one a month old 1.5 times, and
an old one about its plain relevance: recency breaks near-ties, relevance still leads. Only
the newest RANK_WINDOW matches are ranked, which bounds the cost of a broad query.

Bulk loads: ``index_articles`` takes any number of articles, writes them in batches (one
upsert per batch; on PostgreSQL the vectors are computed as it writes) and caches the words
of each paragraph, so generated articles that reuse paragraphs are cut once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from itertools import batched
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models.search import SearchEntry
from articles.text import simplified
from delivery import freshness
from search.dictionary import Dictionary, Segmenter, dictionary_file

if TYPE_CHECKING:
    from articles.models import Article, Channel

WORDS_FILE = Path(__file__).resolve().parent / "search_words.txt"
# Weight of a local word in jieba's dictionary: jieba's own guess for a new word is so low
# that common words around it win ("非遗传承人" → "非 / 遗传 / 承人"); this one holds.
LOCAL_WORD_FREQ = 1000
# Words too common to tell articles apart; dropped from texts and queries alike.
STOP_WORDS = frozenset("的了和与及或在是就都而也把被对从向为以于之着地得这那")
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 10
RANK_WINDOW = 300  # newest matches ranked per search (see results())
RECENCY_DAYS = 30.0
RECENCY_WEIGHT = 1.0
FTS_TABLE = "articles_searchentry_fts"
# Letters and digits only: punctuation, spaces and symbols never become words, so the words
# are the same whichever database tokenises them, and a query cannot carry syntax.
WORD = re.compile(r"[^\W_]+")

# --- Words ------------------------------------------------------------------------------


@functools.cache
def segmenter() -> Segmenter:
    """Return jieba over its dictionary file and the station's own words; the file is
    opened once per process, and read only where a text's words are looked up."""
    local = {}
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        word, *freq = line.split("#", 1)[0].split()[:2] or [""]
        if word:
            local[word] = int(freq[0]) if freq else LOCAL_WORD_FREQ
    return Segmenter(Dictionary(dictionary_file(settings.NEWSROOM_SEARCH_DICTIONARY), local))


def _clean(pieces: Iterable[str]) -> Iterator[str]:
    """Lower-case letter/digit runs of jieba's pieces, stop words left out."""
    for piece in pieces:
        for word in WORD.findall(piece.lower()):
            if word not in STOP_WORDS:
                yield word


def _normal(text: str) -> str:
    """Full-width letters and digits as half-width ones, so ＡＢＣ１ matches ABC1; and
    traditional characters as simplified ones, so 瀘溪 matches 泸溪 (texts and queries alike)."""
    return simplified(unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=20_000)
def index_words(text: str) -> tuple[str, ...]:
    """The words of a text for the index: whole words and the shorter words inside them."""
    return tuple(_clean(segmenter().cut_for_search(_normal(text), True)))


class TextExtractor(HTMLParser):
    """Collect an HTML body's text, one line per block (paragraph, heading, caption ...)."""

    BLOCKS = frozenset(
        {"p", "h2", "h3", "h4", "li", "blockquote", "figure", "figcaption"}
        | {"table", "tr", "td", "th", "br"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def paragraphs(body_html: str) -> list[str]:
    """Return the text of an article body, paragraph by paragraph."""
    extractor = TextExtractor()
    extractor.feed(body_html)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


# --- Indexing ---------------------------------------------------------------------------


def entry_for(article: Article) -> SearchEntry:
    """Build (unsaved) the index row of an article; its tags should be prefetched.

    On PostgreSQL the vectors are computed from the words as the row is written, and the
    body's words live on in the match vector only (the text is not kept).
    """
    summary_parts = [article.kicker, article.subtitle, article.summary]
    summary_parts += [tag.name for tag in article.tags.all()]
    title = " ".join(index_words(article.title))
    summary = " ".join(w for text in summary_parts for w in index_words(text))
    body = " ".join(word for text in paragraphs(article.body) for word in index_words(text))
    entry = SearchEntry(
        article=article,
        published_at=article.first_published_at,
        title_words=title,
        summary_words=summary,
        body_words=body,
    )
    if connection.vendor == "postgresql":
        entry.body_words = ""
        entry.vector = match_vector(" ".join((title, summary, body)))
        entry.head = head_vector(title, summary)
    return entry


def match_vector(words: str) -> SearchVector:
    """Every word, with its positions. PostgreSQL's parser cuts some words in two (a code
    such as "260e4ff2b7" into "260e4" and "ff2b7", "COVID-19" into three) and matches the
    query's pieces as a phrase, which needs the positions: without them such a word is
    never found."""
    return SearchVector(Value(words), config="simple")


def head_vector(title_words: str, summary_words: str) -> SearchVector:
    """The title (weight A) and summary (B) words with their positions, to rank by."""
    return SearchVector(Value(title_words), weight="A", config="simple") + SearchVector(
        Value(summary_words), weight="B", config="simple"
    )


def index_articles(articles: Iterable[Article], *, batch_size: int = 500) -> int:
    """Index the published articles among ``articles``, unindex the rest; return how many
    were indexed. Works in batches (one upsert each): pass a QuerySet's ``iterator()``
    for large loads."""
    indexed = 0
    fields = ["title_words", "summary_words", "body_words", "published_at", "indexed_at"]
    if connection.vendor == "postgresql":
        fields += ["vector", "head"]
    for batch in batched(articles, batch_size, strict=False):
        live = [a for a in batch if a.status == a.Status.PUBLISHED]
        gone = [a.pk for a in batch if a.status != a.Status.PUBLISHED]
        SearchEntry.objects.filter(article__in=gone).delete()
        SearchEntry.objects.bulk_create(
            [entry_for(article) for article in live],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=fields,
        )
        indexed += len(live)
    index_changed()
    return indexed


def index_changed() -> None:
    """Rankings kept of the index (search/searchpage.py) are stale: at once, and again
    once the change is committed, so none ranked from the rows before it is kept."""
    freshness.touch("search")
    if not transaction.get_autocommit():
        transaction.on_commit(lambda: freshness.touch("search"))


def rebuild_sqlite_index() -> None:
    """SQLite: rebuild the FTS5 table from the entry table (a no-op on PostgreSQL)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def index_article(article: Article) -> None:
    """Bring the article's index row up to date with what the public may now see."""
    index_articles([article])


def unindex_article(article: Article) -> None:
    """Forget an article that left the site."""
    SearchEntry.objects.filter(article=article).delete()
    index_changed()


# --- Queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query, and how it may match."""

    word: str
    parts: tuple[str, ...] = ()  # shorter words that may stand in for it, all together
    prefix: bool = False  # one character: match words that start with it
    # Other ways of saying it (a synonym, the words a pinyin spelling stands for), each
    # a group of words that must all match.
    alternatives: tuple[tuple[str, ...], ...] = ()

    def options(self) -> list[tuple[str, ...]]:
        """The groups of words any one of which matches this term."""
        return [(self.word,), *([self.parts] if self.parts else []), *self.alternatives]

    def fts5(self) -> str:
        def word(w: str) -> str:
            return f'"{w}"*' if self.prefix and w == self.word else f'"{w}"'

        return _any_of(self.options(), word, " AND ", " OR ")

    def tsquery(self) -> str:
        def word(w: str) -> str:
            return f"'{w}':*" if self.prefix and w == self.word else f"'{w}'"

        return _any_of(self.options(), word, " & ", " | ")


def _any_of(options: list[tuple[str, ...]], word, both: str, either: str) -> str:
    groups = [
        word(group[0]) if len(group) == 1 else f"({both.join(map(word, group))})"
        for group in options
    ]
    return groups[0] if len(groups) == 1 else f"({either.join(groups)})"


@dataclass(frozen=True)
class Query:
    """What a reader searched for: their text and the words it was cut into."""

    text: str
    terms: tuple[Term, ...]
    shortened: bool = False  # the text had more than we search for

    def highlights(self) -> list[str]:
        """Strings to mark in titles and snippets, longest first."""
        found = {w for t in self.terms for group in t.options() for w in group}
        return sorted(found, key=len, reverse=True)


class Alternatives(Protocol):
    """Where other ways of saying a word come from (``search.vocabulary.Vocabulary``)."""

    def alternatives(self, word: str) -> tuple[tuple[str, ...], ...]: ...


def query_words(text: str) -> list[str]:
    """The words of a query, as the index holds them, each once."""
    return list(dict.fromkeys(_clean(segmenter().cut(_normal(text), True))))


def parse_query(text: str, vocabulary: Alternatives | None = None) -> Query:
    """Cut a reader's text into search terms (none for punctuation or stop words alone);
    with a vocabulary, a term also matches its synonyms, and pinyin the words it spells."""
    text = " ".join(text.split())
    kept = text[:MAX_QUERY_CHARS]
    words = query_words(kept)
    whole = "".join(words)
    if vocabulary and len(words) > 1 and (others := vocabulary.alternatives(whole)):
        # A synonym of several words ("养牛" cut as 养 / 牛): one term, all its words.
        return Query(text=text, terms=(Term(whole, tuple(words), alternatives=others),))
    terms = tuple(_term(word, vocabulary) for word in words[:MAX_QUERY_WORDS])
    return Query(
        text=text, terms=terms, shortened=len(kept) < len(text) or len(words) > len(terms)
    )


def _term(word: str, vocabulary: Alternatives | None = None) -> Term:
    others = vocabulary.alternatives(word) if vocabulary else ()
    if len(word) == 1:
        return Term(word, prefix=True, alternatives=others)
    parts = tuple(p for p in _shorter_words(word) if p not in STOP_WORDS)
    return Term(word, parts if any(len(p) > 1 for p in parts) else (), alternatives=others)


def _shorter_words(word: str) -> list[str]:
    """Cut a word into the longest shorter dictionary words, left to right: how a text
    would hold it if jieba had not seen it as one word there ("湘西州" → "湘西 / 州")."""
    known, parts, start = segmenter(), [], 0
    while start < len(word):
        end = next(
            (end for end in range(len(word) - (start == 0), start + 1, -1)
             if known.has_word(word[start:end])),
            start + 1,
        )  # fmt: skip
        parts.append(word[start:end])
        start = end
    return parts


@dataclass(frozen=True)
class Criteria:
    """A search as the reader asked for it: a query and optional channel and dates."""

    query: Query
    channel: Channel | None = None
    since: date | None = None
    until: date | None = None
    by_date: bool = False  # newest first, instead of the most relevant


class DaysSince(Func):
    """Fractional days from a moment column to a given moment ``now``."""

    output_field = FloatField()
    arity = 2

    def __init__(self, moment: str, now: datetime) -> None:
        super().__init__(Value(now), F(moment))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ", **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, function="", template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(", **extra,
        )  # fmt: skip


def match_text(query: Query) -> str:
    """The query as the database's full-text search reads it: every term must match."""
    if connection.vendor == "postgresql":
        return " & ".join(term.tsquery() for term in query.terms)
    return " AND ".join(term.fts5() for term in query.terms)


def matching(articles: QuerySet, query: Query) -> QuerySet:
    """Keep the indexed articles among ``articles`` whose words hold every term of the
    query, unranked (the desk's search box; readers get ``results()``)."""
    return _matching(articles, match_text(query)) if query.terms else articles.none()


def _matching(articles: QuerySet, match: str) -> QuerySet:
    """Keep the articles whose index entry holds every term."""
    if connection.vendor == "postgresql":
        return articles.filter(search_entry__vector=_tsquery(match))
    table = connection.ops.quote_name(FTS_TABLE)
    matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match])
    return articles.filter(pk__in=matches)


def _tsquery(match: str) -> SearchQuery:
    return SearchQuery(match, search_type="raw", config="simple")


def _with_relevance(articles: QuerySet, match: str) -> QuerySet:
    """Annotate each article's relevance to the query (higher is better)."""
    if connection.vendor == "postgresql":
        # Every article here holds all the terms: rank by how much of them its title and
        # summary hold, each word alone (ts_rank of an AND query weighs every pair of the
        # terms' positions, which costs far more for no better order).
        anywhere = _tsquery(match.replace(" & ", " | "))
        rank = SearchRank(F("search_entry__head"), anywhere, normalization=Value(1))
        # No head yet (an entry written before the head existed): the plain relevance 0.
        return articles.annotate(relevance=Coalesce(rank, Value(0.0)))
    # bm25() works only in the statement that runs the MATCH, and the FTS5 table must be
    # the outer loop: as the inner one it would recount every term's documents for each
    # article. So the table joins the query itself (extra() is the ORM's only way to join
    # a table that is no model's; an unmanaged model would be caught up in test
    # serialisation), and the unary + keeps SQLite from looking it up by rowid per article.
    # Only for the outermost query: the raw SQL names the article table, never an alias.
    table = connection.ops.quote_name(FTS_TABLE)
    article_id = connection.ops.quote_name("articles_article") + ".id"
    joined = articles.extra(  # fixed SQL; the MATCH text goes as a parameter
        tables=[FTS_TABLE],
        where=[f"+{table}.rowid = {article_id}", f"{table} MATCH %s"],
        params=[match],
    )
    bm25 = RawSQL(f"-bm25({table}, 5.0, 2.0, 1.0)", (), output_field=FloatField())
    return joined.annotate(relevance=bm25)


def results(articles: QuerySet, criteria: Criteria) -> QuerySet:
    """Rank ``articles`` (start from ``published()``) against the criteria, best first
    (or newest first, ``by_date``).

    Ranking reads every candidate's words, and a broad word ("湘西") can match most of the
    archive: only the newest RANK_WINDOW matching articles are ranked, so a search costs
    the same on a million articles as on a thousand.
    """
    since, until = criteria.since, criteria.until
    return rank(
        articles,
        match_text(criteria.query),
        channel=criteria.channel,
        since=None if since is None else start_of(since),
        until=None if until is None else start_of(until, 1),
        window=RANK_WINDOW,
        by_date=criteria.by_date,
    )


def rank(
    articles: QuerySet,
    match: str,
    *,
    channel: Channel | None,
    since: datetime | None,
    until: datetime | None,
    window: int,
    by_date: bool = False,
) -> QuerySet:
    """``results()`` for a match text, the moments the dates begin and end and the number
    of newest matches ranked."""
    newest = _newest(articles, match, channel=channel, since=since, until=until)[:window]
    found = articles.filter(pk__in=newest)
    if by_date:
        return found.order_by("-first_published_at", "-id")
    recency = RECENCY_DAYS / (RECENCY_DAYS + DaysSince("first_published_at", timezone.now()))
    return (
        _with_relevance(found, match)
        .annotate(score=F("relevance") * (1 + RECENCY_WEIGHT * recency))
        .order_by("-score", "-first_published_at", "-id")
    )


def _newest(
    articles: QuerySet,
    match: str,
    *,
    channel: Channel | None,
    since: datetime | None,
    until: datetime | None,
) -> QuerySet:
    """The ids of the matching articles, newest first.

    On PostgreSQL from the index table alone (its own copy of the publication time), so a
    broad word walks the newest entries and a rare one reads its few from the GIN index,
    without the article table; a channel needs the articles, a scheduled article's time
    lies ahead. The final ``published()`` rows are read for the window only.
    """
    if connection.vendor != "postgresql":
        matching = _matching(articles, match)
        if channel is not None:
            matching = matching.in_channel(channel)
        if since is not None:
            matching = matching.filter(first_published_at__gte=since)
        if until is not None:
            matching = matching.filter(first_published_at__lt=until)
        return matching.order_by("-first_published_at", "-id").values("pk")
    entries = SearchEntry.objects.filter(vector=_tsquery(match), published_at__lte=timezone.now())
    if channel is not None:
        entries = entries.filter(article__in=articles.in_channel(channel).values("pk"))
    if since is not None:
        entries = entries.filter(published_at__gte=since)
    if until is not None:
        entries = entries.filter(published_at__lt=until)
    return entries.order_by("-published_at").values("article_id")


def start_of(day: date, plus_days: int = 0) -> datetime:
    """The first moment of a day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=plus_days), time.min))
