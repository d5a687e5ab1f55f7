"""The desk's figures, as tables: each the numbers of one chart on the 数据 page, and one
sheet of its exports. Every number is read from the database here."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Channel, Transition
from articles.text import word_count
from audience.models import HourlyReads
from audience.scope import Scope

DECISIONS = [Transition.Action.APPROVE, Transition.Action.REJECT, Transition.Action.RETURN]
PHOTO = re.compile(r"<figure[^>]*\bdata-photo=")
VIDEO = re.compile(r"<figure[^>]*\bdata-video=")


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def reads_per_day(scope: Scope, days: int) -> Table:
    """Reads per day (Beijing) per channel over the last ``days`` days."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        scope.reads(HourlyReads.objects.filter(hour__gte=start))
        .values("hour", "channel")
        .annotate(total=Sum("reads"))
    )
    by_day: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by_day[timezone.localdate(row["hour"])][row["channel"]] += row["total"]
    used = sorted({channel for counts in by_day.values() for channel in counts})
    names = dict(Channel.objects.filter(pk__in=used).values_list("pk", "name"))
    table = Table(
        f"reads_{days}",
        _("每日阅读量（近 %(days)s 天，按栏目）") % {"days": days},
        [_("日期"), *[names[pk] for pk in used], _("合计")],
    )
    for offset in range(days):
        day = first + timedelta(days=offset)
        counts = [by_day[day][pk] if day in by_day else 0 for pk in used]
        table.rows.append([day.isoformat(), *counts, sum(counts)])
    return table


def top_stories(scope: Scope, days: int = 7, size: int = 20) -> Table:
    """The most-read stories over the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        scope.reads(HourlyReads.objects.since(since))
        .values("article", "article__title", "channel__name")
        .annotate(total=Sum("reads"))
        .order_by("-total", "article")[:size]
    )
    table = Table(
        "top_stories",
        _("阅读排行（近 %(days)s 天）") % {"days": days},
        [_("编号"), _("标题"), _("栏目"), _("阅读量")],
    )
    table.rows = [
        [row["article"], row["article__title"], row["channel__name"], row["total"]] for row in rows
    ]
    return table


def story_by_hour(scope: Scope, story: Article) -> Table:
    """One story's reads by hour since its first publication."""
    rows = scope.reads(HourlyReads.objects.filter(article=story)).order_by("hour")
    published = story.first_published_at or story.created_at
    start = published.replace(minute=0, second=0, microsecond=0)
    table = Table(
        "story_hours",
        _("《%(title)s》发布后每小时阅读量") % {"title": story.title},
        [_("发布后第几小时"), _("时间"), _("阅读量")],
    )
    for row in rows:
        offset = int((row.hour - start).total_seconds() // 3600)
        moment = timezone.localtime(row.hour).strftime("%Y-%m-%d %H:00")
        table.rows.append([offset, moment, row.reads])
    return table


def workload(scope: Scope, month: date) -> Table:
    """工作量统计: stories first published in the month, with their 字数, photos and videos,
    per reporter (credited author) and per 编辑 (责任编辑), by channel."""
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = timezone.make_aware(datetime(following.year, following.month, 1))
    stories = (
        scope.articles(Article.objects.filter(revision_of=None))
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .select_related("channel", "editor")
        .prefetch_related("credits__author")
        .annotate(gallery=Count("gallery_items"))
        .order_by("pk")
    )
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for story in stories:
        counts = [
            1,
            word_count(story.body_html),
            len(PHOTO.findall(story.body)) + story.gallery,
            len(VIDEO.findall(story.body)),
        ]
        people = [(_("记者"), credit.author.name) for credit in story.credits.all()]
        if story.editor is not None:
            people.append((_("编辑"), story.editor.display_name))
        for role, name in people:
            line = totals[(role, name, story.channel.name)]
            for index, value in enumerate(counts):
                line[index] += value
    table = Table(
        "workload",
        _("工作量统计（%(month)s）") % {"month": month.strftime("%Y-%m")},
        [_("角色"), _("姓名"), _("栏目"), _("稿件"), _("字数"), _("图片"), _("视频")],
    )
    table.rows = [[*key, *values] for key, values in sorted(totals.items())]
    return table


def turnaround(scope: Scope, days: int = 90) -> Table:
    """Hours from 送审 to each decision, per review level: median and 90th percentile."""
    since = timezone.now() - timedelta(days=days)
    steps = (
        Transition.objects.filter(article__in=scope.articles().values("pk"), at__gte=since)
        .filter(action__in=[Transition.Action.SUBMIT, *DECISIONS])
        .order_by("article", "at", "pk")
        .values_list("article", "round", "action", "level", "at")
    )
    submitted: dict[tuple[int, int], datetime] = {}
    hours: dict[int, list[float]] = defaultdict(list)
    for article, round_, action, level, at in steps:
        if action == Transition.Action.SUBMIT:
            submitted[(article, round_)] = at
        elif (article, round_) in submitted:
            hours[level].append((at - submitted[(article, round_)]).total_seconds() / 3600)
    table = Table(
        "turnaround",
        _("审核用时（近 %(days)s 天，送审到各级决定，小时）") % {"days": days},
        [_("审核级"), _("决定数"), _("中位数"), _("第 90 百分位")],
    )
    for level in sorted(hours):
        values = sorted(hours[level])
        table.rows.append([level, len(values), round(statistics.median(values), 1),
                           round(percentile(values, 0.9), 1)])  # fmt: skip
    return table


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie (nearest rank)."""
    rank = max(1, -(-len(values) * share // 1))
    return values[int(rank) - 1]
