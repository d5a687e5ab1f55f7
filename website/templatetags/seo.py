"""Machine-readable page descriptions: JSON-LD blocks."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from website.site import absolute_url
from website.structured_data import add_videos, collection_page, logo_url, news_article

register = template.Library()

# Characters that could end the script element or start markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("articles/includes/social_meta.html", takes_context=True)
def news_article_meta(context, article, permalink: str) -> dict:
    """Open Graph and Twitter cards, and the NewsArticle JSON-LD, for an article page."""
    request = context["request"]

    def absolute(path: str) -> str:
        return path if path.startswith(("http://", "https://")) else absolute_url(request, path)

    data = add_videos(news_article(article, permalink, absolute), article, absolute)
    return {
        "article": article,
        "permalink": permalink,
        "data": data,
        "station_name": context["station_name"],
    }


@register.inclusion_tag("includes/list_meta.html", takes_context=True)
def list_page_meta(context, name: str, description: str, articles=(), channel=None) -> dict:
    """Description, canonical link, Open Graph and the CollectionPage and BreadcrumbList
    JSON-LD of a page listing articles (``articles``: rows with ``get_absolute_url`` or
    home page lines with ``url``); ``channel`` gives the breadcrumb its lineage."""
    request = context["request"]

    def absolute(path: str) -> str:
        return absolute_url(request, path)

    url = absolute(escape_uri_path(request.path))
    if (page := context.get("page")) is not None and getattr(page, "number", 1) > 1:
        url = f"{url}?page={page.number}"
    home = (gettext("首页"), reverse("articles:home"))
    if channel is not None:
        trail = [home, *((step.name, step.get_absolute_url()) for step in channel.lineage())]
    elif request.path == home[1]:
        trail = [home]
    else:
        trail = [home, (name, escape_uri_path(request.path))]
    links = [a.url if hasattr(a, "url") else a.get_absolute_url() for a in articles]
    return {
        "name": name,
        "description": description,
        "url": url,
        "logo": logo_url(absolute),
        "station_name": context["station_name"],
        "data": collection_page(name, description, url, trail, links, absolute),
    }


@register.filter
def ld_json(data: dict | list) -> SafeString:
    """Render ``data`` as a JSON-LD script block; nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    # Not sanitised HTML but JSON with every <, > and & escaped above, as Django's own
    # json_script does; HTML-escaping it instead would corrupt the JSON.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
