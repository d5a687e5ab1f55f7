"""System checks: settings the photo pipeline, mail links and the desk's queues need."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from desk import queues
from photos import images

CORNERS = {"top-left", "top-right", "bottom-left", "bottom-right"}


@register()
def watermark_can_be_drawn(app_configs, **kwargs) -> list[CheckMessage]:
    """The mark needs a readable logo, or a CJK font for its text, and a known corner."""
    errors = []
    if settings.NEWSROOM_WATERMARK_POSITION not in CORNERS:
        errors.append(
            Error(
                f"NEWSROOM_WATERMARK_POSITION must be one of {', '.join(sorted(CORNERS))}.",
                id="articles.E001",
            )
        )
    try:
        images.mark_source()
    except (ImproperlyConfigured, OSError) as problem:
        errors.append(Error(f"The watermark cannot be drawn: {problem}", id="articles.E002"))
    return errors


@register(deploy=True)
def site_url_is_set(app_configs, **kwargs) -> list[CheckMessage]:
    """Mail sent to the desk links to the site's address: production must name it."""
    if settings.DEBUG or settings.NEWSROOM_SITE_URL:
        return []
    return [
        Error(
            "NEWSROOM_SITE_URL is empty: links in mail to the desk need the site's address.",
            hint="Set it to the site's origin, e.g. NEWSROOM_SITE_URL=https://xiangxi.example.cn",
            id="articles.E003",
        )
    ]


@register()
def site_url_is_an_origin(app_configs, **kwargs) -> list[CheckMessage]:
    """When set, the site URL is an absolute http(s) address."""
    value = settings.NEWSROOM_SITE_URL
    if not value:
        return []
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return []
    return [
        Error(
            f"NEWSROOM_SITE_URL must be an origin such as https://xiangxi.example.cn, "
            f"not {value!r}.",
            id="articles.E004",
        )
    ]


@register()
def overdue_hours_are_readable(app_configs, **kwargs) -> list[CheckMessage]:
    """NEWSROOM_REVIEW_OVERDUE_HOURS is a number of hours, or hours per step."""
    try:
        queues.overdue_hours()
    except ValueError as problem:
        return [Error(f"NEWSROOM_REVIEW_OVERDUE_HOURS: {problem}", id="articles.E005")]
    return []
