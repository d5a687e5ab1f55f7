"""Times as machines read them: whole seconds, in Beijing time with its +08:00 offset.

Every machine-readable time the site writes (``<time datetime>``, feeds, JSON-LD) comes
from here: HTML's ``datetime`` takes at most three digits of a second's fraction, so a
time stored to the microsecond is cut to the second before it is written.
"""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


def to_the_second(moment: datetime) -> datetime:
    """The moment in Beijing (local) time, its fraction of a second dropped."""
    return timezone.localtime(moment).replace(microsecond=0)


@register.filter
def machine_time(moment: datetime | None) -> str:
    """An ISO 8601 time in Beijing time, to the second: the form HTML's datetime takes."""
    return to_the_second(moment).isoformat() if moment else ""
