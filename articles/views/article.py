"""The article page, at its permanent URL."""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.site import absolute_url
from articles.structured_data import news_article


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
    permalink = absolute_url(request, permanent_path)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "permalink": permalink,
            "structured_data": news_article(
                article, permalink, lambda path: absolute_url(request, path)
            ),
            "related": article.related(settings.NEWSROOM_RELATED_LIMIT),
            "previous": Article.objects.previous_to(article),
            "read_next": Article.objects.read_next(article),
        },
    )
