"""What the delivery layer must remember in the database, where no cache outage reaches it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageGeneration(models.Model):
    """One row: raised in the same transaction as a change no stored page may outlive
    (a withdrawal, an expiry moved), and checked by every stored-page answer."""

    number = models.BigIntegerField(_("代数"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("页面缓存代数")
        verbose_name_plural = _("页面缓存代数")

    def __str__(self) -> str:
        return str(self.number)


class ErrorReport(models.Model):
    """One kind of error (exception type + place): how often, and how much is not mailed."""

    key = models.CharField(_("分组"), max_length=64, unique=True)
    kind = models.CharField(_("错误类型"), max_length=200)
    location = models.CharField(_("位置"), max_length=300)
    message = models.CharField(_("信息"), max_length=500, blank=True)
    detail = models.TextField(_("首次详情"), blank=True)
    count = models.PositiveBigIntegerField(_("累计次数"), default=0)
    unsent = models.PositiveBigIntegerField(_("未发信次数"), default=0)
    first_seen = models.DateTimeField(_("首次出现"))
    last_seen = models.DateTimeField(_("最近出现"))
    queued_at = models.DateTimeField(_("排入发信"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("最近发信"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("错误报告")
        verbose_name_plural = _("错误报告")

    def __str__(self) -> str:
        return f"{self.kind} @ {self.location}"
