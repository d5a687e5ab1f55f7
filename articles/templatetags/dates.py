"""Times as machines read them."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(moment: datetime | None) -> str:
    """An ISO 8601 time in Beijing time, to the second: the form HTML's datetime takes."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""
