"""Top-level URLs: the admin, language switching, shared previews, uploads in development,
the public site."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ops.health import status

# A database out of reach answers 503 with Retry-After (ops/errors.py); other errors 500.
handler500 = "ops.errors.server_error"
# A missing page first asks the old site's redirect table (importer/redirects.py).
handler404 = "importer.views.not_found"

urlpatterns = [
    # Every part's health, for staff or a status token (before the admin, which would 404).
    path("admin/status/", status, name="status"),
    path("admin/", admin.site.urls),
    # Exempt from CSRF so public pages carry no token and no cookie, and can be cached
    # for everyone alike; a forged request could only change a reader's display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Shared previews of stories not out yet: signed, expiring, never stored (desk/preview.py).
    path("", include("desk.urls")),
    # The read beacon: Redis only, no cookie, nothing stored (audience/beacon.py).
    path("", include("audience.urls")),
    path("", include("website.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
