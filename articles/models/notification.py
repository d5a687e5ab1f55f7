"""The desk's inbox: one line per thing a person should know about an article."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        """Return the person's own notifications, newest first."""
        return self.filter(user=user).order_by("-created_at", "-id")

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        TO_REVIEW = "to_review", _("待审核")
        TO_PUBLISH = "to_publish", _("待发布")
        APPROVED = "approved", _("审核通过")
        RETURNED = "returned", _("退回")
        PUBLISHED = "published", _("已发布")
        SCHEDULED = "scheduled", _("定时发布")
        UNSCHEDULED = "unscheduled", _("取消定时")
        WITHDRAWN = "withdrawn", _("撤稿")
        REOPENED = "reopened", _("恢复为草稿")
        CORRECTED = "corrected", _("更正已发布")
        OTHER = "other", _("其他")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    text = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("plural", "通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "read_at", "-created_at"], name="articles_notification_idx"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        """Opening a notification marks it read and leads to its article."""
        return reverse("admin:articles_notification_open", args=[self.pk])
