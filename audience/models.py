"""Reads as the database keeps them: one row per story per hour, and the batches folded in."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HourlyReadsQuerySet(models.QuerySet):
    def since(self, moment) -> "HourlyReadsQuerySet":
        """Rows of the hours starting at or after ``moment``'s hour."""
        return self.filter(hour__gte=moment.replace(minute=0, second=0, microsecond=0))


class HourlyReads(models.Model):
    """The reads of one story in one hour (UTC hour start), with the story's channel then."""

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(
        "articles.Channel", verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField(_("小时"))
    reads = models.PositiveIntegerField(_("阅读量"), default=0)

    objects = HourlyReadsQuerySet.as_manager()

    class Meta:
        verbose_name = _("阅读量")
        verbose_name_plural = pgettext_lazy("plural", "阅读量")
        ordering = ["-hour", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="audience_hourlyreads_one_row_per_hour"
            )
        ]
        indexes = [models.Index(fields=["hour", "channel"], name="audience_hour_channel")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"


class FoldedBatch(models.Model):
    """A batch of counts taken out of Redis and added to HourlyReads: recorded in the same
    transaction as the counts, so a batch found again after a crash is never added twice."""

    key = models.CharField(_("批次"), max_length=200, unique=True)
    reads = models.PositiveIntegerField(_("阅读量"), default=0)
    folded_at = models.DateTimeField(_("并入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已并入批次")
        verbose_name_plural = pgettext_lazy("plural", "已并入批次")
        ordering = ["-folded_at"]

    def __str__(self) -> str:
        return self.key
