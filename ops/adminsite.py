"""The editors' admin site: Django's, with the admin's own Content-Security-Policy.

Admin pages are never stored, so they alone may carry a nonce (NEWSROOM_ADMIN_CSP);
public pages keep the nonce-free SECURE_CSP. The policy is given to every admin view
with Django's ``csp_override``, which ContentSecurityPolicyMiddleware then writes out.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override


class NewsroomAdminSite(admin.AdminSite):
    """The admin site whose every page carries NEWSROOM_ADMIN_CSP."""

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """Django's wrapping of every admin view (the models' pages included), plus the
        admin's policy."""
        wrapped = refuse_empty_to_field(super().admin_view(view, cacheable))
        return csp_override(settings.NEWSROOM_ADMIN_CSP)(wrapped)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The login page, the one admin page Django does not send through admin_view."""
        with_policy = csp_override(settings.NEWSROOM_ADMIN_CSP)(super().login)
        return with_policy(request, extra_context)


# The parameter Django's admin reads to say which field a related-object popup looks up by.
TO_FIELD = "_to_field"


def refuse_empty_to_field(view: Callable) -> Callable:
    """A 400 for an empty ``_to_field``: Django's change and delete views would look the
    object up by a field named "" and fail with a server error."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        given = request.POST.get(TO_FIELD, request.GET.get(TO_FIELD))
        if given is not None and not given.strip():
            raise BadRequest("empty _to_field")
        return view(request, *args, **kwargs)

    return checked


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin, with NewsroomAdminSite as ``admin.site``."""

    default_site = "ops.adminsite.NewsroomAdminSite"
