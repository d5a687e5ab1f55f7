"""Library videos in article bodies, drawn when the page is.

The body stores a video as ``<figure data-video="7"><img …><figcaption>…</figcaption>
</figure>`` (the editor shows the poster). The public page draws each such figure as
``<video controls preload="none" poster=… playsinline>`` with its 720p and 480p copies and
the caption under it, or as the player of the site it is embedded from, reading every
video the body shows in one query (templates/videos/figure.html).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from articles.models import Article
    from videos.models import Video

# Bodies are normalised by nh3 (articles.sanitize) before they are stored, so a video
# figure always opens exactly like this.
FIGURE = re.compile(r'<figure data-video="(\d+)">(.*?)</figure>', re.S)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
LEAD = re.compile(r'\s*<figure data-video="\d+">')
MAX_ID = 2**31 - 1


def video_ids(body: str) -> list[int]:
    """Return the library videos a body shows, in order of appearance."""
    return [n for match in FIGURE.finditer(body or "") if (n := int(match[1])) <= MAX_ID]


def shown_videos(article: Article) -> list[Video]:
    """The ready videos an article's body shows, in order (one query, kept on the article
    for the rest of the request; none when the body shows no video)."""
    if (kept := getattr(article, "shown_video_list", None)) is not None:
        return kept
    from videos.models import Video

    ids = video_ids(article.body_html)
    found = Video.objects.ready().in_bulk(ids) if ids else {}
    article.shown_video_list = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    return article.shown_video_list


def leads_with_video(article: Article) -> bool:
    """Whether the body opens with a video: a 视频 story, pictured by that video."""
    return bool(LEAD.match(article.body_html or ""))


def render(article: Article) -> SafeString:
    """The article's body with each video figure drawn (or left out while not ready)."""
    videos = {video.pk: video for video in shown_videos(article)}

    def draw(match: re.Match) -> str:
        video = videos.get(int(match[1]))
        if video is None:
            return ""  # deleted, refused or still being transcoded: show nothing
        return figure_html(video, caption_for(video, match[2]))

    # Sanitised by articles.sanitize.clean_body in Article.save(); figures drawn below.
    return mark_safe(FIGURE.sub(draw, article.body_html))


def caption_for(video: Video, figure_inner: str) -> SafeString:
    """The caption for this use: the editor's own text if it differs from the library's."""
    found = CAPTION.search(figure_inner)
    written = found[1] if found else ""
    text = html.unescape(strip_tags(written)).strip()
    if not text or text == video.caption_with_credit():
        return escape(video.caption_with_credit())
    # Part of the body, sanitised by articles.sanitize.clean_body in Article.save().
    return mark_safe(written)


def figure_html(video: Video, caption: SafeString) -> str:
    return render_to_string("videos/figure.html", {"video": video, "caption": caption})


def editor_figure(video: Video) -> SafeString:
    """A library video as the body editor stores it: which video, its poster, the caption."""
    return format_html(
        '<figure data-video="{}"><img src="{}" alt=""><figcaption>{}</figcaption></figure>',
        video.pk,
        video.poster_url(),
        video.caption_with_credit(),
    )
