"""The site as others see it: absolute URLs for permanent links, feeds and sitemaps."""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """Return the absolute form of a site path, on the configured origin when there is one."""
    if settings.NEWSROOM_SITE_URL:
        return f"{settings.NEWSROOM_SITE_URL}{path}"
    return request.build_absolute_uri(path)
