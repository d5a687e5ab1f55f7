"""Placements (编排) and special topics in the admin: arrangement, not content."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from articles.models import Placement, Topic, TopicEntry, TopicSection
from delivery import freshness
from delivery.admin import TouchesPublicPages


@admin.register(Placement)
class PlacementAdmin(TouchesPublicPages):
    list_display = ["article", "slot", "position", "starts_at", "ends_at", "active", "created_by"]
    list_display_links = ["article"]
    list_editable = ["position", "starts_at", "ends_at"]
    list_filter = ["slot"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    fields = ["slot", "article", "position", "starts_at", "ends_at"]

    def topics_for(self, placement: Placement) -> set[str]:
        article = placement.article
        return {"home", f"section:{article.section_id}", f"channel:{article.channel_id}"}

    @admin.display(description=_("生效中"), boolean=True)
    def active(self, placement: Placement) -> bool:
        return placement.is_active()

    def save_model(self, request: HttpRequest, obj: Placement, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class TopicSectionInline(admin.TabularInline):
    model = TopicSection
    extra = 1
    fields = ["position", "title"]
    show_change_link = True


@admin.register(Topic)
class TopicAdmin(TouchesPublicPages):
    list_display = ["title", "slug", "is_current", "position", "created_at"]
    list_editable = ["is_current", "position"]
    search_fields = ["title"]
    autocomplete_fields = ["lead_image"]
    inlines = [TopicSectionInline]

    def topics_for(self, topic: Topic) -> set[str]:
        return {"home", f"topic:{topic.pk}"}

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        freshness.touch(*self.topics_for(form.instance))


class TopicEntryInline(admin.TabularInline):
    model = TopicEntry
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article"]


@admin.register(TopicSection)
class TopicSectionAdmin(TouchesPublicPages):
    list_display = ["title", "topic", "position"]
    list_filter = ["topic"]
    search_fields = ["title", "topic__title"]
    inlines = [TopicEntryInline]

    def topics_for(self, section: TopicSection) -> set[str]:
        return {"home", f"topic:{section.topic_id}"}

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        freshness.touch(*self.topics_for(form.instance))
