"""ASGI entry point for Newsroom."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_asgi_application()

# Open the Chinese word dictionary file now, so a missing file stops the start, not a search.
from search.search import segmenter  # noqa: E402

segmenter()
