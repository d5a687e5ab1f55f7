"""The page a locked-out sign-in gets: what happened, for how long, and who can help."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with the lockout page (django-axes calls this for every refused sign-in)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "login_url": reverse("admin:login"),
    }
    return render(request, "registration/lockout.html", context, status=429)
