"""Authors and editors in the admin."""

from django.contrib import admin

from articles.admin.freshness import TouchesPublicPages
from articles.models import Author, Editor


@admin.register(Author)
class AuthorAdmin(TouchesPublicPages):
    list_display = ["name", "role", "outlet", "user"]
    list_filter = ["role", "outlet"]
    search_fields = ["name", "outlet"]
    autocomplete_fields = ["user"]


@admin.register(Editor)
class EditorAdmin(TouchesPublicPages):
    list_display = ["display_name", "user"]
    search_fields = ["display_name", "user__username"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["channels"]
