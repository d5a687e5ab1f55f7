"""Edits made from a stale page are refused, and the editor is shown what changed meanwhile.

Every save of an article raises its ``edit_version``. The admin form and the workflow
buttons post the version their page was rendered at; ``check_fresh`` reads the row's
version under a row lock held to the end of the transaction that saves, so of two saves
made from the same page exactly one wins and the other is refused, never silently lost.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from desk.diff import compare

if TYPE_CHECKING:
    from articles.models import Article

SHORT = 40  # characters of a changed field shown before and after


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class StaleEdit(Exception):
    """The page was rendered from an older version of the article than the one stored."""

    message: str
    current_version: int
    changes: list[Change] = field(default_factory=list)
    compare_url: str = ""

    def __str__(self) -> str:
        return self.message


def seen_version(value: str | None) -> int | None:
    """The version a posted page says it showed; None when it says nothing usable."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def check_fresh(article: Article, seen: int | None) -> None:
    """Lock the article's row for the rest of the transaction; refuse a stale page.

    A post that names no version (not from a page of ours) is not checked.
    """
    rows = type(article).objects.select_for_update().filter(pk=article.pk)
    current = rows.values_list("edit_version", flat=True).get()
    if seen is None or seen == current:
        return
    changes, compare_url = content_changes(article, seen)
    raise StaleEdit(
        _("你打开页面之后，这篇稿件已被改动（%(last)s，当前状态：%(state)s）。")
        % {"last": last_change(article), "state": article_state(article)},
        current_version=current,
        changes=changes,
        compare_url=compare_url,
    )


def article_state(article: Article) -> str:
    fresh = type(article).objects.select_related("channel__parent").get(pk=article.pk)
    return fresh.state_label()


def last_change(article: Article) -> str:
    """Who last saved or moved the article, and when: 张三 14:05 保存."""
    live = article.live_article
    revision = live.revisions.select_related("created_by").first()
    step = live.transitions.order_by("-at", "-id").first()
    if step and (revision is None or step.at >= revision.created_at):
        who, when, what = step.actor_name, step.at, step.get_action_display()
    elif revision:
        person = revision.created_by
        who = (person.get_full_name() or person.get_username()) if person else "—"
        when, what = revision.created_at, revision.get_reason_display()
    else:
        return _("最近一次改动未留下记录")
    return _("%(who)s 于 %(when)s %(what)s") % {
        "who": who,
        "when": timezone.localtime(when).strftime("%H:%M:%S"),
        "what": what,
    }


def content_changes(article: Article, seen: int) -> tuple[list[Change], str]:
    """The fields changed since version ``seen`` (short before/after) and a link to the
    full comparison, from the revisions stored at each save."""
    history = article.live_article.revisions.filter(
        from_working_copy=article.revision_of_id is not None
    )
    newest = history.first()
    opened = history.filter(content__edit_version__lte=seen).first()
    if newest is None or opened is None or opened.pk == newest.pk:
        return [], ""
    changes = [
        Change(row.label, _short(row.old), _short(row.new))
        for row in compare(opened.content, newest.content)
        if row.changed
    ]
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return changes, f"{url}?a={opened.pk}&b={newest.pk}"


def _short(marked: str) -> str:
    text = html.unescape(strip_tags(marked.replace("<br>", " / ")))
    return Truncator(text).chars(SHORT) or "—"
