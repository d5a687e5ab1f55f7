"""Videos in the library: an uploaded clip with its web copies and poster, or a player
embedded from one of the video sites the desk may use (videos/embeds.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from articles.storage import originals


class VideoQuerySet(models.QuerySet):
    def ready(self) -> VideoQuerySet:
        """Videos readers can be shown: transcoded uploads and embedded players."""
        return self.filter(status=Video.Status.READY)

    def matching(self, words: str) -> VideoQuerySet:
        """Return videos whose title holds every word."""
        found = self
        for word in words.split():
            found = found.filter(title__icontains=word)
        return found


class Video(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("处理中")
        READY = "ready", _("可用")
        FAILED = "failed", _("处理失败")

    title = models.CharField(_("标题"), max_length=200)
    caption = models.CharField(
        _("视频说明"), max_length=300, blank=True, help_text=_("显示在视频下方。")
    )
    credit = models.CharField(
        _("摄像/来源"), max_length=100, blank=True, help_text=_("摄像者姓名或视频来源。")
    )
    # The upload as it came: private storage, named by its content's fingerprint.
    original = models.FileField(
        _("原始文件"), storage=originals, upload_to="videos/", max_length=200, blank=True
    )
    sha256 = models.CharField(_("原始文件指纹"), max_length=64, blank=True, editable=False)
    share_url = models.URLField(
        _("外部视频链接"),
        max_length=500,
        blank=True,
        help_text=_("央视频、腾讯视频或哔哩哔哩的分享链接；填写后不必上传文件。"),
    )
    player_url = models.URLField(_("播放器地址"), max_length=500, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status, default=Status.PROCESSING, editable=False
    )
    problem = models.TextField(_("处理问题"), blank=True, editable=False)
    duration = models.FloatField(_("时长（秒）"), default=0, editable=False)
    width = models.PositiveIntegerField(_("宽度"), default=0, editable=False)
    height = models.PositiveIntegerField(_("高度"), default=0, editable=False)
    poster_at = models.FloatField(
        _("封面画面（秒）"),
        default=1.0,
        help_text=_("用视频第几秒的画面作封面；修改后重新截取。"),
    )
    # Public files (default storage): the copies [{"height", "width", "name", "bytes"}],
    # tallest first, all or none; the poster frame; WebVTT subtitles if any.
    sources = models.JSONField(_("播放文件"), default=list, blank=True, editable=False)
    poster = models.CharField(_("封面图"), max_length=200, blank=True, editable=False)
    subtitles = models.CharField(_("字幕文件"), max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("视频")
        verbose_name_plural = pgettext_lazy("plural", "视频")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(F("uploaded_at").desc(), F("id").desc(), name="videos_video_newest_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=0, poster_at__gte=0),
                name="videos_video_times_not_negative",
            ),
        ]
        permissions = [("change_any_video", _("修改任何视频，包括他人上传的视频"))]

    def __str__(self) -> str:
        return self.title or gettext("视频 %(number)s") % {"number": self.pk}

    @property
    def is_embed(self) -> bool:
        return bool(self.player_url)

    def caption_with_credit(self) -> str:
        """The caption as printed under the video: 说明（摄像：某某）."""
        # Part of the published text, so always in the content language, not the UI's.
        return f"{self.caption}（摄像：{self.credit}）" if self.credit else self.caption

    def poster_url(self) -> str:
        return default_storage.url(self.poster) if self.poster else ""

    def subtitles_url(self) -> str:
        return default_storage.url(self.subtitles) if self.subtitles else ""

    def source_urls(self) -> list[dict]:
        """Each copy's address and size for ``<source>``, tallest first."""
        return [
            {**copy, "url": default_storage.url(copy["name"])}
            for copy in sorted(self.sources, key=lambda c: -c["height"])
        ]

    def iso_duration(self) -> str:
        """The length as schema.org writes it (ISO 8601: PT1M5S)."""
        seconds = round(self.duration)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return (
            "PT"
            + (f"{hours}H" if hours else "")
            + (f"{minutes}M" if minutes else "")
            + (f"{seconds}S" if seconds or not (hours or minutes) else "")
        )
