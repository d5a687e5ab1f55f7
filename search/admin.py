"""The synonym list (同义词) in the admin: kept by 主编 and 总编辑, applied to every search."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.formfields import RefusesInvisibleCharacters
from delivery import freshness
from search import vocabulary
from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(RefusesInvisibleCharacters, admin.ModelAdmin):
    list_display = ["terms", "note", "changed_at"]
    search_fields = ["terms", "note"]
    fields = ["terms", "note"]

    def save_model(self, request: HttpRequest, obj: Synonym, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        applied_from_now()

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        super().delete_model(request, obj)
        applied_from_now()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        applied_from_now()


def applied_from_now() -> None:
    """Every process applies the list from its next search; stored result pages go."""
    vocabulary.changed()
    freshness.touch("search")
