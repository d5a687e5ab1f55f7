"""The photo library in the admin."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "caption", "credit", "size", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "size", "uploaded_by", "uploaded_at"]
    fields = ["file", "preview", "caption", "credit", "alt_text", "size", "uploaded_by"]

    @admin.display(description=_("预览"))
    def preview(self, image: Image) -> str:
        if not image.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:160px;height:auto">',
            image.file.url,
            image.alt_text,
        )

    @admin.display(description=_("尺寸"))
    def size(self, image: Image) -> str:
        return f"{image.width} × {image.height}" if image.width else "—"

    def save_model(self, request: HttpRequest, obj: Image, form, change: bool) -> None:
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
