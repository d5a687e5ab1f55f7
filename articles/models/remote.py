"""Remote images waiting to be fetched into the photo library, or that could not be."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RemoteImage(models.Model):
    """One remote image in a story's body (articles/remote.py): kept while it waits for the
    background fetch, or with the reason it failed; gone once a library photo replaced it
    or the image left the body."""

    class State(models.TextChoices):
        WAITING = "waiting", _("等待获取")
        FAILED = "failed", _("获取失败")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="remote_images",
    )
    url = models.CharField(_("图片地址"), max_length=2000)
    state = models.CharField(_("状态"), max_length=10, choices=State, default=State.WAITING)
    reason = models.TextField(_("原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    tried_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外链图片")
        verbose_name_plural = pgettext_lazy("plural", "外链图片")
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "url"], name="articles_remoteimage_one_per_address"
            )
        ]

    def __str__(self) -> str:
        return self.url
