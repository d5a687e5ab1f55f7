"""Library photos in article bodies, and what the <picture> of every public photo shows.

The editor stores a photo as ``<figure data-photo="12"><img …><figcaption>…</figcaption>
</figure>``. When the article is saved (and when the photo's copies or caption change),
each such figure is drawn as responsive ``<picture>`` markup into ``Article.body_html``,
so a page view parses nothing and asks the database nothing about its photos. The
markup itself is written by templates (articles/includes/figure.html, picture.html).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.core.files.storage import FileSystemStorage, default_storage
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from articles.models import Image

# Bodies are normalised by nh3 (articles.sanitize) before they are stored, so a library
# figure always opens exactly like this.
FIGURE = re.compile(r'<figure data-photo="(\d+)">(.*?)</figure>', re.S)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
IMG = re.compile(r"<img\b[^>]*>")
# The article column is 46rem wide at most (static/css/site.css).
BODY_SIZES = "(min-width: 46rem) 46rem, 100vw"
FALLBACK_WIDTH = 960
# A copy's name as the photo pipeline writes it (``photos/e9/e94e…-480.webp``): relative,
# no "." or ".." steps, nothing URL quoting would change.
PLAIN_NAME = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*", re.ASCII)
# The body editor's photo picker (static/articles/admin/photo-editor.js).
# A photo file dropped or pasted into the editor goes to the library first (uploadUrl).
EDITOR_PHOTO_PICKER = {
    "url": reverse_lazy("admin:articles_image_picker"),
    "uploadUrl": reverse_lazy("admin:articles_image_from_editor"),
    "labels": {
        "open": _("插入图库照片"),
        "title": _("从图库选择照片"),
        "search": _("按说明或摄影者搜索"),
        "close": _("关闭"),
        "empty": _("没有找到可用的照片。"),
        "missingAlt": _("缺替代文字"),
        "uploading": _("正在把“%(name)s”上传到图库…"),
        "uploaded": _("“%(name)s”已存入图库并插入正文，请填写图片说明。"),
        "processing": _("“%(name)s”已存入图库，图库正在处理，稍后即可预览。"),
        "failed": _("“%(name)s”上传失败，请重试。"),
    },
}


def photo_ids(body: str) -> list[int]:
    """Return the library photos a body shows, in order of appearance."""
    return [int(match[1]) for match in FIGURE.finditer(body)]


def render_body(body: str) -> str:
    """Return the body with each library figure drawn from the library (one query)."""
    from articles.models import Image

    ids = photo_ids(body)
    if not ids:
        return body
    photos = Image.objects.in_bulk(ids)
    drawn = 0

    def draw(match: re.Match) -> str:
        nonlocal drawn
        image = photos.get(int(match[1]))
        if image is None or not image.is_ready:
            return ""  # deleted, or still being processed: show nothing rather than half
        drawn += 1
        return figure_html(image, caption_for(image, match[2]), eager=drawn == 1)

    return FIGURE.sub(draw, body)


def caption_for(image: Image, figure_inner: str) -> SafeString:
    """The caption for this use: the editor's own text if it differs from the library's."""
    found = CAPTION.search(figure_inner)
    written = found[1] if found else ""
    text = html.unescape(strip_tags(written)).strip()
    if not text or text == image.caption_with_credit():
        return escape(image.caption_with_credit())
    # Part of the body, sanitised by articles.sanitize.clean_body in Article.save().
    return mark_safe(written)


def editor_figure(image: Image) -> SafeString:
    """A library photo as the body editor stores it: which photo, a preview, the caption."""
    return format_html(
        '<figure data-photo="{}">{}<figcaption>{}</figcaption></figure>',
        image.pk,
        editor_img(image),
        image.caption_with_credit(),
    )


def editor_img(image: Image) -> SafeString:
    """The preview the editor shows inside a library figure (readers get <picture>)."""
    copy = fallback_copy(image)
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}">',
        default_storage.url(copy["name"]) if copy else "",
        image.alt_text,
        copy["width"] if copy else image.width,
        copy["height"] if copy else image.height,
    )


def refresh_figures(body: str, image: Image, old_caption: str | None = None) -> str:
    """Bring one photo's figures in a stored body up to date: the editor's preview and
    alt text, and captions that still read the library's old caption."""

    def rewrite(match: re.Match) -> str:
        if int(match[1]) != image.pk:
            return match[0]
        inner = IMG.sub(editor_img(image), match[2], count=1)
        found = CAPTION.search(inner)
        if found and html.unescape(strip_tags(found[1])).strip() == old_caption:
            new = format_html("<figcaption>{}</figcaption>", image.caption_with_credit())
            inner = inner.replace(found[0], new)
        return f'<figure data-photo="{image.pk}">{inner}</figure>'

    return FIGURE.sub(rewrite, body)


def fallback_copy(image: Image) -> dict | None:
    """The JPEG copy shown where no srcset applies: the one nearest 960 pixels wide."""
    jpeg = image.copies()
    return min(jpeg, key=lambda copy: abs(copy["width"] - FALLBACK_WIDTH)) if jpeg else None


def figure_html(image: Image, caption: SafeString, *, eager: bool = False) -> SafeString:
    """A photo then its caption, as on every Chinese news page."""
    return SafeString(
        render_to_string(
            "articles/includes/figure.html",
            {"picture": picture(image, sizes=BODY_SIZES, eager=eager), "caption": caption},
        )
    )


def picture(
    image: Image, *, sizes: str, kind: str = "full", eager: bool = False, css_class: str = ""
) -> dict | None:
    """What ``<picture>`` shows (articles/includes/picture.html): WebP and JPEG candidates,
    width and height (no layout shift), and lazy loading unless the photo is likely to be
    in the first screen; None while the photo has no copies."""
    jpeg, webp = image.copies(kind, "jpeg"), image.copies(kind, "webp")
    if not jpeg:
        return None
    url = media_url()
    jpeg_urls = [url(copy["name"]) for copy in jpeg]
    # The fallback is one of the JPEG candidates: its URL is already known.
    nearest = min(range(len(jpeg)), key=lambda i: abs(jpeg[i]["width"] - FALLBACK_WIDTH))
    return {
        "webp": srcset(webp, [url(copy["name"]) for copy in webp]),
        "sizes": sizes,
        "src": jpeg_urls[nearest],
        "jpeg": srcset(jpeg, jpeg_urls),
        "width": jpeg[nearest]["width"],
        "height": jpeg[nearest]["height"],
        "alt": image.alt_text,
        "css_class": css_class,
        "eager": eager,
    }


def media_url() -> Callable[[str], str]:
    """default_storage.url for public copies: where the storage is Django's own local one,
    the same URL drawn from its base URL for names that need no quoting or joining."""
    if default_storage.__class__ is not FileSystemStorage:
        return default_storage.url
    base = default_storage.base_url
    if base is None or not _joins_plainly(base):
        return default_storage.url

    def url(name: str) -> str:
        return base + name if PLAIN_NAME.fullmatch(name) else default_storage.url(name)

    return url


@lru_cache(maxsize=8)
def _joins_plainly(base: str) -> bool:
    """Whether urljoin() puts a plain relative name straight after this base URL."""
    return all(urljoin(base, name) == base + name for name in ("a", "b-1/c_2.d.webp"))


def srcset(copies: list[dict], urls: list[str]) -> str:
    """Candidates for ``srcset``: each copy's URL and width."""
    return ", ".join(f"{url} {copy['width']}w" for copy, url in zip(copies, urls, strict=True))
