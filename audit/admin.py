"""The audit log in the admin: read-only, filterable, exported as CSV."""

from http import HTTPStatus

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Entry, RefusedSignIn
from exports.csv import csv_response as new_csv

COLUMNS = ["sequence", "at", "actor_name", "address", "action", "object_type", "object_id",
           "object_repr", "details", "digest"]  # fmt: skip


def csv_response(entries: QuerySet[Entry], filename: str) -> HttpResponse:
    """Entries as CSV, oldest first, with the digests so a copy can be checked later."""
    response, writer = new_csv(filename)
    writer.writerow(COLUMNS)
    for entry in entries.order_by("sequence"):
        writer.writerow(
            [
                entry.sequence,
                timezone.localtime(entry.at).isoformat(),
                entry.actor_name,
                entry.address or "",
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                entry.details,
                entry.digest,
            ]
        )
    return response


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "actor_name", "address", "action", "object_repr"]
    list_filter = ["action", "at", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"
    actions = ["export_selected"]
    readonly_fields = [field.name for field in Entry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        return False

    def get_urls(self) -> list:
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="audit_entry_export"), *super().get_urls()]

    @admin.action(description=_("导出所选记录（CSV）"), permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Entry]) -> HttpResponse:
        return csv_response(queryset, "audit-selected")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Every entry the list shows with its current filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
            entries = changelist.get_queryset(request)
        except IncorrectLookupParameters:
            context = {
                **self.admin_site.each_context(request),
                "title": _("导出审计日志"),
                "message": _("筛选条件有误（例如日期写错了），无法导出。请回到列表重新筛选。"),
                "back": reverse("admin:audit_entry_changelist"),
            }
            return TemplateResponse(
                request, "admin/bad_request.html", context, status=HTTPStatus.BAD_REQUEST
            )
        return csv_response(entries, "audit")


@admin.register(RefusedSignIn)
class RefusedSignInAdmin(admin.ModelAdmin):
    """Refused sign-ins, counted per account and address: read-only."""

    list_display = ["username", "address", "tries", "locked", "first_at", "last_at"]
    list_filter = ["locked", "last_at"]
    search_fields = ["username", "address"]
    date_hierarchy = "last_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
