"""Machine-readable page descriptions: JSON-LD blocks."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from website.site import absolute_url
from website.structured_data import add_videos, news_article

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


@register.filter
def ld_json(data: dict) -> SafeString:
    """Render ``data`` as a JSON-LD script block; nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    # Not sanitised HTML but JSON with every <, > and & escaped above, as Django's own
    # json_script does; HTML-escaping it instead would corrupt the JSON.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
