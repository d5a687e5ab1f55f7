"""The article list's search box: titles and summaries as before, and also body text and
byline, with the words the site's Chinese search cuts (search/search.py).

Published stories are looked up in the search index. The index holds only what the public
may see, and must not hold more (public search starts from it), so the desk's other
stories (drafts, stories in review, withdrawn ones) are matched word by word in their body:
the same words, every one required, as a substring of the body text. There are few of them
beside the archive, and they are already narrowed to what the person may see.
"""

from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from articles.models import Article, ArticleAuthor
from articles.transitions import Status
from search import search


def body_or_byline(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    """The articles among ``articles`` whose body holds every word of ``text``, or whose
    byline (custom byline or credited author) names every part of it."""
    query = search.parse_query(text)
    found = Q(pk__in=[])
    if query.terms:
        published = Article.objects.filter(status=Status.PUBLISHED)
        found |= Q(pk__in=search.matching(published, query).values("pk"))
        in_body = reduce(and_, (term_in_body(term) for term in query.terms))
        found |= ~Q(status=Status.PUBLISHED) & in_body
    if parts := text.split():
        found |= reduce(and_, (in_byline(part) for part in parts))
    return articles.filter(found)


def term_in_body(term: search.Term) -> Q:
    """A word of the query in a body: whole, or as all of its shorter words."""
    whole = Q(body__icontains=term.word)
    if not term.parts:
        return whole
    return whole | reduce(and_, (Q(body__icontains=part) for part in term.parts))


def in_byline(part: str) -> Q:
    credited = ArticleAuthor.objects.filter(author__name__icontains=part).values("article")
    return Q(byline_override__icontains=part) | Q(pk__in=credited)
