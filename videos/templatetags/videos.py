"""The article body with its videos drawn, and what search engines are told of them."""

from django import template
from django.utils.safestring import SafeString

from articles.models import Article
from videos import figures

register = template.Library()


@register.simple_tag
def body_with_videos(article: Article) -> SafeString:
    """The sanitised body, each library video drawn as a player (one query at most)."""
    return figures.render(article)
