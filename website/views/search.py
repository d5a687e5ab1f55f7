"""站内搜索: the search page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from delivery.pagecache import depends_on
from search import search as index
from search import searchpage
from search.forms import SearchForm
from website import navigation


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    depends_on(request, "search", reads=(*SearchForm.base_fields, "page"))
    channels = navigation.tree(request)
    form = SearchForm(request.GET, channels=channels.channels)
    criteria = form.criteria()
    page = hits = None
    if criteria and criteria.query.terms:
        page = searchpage.found(criteria, request.GET.get("page"), settings.NEWSROOM_PAGE_SIZE)
        channels.attach(page.object_list)
        hits = searchpage.hits(page.object_list, criteria.query)
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": criteria.query if criteria else None,
            "page": page,
            "hits": hits,
            "more_than_ranked": page is not None and page.paginator.count >= index.RANK_WINDOW,
        },
    )
