"""The story as readers will see it, from its admin page: framed at phone or full width,
and shared with reviewers through signed links (desk/preview.py) shown with a QR code.

Whoever may open a story in the admin may preview it, share it and revoke its links.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, PreviewLink
from desk import preview
from desk.admin.routes import admin_route
from desk.views import unlisted
from website.site import absolute_url
from website.views.article import preview_context


def urls(model_admin) -> list:
    view = partial(admin_route, model_admin)
    return [
        view(preview_view, "preview", "<path:object_id>/preview/"),
        view(frame_view, "preview_frame", "<path:object_id>/preview/page/"),
        view(share_view, "preview_share", "<path:object_id>/preview/share/"),
        view(revoke_view, "preview_revoke", "<path:object_id>/preview/<int:link_id>/revoke/"),
    ]


def _article(model_admin, request: HttpRequest, object_id: str) -> Article:
    """The story, if this person may open it in the admin (desk/reviewers.py, visible_to)."""
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def _preview_url(article: Article) -> str:
    return reverse("admin:articles_article_preview", args=[article.pk])


@dataclass(frozen=True)
class SharedLink:
    """A link as its story's preview page lists it."""

    link: PreviewLink
    url: str
    state: str
    working: bool
    qr: dict | None


def _listed(request: HttpRequest, article: Article) -> list[SharedLink]:
    latest = preview.latest_revision(article)
    listed = []
    for link in article.preview_links.select_related("created_by", "revoked_by", "article"):
        working = False
        if link.is_revoked():
            state = _("已收回")
        elif link.has_expired():
            state = _("已过期")
        elif link.revision != latest:
            state = _("稿件已修改，链接已失效")
        else:
            state, working = _("有效"), True
        url = absolute_url(request, preview.path(link))
        qr = preview.qr_code(url) if working else None
        listed.append(SharedLink(link, url, state, working, qr))
    return listed


@require_GET
def preview_view(request: HttpRequest, object_id: str, *, model_admin) -> HttpResponse:
    """The preview framed at phone width (375 px) or full width, and the story's links."""
    article = _article(model_admin, request, object_id)
    return TemplateResponse(
        request,
        "admin/articles/article/preview.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("预览《%(title)s》") % {"title": article.title},
            "article": article,
            "state": article.state_label(),
            "frame_url": reverse("admin:articles_article_preview_frame", args=[article.pk]),
            "links": _listed(request, article),
        },
    )


@require_GET
@xframe_options_sameorigin
@unlisted
def frame_view(request: HttpRequest, object_id: str, *, model_admin) -> HttpResponse:
    """The article page as readers will get it, with the 预览 band, in any state."""
    found = _article(model_admin, request, object_id)
    article = Article.objects.for_page().select_related("revision_of").get(pk=found.pk)
    context = preview_context(request, article, absolute_url(request, request.path))
    band = {"state": article.state_label(), "shared": False}
    return TemplateResponse(request, "articles/preview.html", context | {"preview": band})


@require_POST
def share_view(request: HttpRequest, object_id: str, *, model_admin) -> HttpResponse:
    article = _article(model_admin, request, object_id)
    link = preview.share(article, by=request.user)
    until = date_format(timezone.localtime(link.expires_at), "Y-m-d H:i")
    messages.success(request, _("已生成预览链接，有效至 %(until)s。") % {"until": until})
    return redirect(_preview_url(article))


@require_POST
def revoke_view(
    request: HttpRequest, object_id: str, link_id: int, *, model_admin
) -> HttpResponse:
    article = _article(model_admin, request, object_id)
    link = get_object_or_404(article.preview_links.select_related("article"), pk=link_id)
    if preview.revoke(link, by=request.user):
        messages.success(request, _("预览链接已收回，打开它的人将看到“链接已被收回”。"))
    else:
        messages.info(request, _("这个预览链接早已收回。"))
    return redirect(_preview_url(article))
