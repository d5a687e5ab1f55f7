"""The site as readers reach it in production: the project's URLs, plus uploads and static
files served straight from disk, as nginx serves /media/ and /static/ (deploy/nginx)."""

from django.conf import settings
from django.contrib.staticfiles.views import serve as serve_static
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Any file under MEDIA_ROOT, to anyone who names it (no directory listings)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def static(request: HttpRequest, path: str) -> HttpResponse:
    return serve_static(request, path, insecure=True)


urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", media),
    re_path(r"^static/(?P<path>.+)$", static),
    *site,
]
