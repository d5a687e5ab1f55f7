"""Public pages: home, channel and the article page."""

from http import HTTPStatus

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from articles.models import Article, Channel


def absolute_url(request: HttpRequest, path: str) -> str:
    """Return the absolute form of a site path, on the configured origin when there is one."""
    if settings.NEWSROOM_SITE_URL:
        return f"{settings.NEWSROOM_SITE_URL}{path}"
    return request.build_absolute_uri(path)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    published = Article.objects.published().for_listing().newest_first()
    return render(
        request,
        "articles/home.html",
        {
            "headline": published.filter(is_headline=True).first(),
            "featured": published.filter(is_featured=True)[:6],
            "latest": published[: settings.NEWSROOM_PAGE_SIZE],
        },
    )


@require_GET
def channel(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel.objects.select_related("parent"), slug=slug)
    articles = (
        Article.objects.published()
        .in_channel(channel)
        .for_listing()
        .order_by("-is_pinned", "-first_published_at", "-id")
    )
    page = Paginator(articles, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/channel.html",
        {"channel": channel, "sub_channels": list(channel.children.all()), "page": page},
    )


@require_GET
def article_detail(request: HttpRequest, year: str, month: str, day: str, pk: int) -> HttpResponse:
    article = Article.objects.published().for_page().filter(pk=pk).first()
    if article is None:
        if Article.objects.gone().filter(pk=pk).exists():
            return render(request, "articles/gone.html", status=HTTPStatus.GONE)
        raise Http404
    permanent_path = article.get_absolute_url()
    if request.path != permanent_path:
        return redirect(permanent_path, permanent=True)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "permalink": absolute_url(request, permanent_path),
            "related": Article.objects.related_to(article, settings.NEWSROOM_RELATED_LIMIT),
            "previous": Article.objects.previous_to(article),
            "read_next": Article.objects.read_next(article),
        },
    )
