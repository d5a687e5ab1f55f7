"""WSGI entry point for Newsroom."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()  # sets Django up; app modules import after it

from audience.beacon import with_beacon  # noqa: E402
from search.search import segmenter  # noqa: E402

# Stored public pages are answered by the page cache middleware, behind the security
# middleware (delivery/pagecache.py). The read beacon is answered before either
# (audience/beacon.py): it counts in Redis and needs no middleware.
application = with_beacon(django_application)

# Open the Chinese word dictionary file now, so a missing file stops the start, not a search.
segmenter()
