"""System checks: settings the photo pipeline cannot work without."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from articles import images

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
