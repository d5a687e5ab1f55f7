"""The article form's autosave endpoint and the banner's 丢弃 button.

Whoever may edit the article (or add one) may autosave it; each person reads and writes
only their own record, so nobody sees another's unsaved text. The rules for what is kept
are in desk/autosave.py.
"""

from functools import partial
from http import HTTPStatus

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article, Autosave
from desk import autosave
from desk.admin.routes import admin_route


class NotYours(Exception):
    """The signed-in person may not edit this article (or add one)."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def urls(model_admin) -> list:
    view = partial(admin_route, model_admin)
    return [
        view(autosave_view, "autosave_new", "autosave/"),
        view(discard_view, "autosave_discard_new", "autosave/discard/"),
        view(autosave_view, "autosave", "<path:object_id>/autosave/"),
        view(discard_view, "autosave_discard", "<path:object_id>/autosave/discard/"),
    ]


def form_url(article: Article | None) -> str:
    if article is None:
        return reverse("admin:articles_article_add")
    return reverse("admin:articles_article_change", args=[article.pk])


def _editable(model_admin, request: HttpRequest, object_id: str | None) -> Article | None:
    """The article this person may edit (``None``: a new one they may add), or ``NotYours``."""
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise NotYours(HTTPStatus.FORBIDDEN, _("你没有新建稿件的权限。"))
        return None
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise NotYours(HTTPStatus.NOT_FOUND, _("找不到这篇稿件。"))
    if not model_admin.has_change_permission(request, article):
        raise NotYours(HTTPStatus.FORBIDDEN, _("你现在不能修改这篇稿件，所以不能自动保存它。"))
    return article


def _described(record: Autosave) -> dict:
    saved_at = timezone.localtime(record.saved_at)
    return {
        "saved_at": saved_at.isoformat(timespec="seconds"),
        "base_version": record.base_version,
        "message": _("已自动保存（%(time)s）") % {"time": saved_at.strftime("%H:%M:%S")},
    }


@require_http_methods(["GET", "POST"])
def autosave_view(
    request: HttpRequest, object_id: str | None = None, *, model_admin
) -> JsonResponse:
    """GET: my autosave of the form, if any. POST (JSON ``{"fields", "edit_version"}``):
    replace it with what the form holds now."""
    try:
        article = _editable(model_admin, request, object_id)
    except NotYours as refusal:
        return JsonResponse({"error": str(refusal)}, status=refusal.status)
    if request.method == "GET":
        record = autosave.find(article, request.user)
        if record is None:
            return JsonResponse({"error": _("没有自动保存的内容。")}, status=HTTPStatus.NOT_FOUND)
        return JsonResponse(_described(record) | {"fields": record.fields})
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        if declared.isdigit():
            autosave.refuse_size(int(declared))  # before reading a body that is too large
        fields, version = autosave.parse(request.body)
    except autosave.Refused as refusal:
        status = (
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE if refusal.too_large else HTTPStatus.BAD_REQUEST
        )
        return JsonResponse({"error": str(refusal)}, status=status)
    record = autosave.store(article, request.user, fields, version)
    return JsonResponse(_described(record))


@require_POST
def discard_view(
    request: HttpRequest, object_id: str | None = None, *, model_admin
) -> HttpResponse:
    """The banner's 丢弃: forget my autosave of the form and show the saved article."""
    try:
        article = _editable(model_admin, request, object_id)
    except NotYours as refusal:
        return HttpResponse(str(refusal), status=refusal.status, content_type="text/plain")
    autosave.discard(article, request.user)
    messages.success(request, _("已丢弃自动保存的内容。"))
    return redirect(form_url(article))
