"""The story page's list of remote images not yet in the library, and its retry button."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from desk import remote_images
from desk.admin.routes import admin_route


def urls(model_admin) -> list:
    view = partial(admin_route, model_admin)
    return [view(retry_view, "remote_images_retry", "<path:object_id>/remote-images/retry/")]


@require_POST
@transaction.atomic
def retry_view(request: HttpRequest, object_id: str, *, model_admin) -> HttpResponseRedirect:
    """Try the story's remote images again: for whoever may edit the story now."""
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    queued = remote_images.retry(article, by=request.user)
    if queued:
        text = ngettext(
            "已安排重新获取 %(count)d 张外链图片。",
            "已安排重新获取 %(count)d 张外链图片。",
            len(queued),
        )
        messages.success(request, text % {"count": len(queued)})
    else:
        messages.info(request, _("正文中已经没有外链图片。"))
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))
