"""The word check on the desk: what the list finds in a saved story, and letting its 禁用
words through (主编 and above, with a reason: audited, and written to the story's history).

The list, the matcher and the rules are proofing's; the article form's live check posts to
``admin:proofing_word_check``.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.transitions import Status
from desk.admin.routes import admin_route
from proofing import check


def urls(model_admin) -> list:
    view = partial(admin_route, model_admin)
    return [view(release_view, "release_words", "<path:object_id>/release-words/")]


def results(article: Article) -> dict:
    """The saved story's findings (with their context), its 禁用 words still to clear, and
    the words already let through, with who did it and why."""
    fields = check.fields_of_article(article)
    found = [finding.as_json(fields[finding.field]) for finding in check.findings(fields)]
    releases = list(article.word_releases.all()) if article.pk else []
    released = {word for release in releases for word in release.words}
    banned = [f["word"] for f in found if f["category"] == "banned"]
    return {
        "findings": found,
        "unreleased": [word for word in dict.fromkeys(banned) if word not in released],
        "releases": releases,
    }


def empty() -> dict:
    """A new story's panel: nothing saved yet to report; the form's live check fills it."""
    return {"findings": [], "unreleased": [], "releases": [], "may_release": False}


def panel_context(request: HttpRequest, article: Article) -> dict:
    """The word check's part of the workflow panel, for this person."""
    found = results(article)
    working = article.status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
    found["may_release"] = bool(
        working and found["unreleased"] and check.may_release(request.user)
    )
    return {"wordcheck": found}


@require_POST
@transaction.atomic
def release_view(request: HttpRequest, object_id: str, *, model_admin):
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    try:
        released = check.release(article, by=request.user, reason=request.POST.get("reason", ""))
    except check.ReleaseRefused as refusal:
        messages.error(request, str(refusal))
    else:
        words = "、".join(released.words)
        summary = _("放行禁用词：%(words)s；理由：%(reason)s") % {
            "words": words,
            "reason": released.reason,
        }
        model_admin.log_change(request, article, summary)
        messages.success(request, _("已放行禁用词：%(words)s。") % {"words": words})
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))
