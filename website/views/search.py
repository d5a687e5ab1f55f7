"""站内搜索: the search page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from delivery.pagecache import depends_on
from search import search as index
from search import searchpage, vocabulary
from search.forms import SearchForm
from website import navigation


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    depends_on(request, "search", reads=(*SearchForm.base_fields, "page"))
    channels = navigation.tree(request)
    form = SearchForm(request.GET, channels=channels.channels)
    criteria = form.criteria()
    page = hits = correction = None
    if criteria and criteria.query.terms:
        page = searchpage.found(criteria, request.GET.get("page"), settings.NEWSROOM_PAGE_SIZE)
        channels.attach(page.object_list)
        hits = searchpage.hits(page.object_list, criteria.query)
    if criteria and (page is None or page.paginator.count < searchpage.FEW):
        correction = vocabulary.current().correction(criteria.query.text)
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": criteria.query if criteria else None,
            "page": page,
            "hits": hits,
            "correction": correction,
            "more_than_ranked": page is not None and page.paginator.count >= index.RANK_WINDOW,
        },
    )


@require_GET
def search_suggest(request: HttpRequest) -> JsonResponse:
    """Words of the index that start with what the reader has typed, for the search box."""
    depends_on(request, "search", reads=("q",))
    typed = request.GET.get("q", "")[: index.MAX_QUERY_CHARS]
    return JsonResponse({"suggestions": vocabulary.current().suggestions(typed)})
