"""The 数据 page in the admin: charts (server-drawn SVG) with their numbers as tables, and
the same tables as CSV and Excel. Each person sees the figures of their scope
(audience/scope.py)."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from audience.figures import Table
from audience.models import HourlyReads
from audience.page import DAY_CHOICES, tables
from exports.csv import csv_response, spreadsheet_text

if TYPE_CHECKING:
    from openpyxl import Workbook

# Each table's chart, by the table's name. The chart and workbook libraries are imported
# where they are used: only this admin page needs them, and every worker would otherwise
# keep them in memory (docs/performance.md, worker memory).
DRAWN = {
    "reads": lambda table: charts().reads_per_day(table),
    "top": lambda table: charts().bars(table, 1, 3, horizontal=True),
    "story": lambda table: charts().bars(table, 0, 2),
    "workload": lambda table: charts().bars(table, 1, 3),
    "turnaround": lambda table: charts().turnaround(table),
}


def charts():
    from audience import charts

    return charts


@admin.register(HourlyReads)
class FiguresAdmin(admin.ModelAdmin):
    """数据: open to everyone on the desk; nothing here is edited."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("articles.view_article")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("chart/<str:name>.svg", wrap(self.chart_view), name="audience_chart"),
            path("export.csv", wrap(self.csv_view), name="audience_export_csv"),
            path("export.xlsx", wrap(self.excel_view), name="audience_export_xlsx"),
            *super().get_urls(),
        ]

    def allowed(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def changelist_view(self, request: HttpRequest, extra_context=None) -> TemplateResponse:
        self.allowed(request)
        chosen, found = tables(request)
        query = request.GET.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("数据"),
            "opts": self.model._meta,
            "chosen": chosen,
            "day_choices": DAY_CHOICES,
            "tables": [
                (name, table, reverse("admin:audience_chart", args=[name]) + f"?{query}")
                for name, table in found.items()
            ],
            "query": query,
        }
        return TemplateResponse(request, "admin/audience/figures.html", context)

    def chart_view(self, request: HttpRequest, name: str) -> HttpResponse:
        return _chart(request, name, self)

    def csv_view(self, request: HttpRequest) -> HttpResponse:
        self.allowed(request)
        return _csv(request)

    def excel_view(self, request: HttpRequest) -> HttpResponse:
        self.allowed(request)
        return _excel(request)


@require_GET
def _chart(request: HttpRequest, name: str, model_admin: FiguresAdmin) -> HttpResponse:
    model_admin.allowed(request)
    _chosen, found = tables(request)
    if name not in found:
        raise Http404
    response = HttpResponse(DRAWN[name](found[name]), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def _csv(request: HttpRequest) -> HttpResponse:
    _chosen, found = tables(request)
    table = found.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    response, writer = csv_response(table.name)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return response


@require_GET
def _excel(request: HttpRequest) -> HttpResponse:
    _chosen, found = tables(request)
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in found.values():
        sheet_for(book, table)
    out = BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="figures.xlsx"'
    return response


def sheet_for(book: Workbook, table: Table) -> None:
    """One sheet per table; text cells pass through the formula guard of exports.csv."""
    sheet = book.create_sheet(table.name)
    sheet.append([spreadsheet_text(cell) for cell in table.headers])
    for row in table.rows:
        sheet.append([spreadsheet_text(cell) for cell in row])
