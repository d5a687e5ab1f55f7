"""WSGI entry point for Newsroom."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()  # sets Django up; app modules import after it

from delivery.pagecache import StoredPages  # noqa: E402
from search.search import segmenter  # noqa: E402

# A stored public page is answered here, before Django handles the request at all.
application = StoredPages(django_application)

# Open the Chinese word dictionary file now, so a missing file stops the start, not a search.
segmenter()
