"""Photos in templates: responsive <picture> markup and the photo-set gallery."""

from django import template

from articles.figures import BODY_SIZES
from articles.figures import picture as picture_of
from articles.models import Article, Channel, Image

register = template.Library()

# A list cover is a thumbnail beside the title: 6.75rem on phones, 12rem from 40rem up; the
# home page's 头条 spans the screen on phones and 40rem of it from 64rem up
# (static/css/site.css).
COVER_SIZES = "(min-width: 40rem) 12rem, 6.75rem"
LEAD_SIZES = "(min-width: 64rem) 40rem, 100vw"
THUMB_SIZES = "6rem"


@register.inclusion_tag("articles/includes/picture.html")
def picture(image: Image | None, eager: bool = False) -> dict:
    """A photo at the article column's width; nothing while its copies are being drawn."""
    if image is None:
        return {"picture": None}
    return {"picture": picture_of(image, sizes=BODY_SIZES, eager=eager)}


@register.inclusion_tag("articles/includes/picture.html")
def cover(
    image: Image | None, eager: bool = False, thumb: bool = False, lead: bool = False
) -> dict:
    """A 3:2 cover crop kept around the photo's focal point: a list's, a gallery thumbnail
    (``thumb``) or the home page's 头条 (``lead``)."""
    if image is None:
        return {"picture": None}
    sizes, css_class = (
        (THUMB_SIZES, "") if thumb else (LEAD_SIZES, "lead__cover") if lead
        else (COVER_SIZES, "article-list__cover")
    )  # fmt: skip
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
