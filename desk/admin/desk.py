"""The editorial desk inside the admin: transition buttons, history, 审稿单, the schedule.

Views here are thin: they find the article the signed-in person may see, call a model
method, and show what happened. Every rule is in desk/workflow.py.
"""

from collections.abc import Mapping
from datetime import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, Correction
from articles.querysets import sees_every_story
from articles.text import word_count
from articles.transitions import BACKDATE, MOVES, TABLE, Status, chain
from desk import conflicts, queues, reviewsheet, workflow
from desk.admin.queues import queue_view
from desk.admin.routes import admin_route
from desk.admin.slip import slip_context
from desk.admin.wordcheck import results as wordcheck_results
from desk.diff import compare
from exports.csv import csv_response
from photos.photos import images_missing_alt_text

# Publishing a working copy: the note is printed at the end of the live article.
CORRECTION_NOTE = gettext_lazy("更正说明（选填，显示在稿件末尾）")


def urls(model_admin) -> list:
    view = partial(admin_route, model_admin)
    return [
        view(schedule_view, "schedule", "schedule/"),
        view(queue_view, "queue", "queue/<slug:step>/"),
        view(transition_view, "transition", "<path:object_id>/transition/<slug:action>/"),
        view(revisions_view, "revisions", "<path:object_id>/revisions/"),
        view(compare_view, "compare", "<path:object_id>/revisions/compare/"),
        view(restore_view, "restore", "<path:object_id>/revisions/<int:revision_id>/restore/"),
        view(review_record_view, "review_record", "<path:object_id>/review-record/"),
        view(slip_view, "slip", "<path:object_id>/slip/"),
    ]


def _article(model_admin, request: HttpRequest, object_id: str) -> Article:
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def may_read_records(user, article: Article) -> bool:
    """History, versions and the 审稿单 (with its opinions) of a story: for its author, and
    for 编辑 and above; a 通讯员 never reads another's unreviewed versions or opinions."""
    return sees_every_story(user) or workflow.is_author(user, article)


def _records(model_admin, request: HttpRequest, object_id: str) -> Article:
    """The article whose records are asked for, if this person may read them."""
    article = _article(model_admin, request, object_id)
    if not may_read_records(request.user, article):
        raise PermissionDenied
    return article


def _change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def _parse_time(value: str, user=None, note: str = "") -> datetime | None:
    """A datetime-local value in the desk's time zone, or None when empty; a time already
    past is refused with the reason, never moved to now behind the editor's back, unless
    this person may back-date a story and wrote why (desk/workflow.py records it)."""
    if not value:
        return None
    try:
        moment = timezone.make_aware(datetime.fromisoformat(value))
    except (ValueError, OverflowError) as error:
        raise workflow.TransitionError(_("发布时间格式不正确。")) from error
    now = timezone.now()
    may_backdate = user is not None and user.has_perm(BACKDATE)
    if moment > now or (may_backdate and note.strip()):
        return moment
    shown = {"at": _minute(moment)}
    hint = _("如要补录过去的首发时间，请在发布备注中写明原因。") if may_backdate else ""
    if timezone.localdate(moment) < timezone.localdate(now):
        raise workflow.TransitionError(
            _(
                "定时发布时间 %(at)s 是过去的日期，稿件没有发布。请检查年份和日期；"
                "如要立即发布，请把定时时间留空。"
            )
            % shown
            + hint
        )
    raise workflow.TransitionError(
        _(
            "定时发布时间 %(at)s 已经过去，稿件没有发布。请选择以后的时间；"
            "如要立即发布，请把定时时间留空。"
        )
        % shown
        + hint
    )


def _minute(moment: datetime) -> str:
    """A time as the desk reads it: Beijing time, to the minute."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _done(action: str, article: Article) -> str:
    """What the person is told when the step is taken."""
    if action == "publish" and article.is_scheduled():
        return _("已定时，将于 %(at)s 发布。") % {"at": _minute(article.first_published_at)}
    return str(MOVES[action].done)


def run(
    request: HttpRequest, article: Article, action: str, fields: Mapping[str, str] | None = None
) -> Article | None:
    """Take one transition for the signed-in person; report the outcome as a message.

    Its note, kind and time come from ``fields`` (the panel's own form posts them as
    ``note``, ``kind`` and ``at``), by default the POST itself.
    """
    fields = request.POST if fields is None else fields
    note = fields.get("note", "")
    kind = fields.get("kind", Correction.Kind.CORRECTION)
    if action not in MOVES:
        raise Http404
    typed = {
        "note": lambda: note,
        "kind": lambda: kind,
        "at": lambda: _parse_time(fields.get("at", ""), request.user, note),
    }
    try:
        arguments = {name: typed[name]() for name in MOVES[action].takes}
        result = getattr(article, action)(by=request.user, **arguments)
    except workflow.TransitionError as refusal:
        messages.error(request, str(refusal))
        return None
    done = result if isinstance(result, Article) else article
    messages.success(request, _done(action, done))
    return done


def panel_context(request: HttpRequest, article: Article) -> dict:
    """What the workflow panel above the article form shows to this person."""
    user = request.user
    stages = []
    if article.status in (Status.IN_REVIEW, Status.APPROVED):
        for level, stage in enumerate(chain(article), start=1):
            passed = article.status == Status.APPROVED or level < article.review_level
            stages.append(
                {"name": stage.name, "passed": passed, "current": level == article.review_level}
            )
    is_copy = article.revision_of_id is not None
    actions = [
        {
            "name": move.action,
            "label": move.label,
            "note": CORRECTION_NOTE if move.action == "publish" and is_copy else move.note_label,
            "note_required": move.note_required is not None,
            "asks_time": "at" in move.takes and not is_copy,
            "may_backdate": "at" in move.takes and not is_copy and user.has_perm(BACKDATE),
            "asks_kind": "kind" in move.takes and is_copy,
        }
        for move in TABLE
        if workflow.allowed(move.action, article, user)
    ]
    return {
        "workflow": {
            "state": article.state_label(),
            "return_note": article.return_note if article.status == Status.DRAFT else "",
            "hold_reason": article.hold_reason if article.on_hold else "",
            "kill_reason": article.kill_reason if article.status == Status.KILLED else "",
            "blockers": (blockers := _blockers(article)),
            "photos_to_describe": images_missing_alt_text(article) if blockers else [],
            "stages": stages,
            "actions": actions,
            "live": article.revision_of,
            "working_copy": article.working_copies.first()
            if article.status == Status.PUBLISHED
            else None,
            "editable": article.can_be_edited_by(user),
            "is_draft": article.status == Status.DRAFT,
        }
    }


def _blockers(article: Article) -> list[str]:
    """What stops the story going on, shown while it can still be fixed (before publication)."""
    if article.status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        return []
    return workflow.blockers(article)


@require_POST
@transaction.atomic
def transition_view(request: HttpRequest, object_id: str, action: str, *, model_admin):
    article = _article(model_admin, request, object_id)
    try:
        # The button was pressed on a page showing some version: act only on that one.
        conflicts.check_fresh(article, conflicts.seen_version(request.POST.get("edit_version")))
    except conflicts.StaleEdit as stale:
        messages.error(request, _("%(why)s操作没有执行，请核对后再操作。") % {"why": stale})
        return redirect(_change_url(article))
    result = run(request, article, action)
    if result is not None and result.pk is not None:
        return redirect(_change_url(result))
    live = article.live_article if article.revision_of_id else article
    return redirect(_change_url(live) if live.pk else reverse("admin:articles_article_changelist"))


@require_GET
def revisions_view(request: HttpRequest, object_id: str, *, model_admin):
    article = _records(model_admin, request, object_id)
    live = article.live_article
    return TemplateResponse(
        request,
        "admin/articles/article/revisions.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("《%(title)s》的修订历史") % {"title": live.title},
            "article": article,
            "revisions": live.revisions.select_related("created_by"),
        },
    )


@require_GET
def compare_view(request: HttpRequest, object_id: str, *, model_admin):
    article = _records(model_admin, request, object_id)
    revisions = article.live_article.revisions
    older = _revision(revisions, request.GET.get("a", ""))
    newer = _revision(revisions, request.GET.get("b", ""))
    if older.created_at > newer.created_at:
        older, newer = newer, older
    return TemplateResponse(
        request,
        "admin/articles/article/compare.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("版本对比"),
            "article": article,
            "older": older,
            "newer": newer,
            "rows": compare(older.content, newer.content),
        },
    )


def _revision(revisions, number: str):
    """The version of this story numbered ``number`` in the address, or 404 saying so."""
    if not (number.isascii() and number.isdigit()):
        raise Http404(_("没有这个版本：请从修订历史中选择要对比的两个版本。"))
    return get_object_or_404(revisions, pk=number)


@require_POST
def restore_view(request: HttpRequest, object_id: str, revision_id: int, *, model_admin):
    article = _records(model_admin, request, object_id)
    revision = get_object_or_404(article.live_article.revisions, pk=revision_id)
    try:
        target = workflow.restore(article, revision, by=request.user)
    except workflow.TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("admin:articles_article_revisions", args=[article.pk]))
    messages.success(request, _("已把所选版本恢复为草稿，请检查后送审。"))
    return redirect(_change_url(target))


# CSV columns: (key in the JSON export, Chinese header for spreadsheet readers).
RECORD_COLUMNS = [
    ("round", gettext_lazy("轮次")),
    ("level", gettext_lazy("审核级")),
    ("stage", gettext_lazy("审核环节")),
    ("action", gettext_lazy("操作")),
    ("from_status", gettext_lazy("原状态")),
    ("to_status", gettext_lazy("新状态")),
    ("actor_name", gettext_lazy("操作人")),
    ("at", gettext_lazy("时间")),
    ("note", gettext_lazy("意见")),
    ("on_working_copy", gettext_lazy("针对修订稿")),
]


def _record_rows(live: Article) -> list[dict]:
    return [
        {
            "round": step.round,
            "level": step.transition.level,
            "stage": step.stage_name,
            "action": step.transition.get_action_display(),
            "from_status": step.transition.from_status,
            "to_status": step.transition.to_status,
            "actor_name": step.transition.actor_name,
            "at": timezone.localtime(step.transition.at).isoformat(timespec="seconds"),
            "note": step.transition.note,
            "on_working_copy": step.transition.on_working_copy,
        }
        for step in reviewsheet.steps(live)
    ]


def _record_csv(rows: list[dict], filename: str) -> HttpResponse:
    response, writer = csv_response(filename)
    writer.writerow([str(header) for _key, header in RECORD_COLUMNS])
    yes, no = _("是"), _("否")
    statuses = {key: str(label) for key, label in Status.choices}
    for row in rows:
        cells = {
            **row,
            "from_status": statuses.get(row["from_status"], row["from_status"]),
            "to_status": statuses.get(row["to_status"], row["to_status"]),
            "on_working_copy": yes if row["on_working_copy"] else no,
        }
        writer.writerow([cells[key] for key, _header in RECORD_COLUMNS])
    return response


@require_GET
def review_record_view(request: HttpRequest, object_id: str, *, model_admin):
    """审稿单: every step of the review chain, printable, or as CSV or JSON."""
    live = _records(model_admin, request, object_id).live_article
    rows = _record_rows(live)
    authors = reviewsheet.author_line(live)
    characters = word_count(live.body)
    export = request.GET.get("format")
    filename = f"review-record-{live.pk}"
    if export == "json":
        about = {"id": live.pk, "title": live.title, "authors": authors, "characters": characters}
        response = JsonResponse(
            {"article": about, "steps": rows},
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    if export == "csv":
        return _record_csv(rows, filename)
    return TemplateResponse(
        request,
        "admin/articles/article/review_record.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("审稿单"),
            "article": live,
            "authors": authors,
            "characters": characters,
            "steps": reviewsheet.steps(live),
            "wordcheck": wordcheck_results(live),
        },
    )


@require_GET
def slip_view(request: HttpRequest, object_id: str, *, model_admin):
    """稿签: one printable A4 page per article (it carries the opinions: a record)."""
    article = _records(model_admin, request, object_id)
    return TemplateResponse(
        request,
        "admin/articles/article/slip.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("稿签"),
            **slip_context(article),
        },
    )


@require_GET
def schedule_view(request: HttpRequest, *, model_admin):
    """Scheduled and expiring items in time order, and what has waited too long."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    articles = Article.objects.visible_to(request.user).select_related("channel")
    return TemplateResponse(
        request,
        "admin/articles/article/schedule.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("排期"),
            "scheduled": articles.scheduled().order_by("first_published_at"),
            "expiring": articles.expiring().order_by("expire_at"),
            "overdue": queues.overdue(articles),
        },
    )
