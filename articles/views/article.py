"""The article page, at its permanent URL."""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.pagecache import depends_on
from articles.site import absolute_url


@require_GET
def article_detail(request: HttpRequest, year: str, month: str, day: str, pk: int) -> HttpResponse:
    depends_on(request, f"article:{pk}")
    article = Article.objects.published().for_page().filter(pk=pk).first()
    if article is None:
        if Article.objects.gone().filter(pk=pk).exists():
            return render(request, "articles/gone.html", status=HTTPStatus.GONE)
        raise Http404
    permanent_path = article.get_absolute_url()
    if request.path != permanent_path:
        return redirect(permanent_path, permanent=True)
    related = article.related(settings.NEWSROOM_RELATED_LIMIT)
    previous, read_next = Article.objects.neighbours(article)
    shown = [a for a in [*related, previous, read_next] if a is not None]
    depends_on(request, *(f"article:{a.pk}" for a in shown))
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "permalink": absolute_url(request, permanent_path),
            "related": related,
            # Part of the related block's cache key: which articles, as last changed.
            "related_ids": ",".join(f"{a.pk}@{a.updated_at.timestamp()}" for a in related),
            "previous": previous,
            "read_next": read_next,
        },
    )
