"""The editorial dashboard on the admin home page."""

from django import template
from django.db.models import QuerySet

from articles import workflow
from articles.models import Article

register = template.Library()

LIMIT = 10


def awaiting(user, action: str, candidates: QuerySet[Article]) -> list[Article]:
    """Articles in ``candidates`` on which ``user`` may take ``action`` now."""
    return [a for a in candidates[: LIMIT * 3] if workflow.allowed(action, a, user)][:LIMIT]


@register.inclusion_tag("admin/articles/dashboard.html")
def editorial_dashboard(user) -> dict:
    """My drafts, returned to me, waiting for my review, scheduled, recently published."""
    articles = Article.objects.select_related("channel__parent")
    mine = articles.filter(created_by=user, status=workflow.DRAFT).order_by("-updated_at")
    in_review = articles.filter(status=workflow.IN_REVIEW).exclude(created_by=user)
    return {
        "drafts": mine.filter(return_note="")[:LIMIT],
        "returned": mine.exclude(return_note="")[:LIMIT],
        "to_review": awaiting(user, "approve", in_review.order_by("updated_at")),
        "to_publish": awaiting(
            user, "publish", articles.filter(status=workflow.APPROVED).order_by("updated_at")
        ),
        "scheduled": articles.scheduled().order_by("first_published_at")[:LIMIT],
        "recent": articles.published().newest_first()[:LIMIT],
    }
