"""Remote images in bodies: pictures pasted from WeChat, Word or another site that are
still loaded from someone else's server (外链图片).

The sanitiser keeps such an ``<img src="https://…">`` as it is, so that nothing an editor
pasted is lost. The desk then fetches each one into the photo library in the background
and puts a library figure in its place (``replace_remote_image``); until that is done,
the story cannot go forward in review (desk/workflow.py, ``blockers``).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html

from articles.figures import CAPTION, FIGURE, editor_img
from articles.text import text_of_html

if TYPE_CHECKING:
    from articles.models import Image

IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"')
# A figure without a library photo: the sanitiser allows no other attribute on <figure>.
PLAIN_FIGURE = re.compile(r"<figure>(.*?)</figure>", re.S)


def own_hosts() -> set[str]:
    """The hosts whose images are already ours: the site's and the public media's."""
    hosts = set()
    # The storage's own URL names the media host even behind a CDN domain.
    for url in (settings.NEWSROOM_SITE_URL, settings.MEDIA_URL, default_storage.url("x")):
        if host := urlsplit(url or "").hostname:
            hosts.add(host.lower())
    return hosts


def remote_url(src: str, own: set[str] | None = None) -> str | None:
    """The address an <img src> loads from another site, or None (ours, relative, data)."""
    src = html.unescape(src).strip()
    if src.startswith("//"):  # protocol-relative: the page's scheme, https on this site
        src = f"https:{src}"
    try:
        parts = urlsplit(src)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return None if host.lower() in (own_hosts() if own is None else own) else src


def attributes(img: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(img)}


def remote_images(body: str) -> list[tuple[str, str]]:
    """The remote images of a body as (address, alt text), each address once, in order."""
    outside_library = FIGURE.sub("", body or "")
    found: dict[str, str] = {}
    own = own_hosts()
    for img in IMG.findall(outside_library):
        attrs = attributes(img)
        if (url := remote_url(attrs.get("src", ""), own)) and url not in found:
            found[url] = attrs.get("alt", "")
    return list(found.items())


def remote_image_urls(body: str) -> list[str]:
    """The addresses of a body's remote images, each once, in order."""
    return [url for url, _alt in remote_images(body)]


def caption_of(body: str, url: str) -> str:
    """The caption written under a remote image, if it stands in a figure with one."""
    for match in PLAIN_FIGURE.finditer(body or ""):
        images = IMG.findall(match[1])
        if len(images) == 1 and remote_url(attributes(images[0]).get("src", "")) == url:
            found = CAPTION.search(match[1])
            return " ".join(text_of_html(found[1]).split()) if found else ""
    return ""


def replace_remote_image(body: str, url: str, image: Image) -> str:
    """Put a library figure of ``image`` wherever the body shows the remote ``url``.

    A figure holding only that image becomes a library figure with its own caption; an
    image standing alone becomes a figure of its own, splitting the paragraph it was in
    (a figure cannot sit inside a paragraph).
    """
    preview, own = editor_img(image), own_hosts()

    def shows_url(img: str) -> bool:
        return remote_url(attributes(img).get("src", ""), own) == url

    def in_figure(match: re.Match) -> str:
        images = IMG.findall(match[1])
        if len(images) != 1 or not shows_url(images[0]):
            return match[0]
        inner = IMG.sub(lambda _img: preview, match[1], count=1)
        if not CAPTION.search(inner):
            inner += format_html("<figcaption>{}</figcaption>", image.caption_with_credit())
        return f'<figure data-photo="{image.pk}">{inner}</figure>'

    body = PLAIN_FIGURE.sub(in_figure, body)
    figure = format_html(
        '<figure data-photo="{}">{}<figcaption>{}</figcaption></figure>',
        image.pk,
        preview,
        image.caption_with_credit(),
    )
    standing = [m for m in IMG.finditer(body) if shows_url(m[0]) and not _in_library(body, m)]
    for match in reversed(standing):
        body = _put_figure(body, match.start(), match.end(), figure)
    return body


def _in_library(body: str, match: re.Match) -> bool:
    """Whether an <img> found in the body lies inside a library figure."""
    opened = body.rfind('<figure data-photo="', 0, match.start())
    return opened != -1 and body.find("</figure>", opened) > match.start()


def _put_figure(body: str, start: int, end: int, figure: str) -> str:
    """Replace body[start:end] by a figure, closing and reopening the paragraph around it."""
    before, after = body[:start], body[end:]
    opened, closed = before.rfind("<p>"), before.rfind("</p>")
    if opened <= closed:
        return before + figure + after
    ends = after.find("</p>")
    if ends == -1:
        return before + figure + after
    lead, rest = before[opened + len("<p>") :], after[:ends]
    head = before + "</p>" if text_of_html(lead).strip() or IMG.search(lead) else before[:opened]
    tail = "<p>" + after if text_of_html(rest).strip() or IMG.search(rest) else after[ends + 4 :]
    return head + figure + tail
