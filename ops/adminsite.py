"""The editors' admin site: Django's, with the admin's own Content-Security-Policy.

Admin pages are never stored, so they alone may carry a nonce (NEWSROOM_ADMIN_CSP);
public pages keep the nonce-free SECURE_CSP. The policy is given to every admin view
with Django's ``csp_override``, which ContentSecurityPolicyMiddleware then writes out.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override


class NewsroomAdminSite(admin.AdminSite):
    """The admin site whose every page carries NEWSROOM_ADMIN_CSP."""

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """Django's wrapping of every admin view (the models' pages included), plus the
        admin's policy."""
        return csp_override(settings.NEWSROOM_ADMIN_CSP)(super().admin_view(view, cacheable))

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The login page, the one admin page Django does not send through admin_view."""
        with_policy = csp_override(settings.NEWSROOM_ADMIN_CSP)(super().login)
        return with_policy(request, extra_context)


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin, with NewsroomAdminSite as ``admin.site``."""

    default_site = "ops.adminsite.NewsroomAdminSite"
