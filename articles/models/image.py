"""Photos in the media library, each with its caption and credit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Image(models.Model):
    file = models.ImageField(
        _("图片文件"), upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    caption = models.CharField(
        _("图片说明"), max_length=300, blank=True, help_text=_("显示在图片下方。")
    )
    credit = models.CharField(
        _("摄影/来源"), max_length=100, blank=True, help_text=_("摄影者姓名或图片来源。")
    )
    alt_text = models.CharField(
        _("替代文字"),
        max_length=200,
        blank=True,
        help_text=_("为看不到图片的读者简述画面内容。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    width = models.PositiveIntegerField(_("宽度"), default=0, editable=False)
    height = models.PositiveIntegerField(_("高度"), default=0, editable=False)

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = pgettext_lazy("plural", "图片")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.caption or self.file.name

    def caption_with_credit(self) -> str:
        """Return the caption as printed under the photo: 说明（摄影：某某）."""
        # Part of the published text, so always in the content language, not the UI's.
        return f"{self.caption}（摄影：{self.credit}）" if self.credit else self.caption
