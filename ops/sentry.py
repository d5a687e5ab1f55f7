"""Optional error tracking: Sentry, when SENTRY_DSN is set and sentry-sdk is installed."""

import importlib
import logging

from django.conf import settings

logger = logging.getLogger("newsroom.errorreports")


def start_sentry() -> bool:
    """Initialise sentry-sdk from the settings; a missing package is a warning, not a crash."""
    if not settings.SENTRY_DSN:
        return False
    try:
        sentry_sdk = importlib.import_module("sentry_sdk")
    except ImportError:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed (pip install .[sentry])")
        return False
    # No personal data (addresses, cookies, users) leaves the site; no performance tracing.
    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
    return True
