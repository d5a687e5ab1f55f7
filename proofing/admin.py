"""The word list in the admin: kept by 主编 and 总编辑, read by the whole desk; CSV in and
out; and the check the article form calls while the story is typed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles.formfields import RefusesInvisibleCharacters
from exports.csv import csv_response
from proofing import check, wordlist
from proofing.models import Word

# The largest CSV file the import reads.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class WordForm(forms.ModelForm):
    class Meta:
        model = Word
        fields = ["text", "category", "correction", "note"]

    def clean(self) -> dict:
        cleaned = super().clean()
        text = (cleaned.get("text") or "").strip()
        correction = (cleaned.get("correction") or "").strip()
        problem = wordlist.problem_with(text, cleaned.get("category", ""), correction)
        if text and problem:
            raise forms.ValidationError(problem)
        cleaned["text"], cleaned["correction"] = text, correction
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV 文件"),
        help_text=gettext_lazy(
            "UTF-8 编码，列依次为：词语、类别（禁用/慎用/错别字）、正确写法、说明；"
            "第一行可以是表头。已有的词语按文件更新。"
        ),
    )


@admin.register(Word)
class WordAdmin(RefusesInvisibleCharacters, admin.ModelAdmin):
    form = WordForm
    list_display = ["text", "category", "correction", "note", "added_by", "added_at"]
    list_filter = ["category"]
    search_fields = ["text", "correction", "note"]
    list_select_related = ["added_by"]
    readonly_fields = ["added_by", "added_at"]
    fields = ["text", "category", "correction", "note", "added_by", "added_at"]

    def get_urls(self) -> list:
        def route(view, name: str, suffix: str):
            wrapped = self.admin_site.admin_view(view)
            return path(suffix, wrapped, name=f"proofing_word_{name}")

        return [
            route(self.import_view, "import", "import/"),
            route(self.export_view, "export", "export/"),
            route(check_view, "check", "check/"),
            *super().get_urls(),
        ]

    def save_model(self, request: HttpRequest, obj: Word, form, change: bool) -> None:
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        wordlist.changed()

    def delete_model(self, request: HttpRequest, obj: Word) -> None:
        super().delete_model(request, obj)
        wordlist.changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Word]) -> None:
        super().delete_queryset(request, queryset)
        wordlist.changed()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {"may_import": self.has_add_permission(request)}
        return super().changelist_view(request, extra | (extra_context or {}))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Read a CSV file: every line is added, or none (each bad line is named)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_IMPORT_BYTES:
                    raise wordlist.RefusedFile([_("文件太大：词表文件不能超过 2 MB。")])
                rows = wordlist.read_csv(upload.read())
            except wordlist.RefusedFile as refused:
                problems = refused.messages
            else:
                added, updated = wordlist.import_rows(rows, by=request.user)
                messages.success(
                    request,
                    _("已导入：新增 %(added)d 个词，更新 %(updated)d 个词。")
                    % {"added": added, "updated": updated},
                )
                return redirect(reverse("admin:proofing_word_changelist"))
        return TemplateResponse(
            request,
            "admin/proofing/word/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("导入校对词表"),
                "form": form,
                "problems": problems,
            },
        )

    @transaction.atomic
    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The whole list as CSV, as the import reads it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stamp = timezone.localtime().strftime("%Y%m%d")
        response, _writer = csv_response(f"wordlist-{stamp}")
        wordlist.write_csv(response, Word.objects.select_related("added_by"))
        return response


@require_POST
def check_view(request: HttpRequest) -> JsonResponse:
    """The article form's fields as typed, checked against the list (JSON)."""
    if not request.user.has_perm("articles.add_article") and not request.user.has_perm(
        "articles.change_article"
    ):
        raise PermissionDenied
    return JsonResponse(check.report(check.fields_of_form(request.POST)))
