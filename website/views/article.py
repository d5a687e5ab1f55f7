"""The article page, at its permanent URL."""

from http import HTTPStatus

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import Article
from audience import totals
from delivery.pagecache import depends_on
from website import navigation, surroundings
from website.site import absolute_url
from website.surroundings import Link, Surroundings


@require_GET
def article_detail(request: HttpRequest, year: str, month: str, day: str, pk: int) -> HttpResponse:
    depends_on(request, f"article:{pk}")
    article = public_article(pk)
    if article is None:
        if Article.objects.gone().filter(pk=pk).exists():
            return render(request, "articles/gone.html", status=HTTPStatus.GONE)
        raise Http404
    permanent_path = article.get_absolute_url()
    if request.path != permanent_path:
        return redirect(permanent_path, permanent=True)
    around = surroundings.of(article)
    depends_on(request, *around.topics())
    context = page_context(request, article, absolute_url(request, permanent_path), around)
    # 阅读量 where the channel shows it, as last folded in (a cache look-up, no query).
    context["reads"] = totals.total(article.pk) if article.channel.show_reads else None
    context["beacon_url"] = reverse("audience:read", args=[article.pk])
    return render(request, "articles/article_detail.html", context)


def page_context(
    request: HttpRequest, article: Article, permalink: str, around: Surroundings
) -> dict:
    """What articles/article_detail.html is drawn from, for the public page and for the
    desk's preview alike (the caller says what the page depends on, if it is stored)."""
    navigation.tree(request).attach([article])
    article.link_list = around.links
    related = around.related[: settings.NEWSROOM_RELATED_LIMIT]
    return {
        "article": article,
        "permalink": permalink,
        "related": related,
        "previous": around.previous,
        "read_next": around.read_next,
        # Part of the cache key of the block under the article.
        "linked": linked(related, around.previous, around.read_next),
        # Set by the public page only: a preview shows no 阅读量 and counts no read.
        "reads": None,
        "beacon_url": None,
    }


def preview_context(request: HttpRequest, article: Article, permalink: str) -> dict:
    """The article page as it will be once the article appears (any state; loaded with
    ``for_page``): a story not out yet is shown as if published now, or at its set time,
    with the neighbours and 相关链接 it would have then; a working copy as its live article
    will read once it replaces it. Nothing here is stored for readers."""
    live = article.live_article
    if article.revision_of_id is None and article.has_been_public():
        return page_context(request, article, permalink, surroundings.of(article))
    # Shown as on the day it appears; the row itself is not saved.
    article.first_published_at = live.first_published_at or timezone.now()
    return page_context(request, article, permalink, surroundings.foreseen(article, live))


def public_article(pk: int) -> Article | None:
    """The article if the public may see it now, loaded for its page (``for_page``)."""
    low, high = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
    if not low <= pk <= high:
        return None  # no row has such an id, and the database would refuse the number
    # No ordering for a look-up by primary key: working one out is a third of the cost.
    found = Article.objects.published().for_page().filter(pk=pk).order_by()
    return next(iter(found), None)


def linked(related: list[Link], previous: Link | None, read_next: Link | None) -> str:
    """Which articles the block under the article links to, in which place, as last
    changed: the block is drawn again when any of it differs."""
    places = [related, [previous] if previous else [], [read_next] if read_next else []]
    return "/".join(
        ",".join(f"{a.pk}@{a.updated_at.timestamp()}" for a in links) for links in places
    )
