"""The video library at work: adding uploads and embeds, transcoding, posters, subtitles,
and where each video is used. FFmpeg itself is ``videos.ffmpeg``."""

from __future__ import annotations

import hashlib
import logging
import posixpath
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from delivery import freshness
from videos import embeds, ffmpeg
from videos.models import Video

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

SUBTITLES_MAX_BYTES = 1024 * 1024
MESSAGES = {
    "subtitles": _("字幕须为 WebVTT 文件（.vtt，UTF-8 编码，以 WEBVTT 开头），不超过 1 MB。"),
    "unreadable": _("转出的 %(height)dp 副本无法读取，请重新上传。"),
    "abandoned": _(
        "转码没有完成：处理它的进程多次中断（视频可能太大，服务器内存不足）。"
        "请压缩或剪短后重新上传，或联系技术人员。"
    ),
    "crashed": _("转码时出现意外错误，没有完成。请重新上传；再次失败请联系技术人员。"),
}


def fingerprint(file: IO[bytes]) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def extension(name: str) -> str:
    suffix = Path(name or "").suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() and len(suffix) <= 5 else "mp4"


def check_upload(upload: File) -> ffmpeg.Probe:
    """Refuse (ValidationError) what is not a video within the caps; nothing is stored."""
    with ffmpeg.local_file(upload, suffix=f".{extension(upload.name)}") as path:
        return ffmpeg.check(path, upload.size)


def add_video(
    upload: File, *, uploaded_by: AbstractBaseUser | None = None, **fields: object
) -> Video:
    """Check an upload, keep it privately and have its web copies and poster made.

    A refused upload raises ValidationError before anything is stored.
    """
    video = Video(uploaded_by=uploaded_by, **fields)
    attach_original(video, upload, check_upload(upload))
    schedule_transcode(video)
    return video


def attach_original(video: Video, upload: File, probe: ffmpeg.Probe) -> None:
    """Store a checked upload under its fingerprint and save the video as being processed;
    if the row cannot be saved, the stored file goes too."""
    sha256 = fingerprint(upload)
    name = f"videos/{sha256[:2]}/{sha256}.{extension(upload.name)}"
    storage = video.original.storage
    stored = None
    try:
        with transaction.atomic():
            if not storage.exists(name):  # named by content: an existing file is this one
                stored = storage.save(name, upload)
            video.original.name = stored or name
            video.sha256, video.duration = sha256, probe.duration
            video.width, video.height = probe.width, probe.height
            video.status, video.problem = Video.Status.PROCESSING, ""
            video.save()
    except BaseException:
        if stored:
            storage.delete(stored)
        raise


def add_embed(share_url: str, **fields: object) -> Video:
    """A video played by another site's player, from its share link (videos/embeds.py)."""
    video = Video(share_url=share_url, player_url=embeds.player_url(share_url), **fields)
    video.status = Video.Status.READY
    video.save()
    return video


def schedule_transcode(video: Video) -> None:
    """Queue the transcode (run at once where no worker is configured)."""
    from videos.tasks import transcode_video

    result = transcode_video.enqueue(video.pk)
    if result.status == TaskResultStatus.FAILED:
        logger.error("Transcoding video %s failed:\n%s", video.pk, result.errors[-1].traceback)
    video.refresh_from_db()


def transcode(video_id: int) -> bool:
    """Make a video's web copies (720p and 480p) and poster; a failure is written on the
    video, with nothing of it left in storage. Returns whether the video became ready."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None or video.is_embed or not video.original:
        return False
    written: list[str] = []
    try:
        with ffmpeg.workspace() as folder:
            with video.original.open("rb") as stored, ffmpeg.local_file(stored) as source:
                copies = ffmpeg.transcode(source, folder)
            sources = [store_copy(video, height, path, written) for height, path in copies.items()]
            poster = draw_poster(video, copies[max(copies)], folder, written)
    except ffmpeg.FFmpegError as error:
        for name in written:
            default_storage.delete(name)
        Video.objects.filter(pk=video.pk).update(status=Video.Status.FAILED, problem=str(error))
        logger.warning("Video %s could not be transcoded: %s", video.pk, error)
        return False
    old = [copy["name"] for copy in video.sources] + [video.poster]
    # Only if the original was not replaced meanwhile.
    if not Video.objects.filter(pk=video.pk, sha256=video.sha256).update(
        sources=sources, poster=poster, status=Video.Status.READY, problem=""
    ):
        return False
    transaction.on_commit(partial(delete_public, [n for n in old if n not in written]))
    transaction.on_commit(partial(freshness.touch, "site"))  # pages showing it draw it anew
    return True


def transcode_given_up(video_id: int, *, abandoned: bool) -> bool:
    """A transcode that will not run again (its workers kept dying, or it raised) fails on
    the video, saying so, instead of leaving it 处理中 for ever. Returns whether the video
    was still waiting for it."""
    problem = MESSAGES["abandoned" if abandoned else "crashed"]
    waiting = Video.objects.filter(pk=video_id, status=Video.Status.PROCESSING)
    return bool(waiting.update(status=Video.Status.FAILED, problem=str(problem)))


def public_name(video: Video, suffix: str) -> str:
    return f"videos/{video.sha256[:2]}/{video.sha256}-{suffix}"


def store_copy(video: Video, height: int, path: Path, written: list[str]) -> dict:
    probe = ffmpeg.probe(path)
    if probe is None:
        raise ffmpeg.FFmpegError(MESSAGES["unreadable"] % {"height": height})
    name = store_public(public_name(video, f"{height}.mp4"), path, written)
    return {
        "height": probe.height,
        "width": probe.width,
        "name": name,
        "bytes": path.stat().st_size,
    }


def store_public(name: str, path: Path, written: list[str]) -> str:
    """Put a file in public storage under ``name`` (a file already there is replaced)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with path.open("rb") as file:
        name = default_storage.save(name, File(file, name=posixpath.basename(name)))
    written.append(name)
    return name


def draw_poster(video: Video, source: Path, folder: Path, written: list[str]) -> str:
    at = min(video.poster_at, max(video.duration - 0.1, 0))
    frame = ffmpeg.poster(source, at, folder / "poster.jpg")
    return store_public(public_name(video, f"poster-{round(at * 1000)}.jpg"), frame, written)


def choose_poster(video: Video) -> bool:
    """Take the poster again at the editor's chosen second (``poster_at``), from the
    tallest web copy. Returns whether a new poster was taken."""
    if not video.sources:
        return False
    tallest = max(video.sources, key=lambda copy: copy["height"])
    written: list[str] = []
    with ffmpeg.workspace() as folder:
        copy = folder / "copy.mp4"
        with default_storage.open(tallest["name"], "rb") as stored, copy.open("wb") as local:
            local.write(stored.read())
        try:
            poster = draw_poster(video, copy, folder, written)
        except ffmpeg.FFmpegError as error:
            raise ValidationError(_("无法截取这一秒的画面，请换一个时间。")) from error
    old, video.poster = video.poster, poster
    Video.objects.filter(pk=video.pk).update(poster=poster, poster_at=video.poster_at)
    if old != poster:
        transaction.on_commit(partial(delete_public, [old]))
    transaction.on_commit(partial(freshness.touch, "site"))
    return True


def check_subtitles(upload: File) -> bytes:
    """A WebVTT file's content, or ValidationError."""
    if upload.size > SUBTITLES_MAX_BYTES:
        raise ValidationError(MESSAGES["subtitles"], code="subtitles")
    upload.seek(0)
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(MESSAGES["subtitles"], code="subtitles") from error
    if not (text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\r\n")):
        raise ValidationError(MESSAGES["subtitles"], code="subtitles")
    return data


def attach_subtitles(video: Video, data: bytes) -> None:
    """Store checked WebVTT subtitles as the video's track, replacing any before."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = default_storage.save(
        public_name(video, f"{digest}.vtt") if video.sha256 else f"videos/subtitles/{digest}.vtt",
        ContentFile(data),
    )
    old, video.subtitles = video.subtitles, name
    Video.objects.filter(pk=video.pk).update(subtitles=name)
    if old and old != name:
        transaction.on_commit(partial(delete_public, [old]))


def delete_public(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_files(video: Video) -> None:
    """Remove a deleted video's original and public files once the deletion is committed,
    unless another video was made from the same file (they share them)."""
    transaction.on_commit(partial(delete_unshared, video))


def delete_unshared(video: Video) -> None:
    if video.sha256 and Video.objects.filter(sha256=video.sha256).exists():
        return
    delete_public([copy["name"] for copy in video.sources] + [video.poster, video.subtitles])
    if video.original:
        video.original.storage.delete(video.original.name)


def uses(video: Video) -> QuerySet[Article]:
    """The articles whose bodies show this video."""
    return Article.objects.filter(body__contains=f'data-video="{video.pk}"')
