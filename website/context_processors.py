"""Values every public template may use: who we are and the channel navigation."""

import re

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from website import navigation


def station(request: HttpRequest) -> dict:
    """Station and network names from settings, and the (lazily loaded) navigation."""
    return {
        "station_name": settings.NEWSROOM_STATION_NAME,
        "station_short_name": settings.NEWSROOM_STATION_SHORT_NAME,
        "station_description": settings.NEWSROOM_STATION_DESCRIPTION,
        "network_name": settings.NEWSROOM_NETWORK_NAME,
        "network_url": settings.NEWSROOM_NETWORK_URL,
        "filings": {
            "icp": settings.NEWSROOM_ICP_NUMBER,
            "psb": settings.NEWSROOM_PSB_FILING,
            "psb_code": re.sub(r"\D", "", settings.NEWSROOM_PSB_FILING),
            "licence": settings.NEWSROOM_NEWS_LICENCE,
            "report_phone": settings.NEWSROOM_REPORT_PHONE,
            "report_email": settings.NEWSROOM_REPORT_EMAIL,
        },
        "navigation_channels": SimpleLazyObject(lambda: navigation.tree(request).navigation()),
        # Part of the key of every cached page fragment (see delivery/freshness.py).
        "site_version": SimpleLazyObject(lambda: navigation.tree(request).version),
    }
