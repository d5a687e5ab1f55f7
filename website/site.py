"""The site as others see it: absolute URLs for permanent links, feeds, sitemaps and mail."""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """Return the absolute form of a site path, on the configured origin when there is one."""
    if settings.NEWSROOM_SITE_URL:
        return f"{settings.NEWSROOM_SITE_URL}{path}"
    return request.build_absolute_uri(path)


def origin() -> str:
    """The site's origin where no request is at hand (mail): ``NEWSROOM_SITE_URL``.

    Production must set it (a deployment check says so); until then, the first host the
    site answers to stands in, so a link is never relative.
    """
    if settings.NEWSROOM_SITE_URL:
        return settings.NEWSROOM_SITE_URL
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host.strip(".*")]
    return f"http://{hosts[0] if hosts else 'localhost'}"


def link(path: str) -> str:
    """Return the absolute URL of a site path, for use outside a request."""
    return f"{origin()}{path}"
