"""The desk's queues: what waits at each step, for whom, since when, and what is overdue.

A step is a review stage (初审, 复审, 终审: ``transitions.Stage.key``) or ``publish`` (待发布).
Who may act is always the engine's answer (``workflow.allowed``); this module only sorts
the answers into lists, counts them and dates them. Nothing is capped: a list is as long as
the work waiting, and the pages that show it page through all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from articles import transitions
from articles.models import Article, Transition
from articles.transitions import CHAINS, Status, stage_of
from desk import workflow

PUBLISH = "publish"
PUBLISH_PERMISSION = transitions.PUBLISH
STEPS = {
    **{stage.key: stage.name for stage in CHAINS[3]},
    PUBLISH: gettext_lazy("待发布"),
}
SENIORITY = ("articles.review_first", "articles.review_second", "articles.review_final",
             PUBLISH_PERMISSION)  # fmt: skip


@dataclass
class Item:
    """One article waiting at a step: since when, and whether it is late, new or blocked."""

    article: Article
    step: str
    since: datetime
    overdue: bool = False
    newest: bool = False
    blocked: str = ""

    @property
    def step_name(self) -> str:
        return str(STEPS[self.step])

    @property
    def limit_hours(self) -> str:
        """The step's hours, written without a needless ".0"."""
        return f"{overdue_hours()[self.step]:g}"


# --- Overdue hours --------------------------------------------------------------------------


def overdue_hours() -> dict[str, float]:
    """Hours each step may take, read from NEWSROOM_REVIEW_OVERDUE_HOURS.

    The setting is a number for every step, or "24,初审=12,待发布=4": a number for the steps
    not named, then steps by name (初审, 复审, 终审, 待发布, or first, second, final, publish).
    Raises ValueError naming what it cannot read.
    """
    value = settings.NEWSROOM_REVIEW_OVERDUE_HOURS
    if isinstance(value, int | float):
        return dict.fromkeys(STEPS, float(value))
    names = {str(name): key for key, name in STEPS.items()} | {key: key for key in STEPS}
    default, named = 24.0, {}
    for item in filter(None, (part.strip() for part in str(value).split(","))):
        name, _, hours = item.rpartition("=")
        if name and name.strip() not in names:
            raise ValueError(f"unknown step {name.strip()!r}; use {', '.join(names)}")
        try:
            number = float(hours)
        except ValueError:
            raise ValueError(f"{hours.strip()!r} is not a number of hours") from None
        if number <= 0:
            raise ValueError(f"hours must be more than 0, not {hours.strip()}")
        if name:
            named[names[name.strip()]] = number
        else:
            default = number
    return {key: named.get(key, default) for key in STEPS}


# --- Who may act ----------------------------------------------------------------------------


def step_of(article: Article) -> str | None:
    """The step the article waits at, or None when it waits for nobody."""
    if article.status == Status.IN_REVIEW:
        return stage_of(article).key
    if article.status == Status.APPROVED:
        return PUBLISH
    return None


def refusal(action: str, article: Article, user) -> str:
    """Why the engine refuses the action to this person now ("" when it allows it)."""
    try:
        workflow.CHECKS[action](article, user)
    except workflow.TransitionError as refused:
        return str(refused)
    return ""


def holds(user, article: Article, step: str) -> bool:
    """Whether the article waits for this person: they may act on it at its step.

    A story the publisher may not publish yet (a photo lacks alt text ...) still waits
    for them, with the reason: it must not vanish from every list. A story in review waits
    for those who may approve it, and for those kept from approving only by what the story
    lacks; not for a senior who may only send it back (he is kept for a level above).
    """
    if step == PUBLISH:
        if workflow.allowed("publish", article, user):
            return True
        return (
            user.is_active
            and user.has_perm(PUBLISH_PERMISSION)
            and workflow.in_scope(user, article, PUBLISH_PERMISSION)
        )
    if workflow.allowed("approve", article, user):
        return True
    return workflow.allowed("reject", article, user) and bool(workflow.blockers(article))


def blocked(user, article: Article, step: str) -> str:
    """Why the person holding the article cannot move it on now ("" when they can)."""
    action = "publish" if step == PUBLISH else "approve"
    return refusal(action, article, user)


def actors(article: Article) -> list:
    """Who should act on the article next: those who hold it at its step, most junior first.

    Review at a level goes to the people whose work that level is (a 初审 to 编辑, not to
    主编 and 总编辑 as well); more senior people only when no one junior can act, and
    superusers only when no one else can.
    """
    step = step_of(article)
    if step is None:
        return []
    permission = PUBLISH_PERMISSION if step == PUBLISH else stage_of(article).permission
    backend = "django.contrib.auth.backends.ModelBackend"
    candidates = get_user_model().objects.with_perm(permission, backend=backend)
    able = [u for u in candidates.filter(is_active=True).order_by("pk") if holds(u, article, step)]
    staff = [user for user in able if not user.is_superuser]
    if not staff:
        return able
    rank = {user.pk: sum(user.has_perm(code) for code in SENIORITY) for user in staff}
    lowest = min(rank.values())
    return [user for user in staff if rank[user.pk] == lowest]


def holder_names(article: Article) -> str:
    """The people who should move the article on now, by name."""
    people = actors(article)
    return "、".join(user.get_full_name() or user.get_username() for user in people)


# --- Lists ----------------------------------------------------------------------------------


def waiting_since(articles: list[Article]) -> dict[int, datetime]:
    """When each article reached the step it waits at: its latest review step, in one query."""
    live_ids = {article.revision_of_id or article.pk for article in articles}
    latest = (
        Transition.objects.filter(article_id__in=live_ids)
        .values("article_id", "on_working_copy")
        .annotate(last=Max("at"))
    )
    found = {(row["article_id"], row["on_working_copy"]): row["last"] for row in latest}
    return {
        article.pk: found.get(
            (article.revision_of_id or article.pk, article.revision_of_id is not None),
            article.updated_at,
        )
        for article in articles
    }


def _flag(items: list[Item]) -> list[Item]:
    """Oldest first; overdue ones marked, and the one that arrived last marked new."""
    now, hours = timezone.now(), overdue_hours()
    items.sort(key=lambda item: (item.since, item.article.pk))
    for item in items:
        item.overdue = now - item.since > timedelta(hours=hours[item.step])
    if items:
        items[-1].newest = True
    return items


def waiting_for(user) -> dict[str, list[Item]]:
    """Every article waiting for this person, by step (all steps present, maybe empty)."""
    rows = list(
        Article.objects.filter(status__in=[Status.IN_REVIEW, Status.APPROVED])
        .select_related("channel__parent", "revision_of")
        .order_by("pk")
    )
    since = waiting_since(rows)
    queues: dict[str, list[Item]] = {step: [] for step in STEPS}
    for article in rows:
        step = step_of(article)
        if holds(user, article, step):
            reason = blocked(user, article, step)
            queues[step].append(Item(article, step, since[article.pk], blocked=reason))
    return {step: _flag(items) for step, items in queues.items()}


def mine_in_review(user) -> list[Item]:
    """The person's own stories on their way to publication: where each is, since when."""
    own = (
        Q(created_by=user)
        | Q(revision_of__created_by=user)
        | Q(credits__author__user=user)
        | Q(revision_of__credits__author__user=user)
    )
    rows = list(
        Article.objects.filter(own, status__in=[Status.IN_REVIEW, Status.APPROVED])
        .select_related("channel__parent", "revision_of")
        .distinct()
        .order_by("pk")
    )
    since = waiting_since(rows)
    return _flag([Item(article, step_of(article), since[article.pk]) for article in rows])


def overdue(articles) -> list[Item]:
    """Articles of ``articles`` that have waited at their step longer than its hours allow,
    longest waiting first (whoever holds them)."""
    rows = list(
        articles.filter(status__in=[Status.IN_REVIEW, Status.APPROVED]).select_related(
            "channel__parent"
        )
    )
    since = waiting_since(rows)
    items = _flag([Item(article, step_of(article), since[article.pk]) for article in rows])
    return [item for item in items if item.overdue]
