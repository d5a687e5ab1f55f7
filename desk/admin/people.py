"""Authors and editors in the admin.

Anyone on the desk may add an author (most have no account) and link it to their own
account; linking someone else's account needs ``link_any_account`` (总编辑), since a linked
author may not review the stories credited to them. 编辑 and above keep the 责任编辑 list
(names only); which account an editor record stands for, and the channels it limits that
account's reviews to, need ``assign_desk`` (总编辑).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from articles.models import Author, Editor
from delivery.admin import TouchesPublicPages


def accounts_offered(request: HttpRequest, current_id: int | None, permission: str):
    """Active accounts a person may link a record to: any with ``permission``, else only
    their own (and the one the record is already linked to, which they may keep)."""
    accounts = get_user_model().objects.filter(is_active=True).order_by("username")
    if request.user.has_perm(permission):
        return accounts
    return accounts.filter(Q(pk=request.user.pk) | Q(pk=current_id or 0))


@admin.register(Author)
class AuthorAdmin(TouchesPublicPages):
    list_display = ["name", "role", "outlet", "user"]
    list_filter = ["role", "outlet"]
    search_fields = ["name", "outlet"]

    def get_form(self, request: HttpRequest, obj: Author | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "user" in form.base_fields:
            field = form.base_fields["user"]
            field.queryset = accounts_offered(
                request, obj.user_id if obj else None, "articles.link_any_account"
            )
            if not request.user.has_perm("articles.link_any_account"):
                field.help_text = _(
                    "只能关联你自己的账号，或留空；关联他人的账号请找总编辑。"
                    "关联后，此人不能审核署了这位作者的稿件。"
                )
        return form


@admin.register(Editor)
class EditorAdmin(TouchesPublicPages):
    list_display = ["display_name", "user"]
    search_fields = ["display_name", "user__username"]
    filter_horizontal = ["channels"]

    def get_readonly_fields(self, request: HttpRequest, obj: Editor | None = None) -> list:
        if request.user.has_perm("articles.assign_desk"):
            return []
        return ["user", "channels"]

    def get_form(self, request: HttpRequest, obj: Editor | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "user" in form.base_fields:
            form.base_fields["user"].queryset = accounts_offered(
                request, obj.user_id if obj else None, "articles.assign_desk"
            )
        return form
