"""Background tasks in the admin: failed and stuck ones are easy to find and re-queue."""

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from ops.models import ErrorReport
from ops.queue import stuck_tasks


class AttentionFilter(admin.SimpleListFilter):
    title = _("需要处理")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("failed", _("失败")), ("stuck", _("卡住"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "failed":
            return queryset.filter(status=TaskResultStatus.FAILED)
        if self.value() == "stuck":
            return queryset.filter(stuck_tasks())
        return queryset


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = [
        "task_name",
        "status",
        "attempts",
        "error",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "queue_name",
    ]
    list_filter = [AttentionFilter, "status", "queue_name"]
    actions = ["requeue"]

    @admin.display(description=_("尝试次数"))
    def attempts(self, result: DBTaskResult) -> int:
        return len(result.worker_ids)

    @admin.display(description=_("错误"))
    def error(self, result: DBTaskResult) -> str:
        return result.exception_class_path.rpartition(".")[2] or "—"

    def has_requeue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description=_("重新排队所选的失败或卡住的任务"), permissions=["requeue"])
    def requeue(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(Q(status=TaskResultStatus.FAILED) | stuck_tasks()).update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
        self.message_user(
            request,
            ngettext("%(count)d 个任务已重新排队。", "%(count)d 个任务已重新排队。", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """Errors grouped by kind and place, with counts: read-only, the site writes them."""

    list_display = ["kind", "location", "count", "unsent", "last_seen", "mailed_at"]
    search_fields = ["kind", "location", "message"]
    date_hierarchy = "last_seen"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
