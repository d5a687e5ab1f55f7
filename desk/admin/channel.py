"""Channels in the admin."""

from django.contrib import admin

from articles.models import Channel
from delivery.admin import TouchesPublicPages


@admin.register(Channel)
class ChannelAdmin(TouchesPublicPages):
    list_display = ["name", "parent", "slug", "kind", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
    list_filter = ["kind", "in_navigation", "parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
