"""Placements (编排): where the desk promotes a published article, and for how long.

A placement is editorial arrangement, not content: it can change on a live article at any
time without a new review, and it drops off by itself when its end time passes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.transitions import Status


class PlacementQuerySet(models.QuerySet):
    def active(self) -> "PlacementQuerySet":
        """Return placements whose window includes now."""
        now = timezone.now()
        return self.filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now)).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Placement(models.Model):
    class Slot(models.TextChoices):
        HEADLINE = "headline", _("头条")
        FEATURED = "featured", _("推荐")
        PINNED = "pinned", _("置顶")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    slot = models.CharField(
        _("位置"),
        max_length=20,
        choices=Slot,
        help_text=_("头条、推荐显示在首页；置顶显示在稿件所在栏目的最前面。"),
    )
    starts_at = models.DateTimeField(
        _("开始时间"), null=True, blank=True, help_text=_("留空则立即生效。")
    )
    ends_at = models.DateTimeField(
        _("结束时间"), null=True, blank=True, help_text=_("留空则一直保留，直到撤下。")
    )
    position = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("同一位置内数字小的排在前面。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编排人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("编排")
        verbose_name_plural = pgettext_lazy("plural", "编排")
        ordering = ["slot", "position", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "slot"], name="articles_placement_once"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="articles_placement_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["slot", "position"], name="articles_placement_slot_idx")]

    def __str__(self) -> str:
        return f"{self.get_slot_display()}：{self.article}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
        article = self.article if self.article_id else None
        if article and (article.status != Status.PUBLISHED or article.revision_of_id):
            raise ValidationError({"article": _("只能编排已发布（或已定时发布）的稿件。")})

    def is_active(self) -> bool:
        now = timezone.now()
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or self.ends_at > now
        )
