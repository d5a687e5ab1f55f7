"""The redirect table in the admin: listed, edited one by one, loaded from CSV."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importer import redirects
from importer.models import ImportedPage, Redirect

MAX_CSV_BYTES = 5 * 1024 * 1024


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "article", "target"]

    def clean_old_path(self) -> str:
        old = self.cleaned_data["old_path"].strip()
        if not old.startswith("/") and "://" not in old:
            raise ValidationError(_("旧网址必须以 / 开头或是完整网址。"))
        return redirects.normalise(old)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("article") and not (cleaned.get("target") or "").strip():
            raise ValidationError(_("请选择稿件，或填写目标网址。"))
        return cleaned


class LoadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV 文件"),
        help_text=gettext_lazy(
            "UTF-8 编码，两列：旧网址（如 /news.php?id=123）、目标（稿件编号、以 / 开头的路径或"
            "完整网址）；第一行可以是表头。已有的旧网址按文件更新。"
        ),
    )


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "article", "target", "created_at"]
    search_fields = ["old_path", "target", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]

    def get_urls(self) -> list:
        load = self.admin_site.admin_view(self.load_view)
        return [path("load/", load, name="importer_redirect_load"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {"may_load": self.has_add_permission(request)}
        return super().changelist_view(request, extra | (extra_context or {}))

    def load_view(self, request: HttpRequest) -> HttpResponse:
        """Load a CSV file: every row, or none (the first bad row is named)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = LoadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_CSV_BYTES:
                    raise ValidationError(_("文件太大：跳转表不能超过 5 MB。"))
                loaded = redirects.load_csv(upload.read())
            except (ValidationError, UnicodeDecodeError) as error:
                problems = getattr(error, "messages", [_("文件不是 UTF-8 或 GB18030 编码。")])
            else:
                messages.success(
                    request,
                    _("已导入：新增 %(created)d 条跳转，更新 %(updated)d 条。")
                    % {"created": loaded.created, "updated": loaded.updated},
                )
                return redirect(reverse("admin:importer_redirect_changelist"))
        return TemplateResponse(
            request,
            "admin/importer/redirect/load.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("导入旧网址跳转表"),
                "form": form,
                "problems": problems,
            },
        )


@admin.register(ImportedPage)
class ImportedPageAdmin(admin.ModelAdmin):
    list_display = ["article", "old_url", "imported_at", "updated_at"]
    search_fields = ["old_url", "article__title"]
    list_select_related = ["article"]
    readonly_fields = ["article", "old_url", "digest", "imported_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
