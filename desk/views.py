"""The desk's one page outside the admin: a story opened through a shared preview link."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from desk import preview
from website.site import absolute_url
from website.views.article import preview_context


def unlisted(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Previews are for their readers only: never indexed, never kept by a browser, proxy
    or the edge. The page cache stores only views that call ``depends_on``, which these
    never do."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The signed address is the key to the page: no Referer carries it anywhere.
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


@require_GET
@unlisted
def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    opened = preview.open_link(token)
    if opened.refusal is not None:
        public_url = absolute_url(request, opened.public_path) if opened.public_path else ""
        context = {"refusal": opened.refusal.value, "public_url": public_url}
        status = opened.refusal.status
        return render(request, "articles/preview_closed.html", context, status=status)
    article, link = opened.article, opened.link
    band = {
        "state": article.state_label(),
        "expires_at": link.expires_at,
        "shared": True,
        # A reviewer reading on a phone signs in there and acts on the story.
        "review_url": reverse("admin:articles_article_change", args=[article.pk]),
    }
    context = preview_context(request, article, absolute_url(request, request.path))
    return render(request, "articles/preview.html", context | {"preview": band})
