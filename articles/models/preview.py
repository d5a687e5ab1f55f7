"""Preview links: a story as readers will see it, shared with someone who is not signed in."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PreviewLinkQuerySet(models.QuerySet):
    def working(self) -> "PreviewLinkQuerySet":
        """Return links neither revoked nor past their time (the story may still have moved
        on: desk/preview.py checks that when a link is opened)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """One signed preview link given out for one revision of one article.

    The address itself is signed (desk/preview.py); this row is what makes it revocable
    and says who shared what, until when.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="preview_links",
    )
    revision = models.PositiveBigIntegerField(
        _("版本"),
        default=0,
        help_text=_("分享时稿件的最新版本编号；稿件再修改后，链接即失效。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分享人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("分享时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收回人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("预览链接")
        verbose_name_plural = pgettext_lazy("plural", "预览链接")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-created_at"], name="articles_previewlink_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="%(app_label)s_%(class)s_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} @ {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_expired(self) -> bool:
        """True from ``expires_at`` on: the link works strictly before that instant."""
        return timezone.now() >= self.expires_at
