"""The address a request came from, as the proxies in front of the site saw it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind NEWSROOM_PROXY_COUNT proxies the address the outermost one saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so only the last
    ``count`` entries were written by proxies we run; anything before them the client sent.
    """
    count = settings.NEWSROOM_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
