"""Admin pages whose changes show on public pages make the cached copies stale."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.formfields import RefusesInvisibleCharacters
from delivery import freshness


class TouchesPublicPages(RefusesInvisibleCharacters, admin.ModelAdmin):
    """Saving or deleting an object touches the freshness topics it shows under."""

    def topics_for(self, obj) -> set[str]:
        """Everything a change to ``obj`` shows on: by default, every page ("site")."""
        return {"site"}

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        before = self.topics_for(obj) if change else set()
        super().save_model(request, obj, form, change)
        freshness.touch(*before, *self.topics_for(obj))

    def delete_model(self, request: HttpRequest, obj) -> None:
        topics = self.topics_for(obj)
        super().delete_model(request, obj)
        freshness.touch(*topics)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        topics = set().union(*(self.topics_for(obj) for obj in queryset))
        super().delete_queryset(request, queryset)
        freshness.touch(*topics)
