"""The not-found page, which first asks the redirect table (importer.redirects): only
addresses nothing else serves pay for the lookup, so public pages keep their queries."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.views.defaults import page_not_found

from importer.redirects import destination


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """301 to where an old URL now lives; otherwise the site's 404 page."""
    if request.method in ("GET", "HEAD") and (target := destination(request.get_full_path())):
        return HttpResponsePermanentRedirect(target)
    return page_not_found(request, exception)
