"""The desk's queue pages: every article waiting at one step for me, or my own in review,
paged (the dashboard shows the first few of each)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from desk import queues

PER_PAGE = 20
MINE = "mine"


@require_GET
def queue_view(request: HttpRequest, step: str, *, model_admin) -> TemplateResponse:
    """One step's queue for the signed-in person (or ``mine``: my stories in review)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    if step == MINE:
        items, title = queues.mine_in_review(request.user), _("我的送审稿件")
    elif step in queues.STEPS:
        items = queues.waiting_for(request.user)[step]
        title = _("等我处理：%(step)s") % {"step": queues.STEPS[step]}
    else:
        raise Http404
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    if step == MINE:
        for item in page:
            item.holders = queues.holder_names(item.article)
    return TemplateResponse(
        request,
        "admin/articles/article/queue.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "page": page,
            "count": len(items),
            "show_holders": step == MINE,
        },
    )
