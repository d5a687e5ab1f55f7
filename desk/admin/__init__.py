"""The editors' desk: every model in the admin, in Chinese."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from desk.admin import article, channel, inbox, people, placement, tags
from photos import admin as image

admin.site.site_header = format_lazy(
    _("{station} 稿件管理"), station=settings.NEWSROOM_STATION_NAME
)
admin.site.site_title = _("稿件管理")
admin.site.index_title = _("编辑部")

__all__ = ["article", "channel", "image", "inbox", "people", "placement", "tags"]
