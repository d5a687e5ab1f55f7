"""What cached copies depend on besides the data: a deployment that changes it starts afresh."""

import hashlib

from django.conf import settings


def _stamp() -> str:
    """What cached fragments also depend on besides the data: the templates that drew
    them and the station's settings. A deployment that changes either starts afresh."""
    digest = hashlib.sha1()
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    for name in ("NEWSROOM_STATION_NAME", "NEWSROOM_NETWORK_NAME", "NEWSROOM_NETWORK_URL",
                 "NEWSROOM_SITE_URL", "NEWSROOM_ICP_NUMBER", "NEWSROOM_PSB_FILING",
                 "NEWSROOM_NEWS_LICENCE"):  # fmt: skip
        digest.update(str(getattr(settings, name)).encode())
    return digest.hexdigest()[:10]


STAMP = _stamp()
