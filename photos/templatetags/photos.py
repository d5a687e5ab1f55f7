"""Photos in templates: responsive <picture> markup and the photo-set gallery."""

from django import template

from articles.figures import BODY_SIZES
from articles.figures import picture as picture_of
from articles.models import Article, Channel, Image

register = template.Library()

# A list cover is 14rem wide at most (static/css/site.css).
COVER_SIZES = "14rem"
THUMB_SIZES = "6rem"


@register.inclusion_tag("articles/includes/picture.html")
def picture(image: Image | None, eager: bool = False) -> dict:
    """A photo at the article column's width; nothing while its copies are being drawn."""
    if image is None:
        return {"picture": None}
    return {"picture": picture_of(image, sizes=BODY_SIZES, eager=eager)}


@register.inclusion_tag("articles/includes/picture.html")
def cover(image: Image | None, eager: bool = False, thumb: bool = False) -> dict:
    """A 3:2 cover crop kept around the photo's focal point."""
    if image is None:
        return {"picture": None}
    sizes, css_class = (THUMB_SIZES, "") if thumb else (COVER_SIZES, "article-list__cover")
    return {
        "picture": picture_of(image, sizes=sizes, kind="cover", eager=eager, css_class=css_class)
    }


@register.inclusion_tag("articles/includes/gallery.html")
def gallery(article: Article) -> dict:
    """The photo set of an article in a photo channel (one query; none elsewhere)."""
    if article.channel.kind != Channel.Kind.PHOTO:
        return {"items": []}
    items = [item for item in article.gallery_items.select_related("image") if item.image.is_ready]
    return {"items": items}
