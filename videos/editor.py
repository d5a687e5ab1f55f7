"""The body editor's video picker (static/articles/admin/video-editor.js): what it lists
of the library, and the embed it makes of a share link pasted on its own line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delivery import freshness
from videos import embeds
from videos.models import Video

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

PICKER_LIMIT = 40
MESSAGES = {
    "title": _("请填写视频标题。"),
}


def picker_videos(words: str = "") -> list[Video]:
    """Ready videos the editor may insert, newest first, searched by title (one query)."""
    return list(Video.objects.ready().matching(words)[:PICKER_LIMIT])


def picker_entry(video: Video) -> dict:
    """What the editor needs to place a video: its poster, title and caption."""
    return {
        "id": video.pk,
        "title": video.title,
        "poster": video.poster_url(),
        "caption": video.caption_with_credit(),
        "embed": video.is_embed,
    }


def embed_from_link(
    share_url: str, title: str, *, uploaded_by: AbstractBaseUser | None = None
) -> Video:
    """The library's embed of a share link, added unless the library has it already.

    A link from a site the desk may not embed raises ValidationError with the reason.
    """
    try:
        player = embeds.player_url(share_url)
    except ValueError:  # not even a URL (a broken [IPv6] host)
        raise ValidationError(embeds.MESSAGES["host"], code="host") from None
    if existing := Video.objects.ready().filter(player_url=player).first():
        return existing
    title = title.strip()
    if not title:
        raise ValidationError(MESSAGES["title"], code="title")
    video = Video(
        title=title[: Video._meta.get_field("title").max_length],
        share_url=share_url.strip(),
        player_url=player,
        status=Video.Status.READY,
        uploaded_by=uploaded_by,
    )
    video.full_clean(exclude=["original", "sha256"])
    video.save()
    freshness.touch("site")
    return video
