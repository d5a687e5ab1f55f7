"""Tags in the admin: taggit's own page, which makes cached public pages stale on change."""

from django.contrib import admin
from taggit.admin import TagAdmin
from taggit.models import Tag

from delivery.admin import TouchesPublicPages

admin.site.unregister(Tag)


@admin.register(Tag)
class NewsroomTagAdmin(TouchesPublicPages, TagAdmin):
    pass
