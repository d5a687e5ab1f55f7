"""The editorial dashboard on the admin home page, and the inbox link in the admin header."""

from django import template
from django.urls import reverse

from articles.models import Article, Notification
from articles.transitions import CHAINS, Status
from desk import queues

register = template.Library()

# Items shown in a dashboard box; each box says how many there are and links to them all.
LIMIT = 10
QUEUE_STEPS_PERMISSIONS = {
    **{stage.key: stage.permission for stage in CHAINS[3]},
    queues.PUBLISH: queues.PUBLISH_PERMISSION,
}


def queue_box(step: str, items: list[queues.Item]) -> dict:
    """One step's box: the longest waiting first, the count, the newest arrival, the link."""
    newest = items[-1] if items else None
    return {
        "step": step,
        "title": queues.STEPS[step],
        "count": len(items),
        "items": items[:LIMIT],
        "newest": newest if len(items) > LIMIT else None,
        "url": reverse("admin:articles_article_queue", args=[step]),
    }


@register.inclusion_tag("admin/articles/dashboard.html")
def editorial_dashboard(user) -> dict:
    """What waits for me at each step, my stories in review, returned to me, my drafts,
    scheduled and recently published."""
    articles = Article.objects.select_related("channel__parent")
    mine = articles.filter(created_by=user, status=Status.DRAFT).order_by("-updated_at")
    waiting = queues.waiting_for(user)
    in_review = queues.mine_in_review(user)
    for item in in_review[:LIMIT]:
        item.holders = queues.holder_names(item.article)
    return {
        "queues": [
            queue_box(step, items)
            for step, items in waiting.items()
            if items or user.has_perm(QUEUE_STEPS_PERMISSIONS[step])
        ],
        "mine": {
            "count": len(in_review),
            "items": in_review[:LIMIT],
            "url": reverse("admin:articles_article_queue", args=["mine"]),
        },
        "drafts": mine.filter(return_note="")[:LIMIT],
        "returned": mine.exclude(return_note="")[:LIMIT],
        "scheduled": articles.scheduled().order_by("first_published_at")[:LIMIT],
        "recent": articles.published().newest_first()[:LIMIT],
    }


@register.inclusion_tag("admin/articles/inbox_link.html")
def inbox_link(user) -> dict:
    """The inbox link with my unread count (one COUNT query), for desk users."""
    if not (user.is_active and user.is_staff):
        return {"show": False}
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"show": True, "unread": unread}
