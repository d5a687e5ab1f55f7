"""What the 数据 page shows for a request: the tables in the person's scope, from the
page's choices (30 or 90 days, a month, one story)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article
from audience import figures
from audience.figures import Table
from audience.scope import Scope, scope_for

DAY_CHOICES = (30, 90)


@dataclass
class Choices:
    days: int
    month: date
    story: Article | None


def choices(request: HttpRequest, scope: Scope) -> Choices:
    """The page's choices, each falling back to its default when missing or unreadable."""
    days = int(request.GET.get("days", "30")) if request.GET.get("days") in ("30", "90") else 30
    month = timezone.localdate().replace(day=1)
    with contextlib.suppress(ValueError):
        month = date.fromisoformat(request.GET.get("month", "") + "-01")
    story = None
    if request.GET.get("story", "").isdigit():
        story = scope.articles().filter(pk=int(request.GET["story"])).first()
    return Choices(days, month, story)


def tables(request: HttpRequest) -> tuple[Choices, dict[str, Table]]:
    """Every table of the page, by name, in the person's scope."""
    scope = scope_for(request.user)
    chosen = choices(request, scope)
    found = {
        "reads": figures.reads_per_day(scope, chosen.days),
        "top": figures.top_stories(scope),
        "workload": figures.workload(scope, chosen.month),
        "turnaround": figures.turnaround(scope),
    }
    if chosen.story is None and found["top"].rows:
        chosen.story = scope.articles().filter(pk=found["top"].rows[0][0]).first()
    if chosen.story is not None:
        found["story"] = figures.story_by_hour(scope, chosen.story)
    return chosen, found
