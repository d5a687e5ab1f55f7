"""The desk inbox: each person sees their own notifications, opens them, marks them read."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from articles.models import Notification


class ReadFilter(admin.SimpleListFilter):
    title = gettext_lazy("状态")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("no", gettext_lazy("未读")), ("yes", gettext_lazy("已读"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Everyone on the desk has an inbox; nobody sees another's, nobody edits one."""

    list_display = ["message", "kind", "created_at", "read_state"]
    list_filter = [ReadFilter, "kind"]
    list_per_page = 30
    list_display_links = None
    change_list_template = "admin/articles/notification/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Notification.objects.for_user(request.user).select_related("article")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        own = obj is None or obj.user_id == request.user.pk
        return self.has_module_permission(request) and own

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("内容"))
    def message(self, notification: Notification) -> str:
        template = "<strong>{}</strong>" if notification.read_at is None else "{}"
        return format_html(
            '<a href="{}">' + template + "</a>", notification.get_absolute_url(), notification.text
        )

    @admin.display(description=gettext_lazy("已读"), boolean=True)
    def read_state(self, notification: Notification) -> bool:
        return notification.read_at is not None

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/open/", wrap(self.open_view), name="articles_notification_open"),
            path("read-all/", wrap(self.read_all_view), name="articles_notification_read_all"),
            *super().get_urls(),
        ]

    @staticmethod
    def _inbox() -> str:
        return reverse("admin:articles_notification_changelist")

    def open_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        """Mark one of my notifications read and go to its article."""
        return _open(request, pk)

    def read_all_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """Mark every unread notification of mine read."""
        return _read_all(request, self._inbox())


@require_GET
def _open(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(reverse("admin:articles_article_change", args=[notification.article_id]))


@require_POST
def _read_all(request: HttpRequest, inbox: str) -> HttpResponseRedirect:
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(
        request,
        ngettext("%(count)d 条通知已标为已读。", "%(count)d 条通知已标为已读。", count)
        % {"count": count},
    )
    return redirect(inbox)
