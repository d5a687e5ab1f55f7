"""The article admin's own pages, routed through the admin site's sign-in and permissions."""

from collections.abc import Callable
from functools import partial

from django.urls import URLPattern, path


def admin_route(model_admin, function: Callable, name: str, route: str) -> URLPattern:
    """``route`` served by ``function(request, ..., model_admin=...)`` behind the admin's own
    checks, named ``admin:articles_article_<name>``."""
    wrapped = model_admin.admin_site.admin_view(partial(function, model_admin=model_admin))
    return path(route, wrapped, name=f"articles_article_{name}")
