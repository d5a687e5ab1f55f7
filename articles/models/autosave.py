"""Unsaved work kept on the server: what an editor typed, autosaved beside the article."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Autosave(models.Model):
    """One person's latest unsaved form input for one article (or for a new one).

    Never the article itself and never a revision: it is offered back when the form is
    opened again, and goes once the form is saved or the person discards it.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
        help_text=_("留空表示尚未保存过的新稿件。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    fields = models.JSONField(_("表单内容"), default=dict)
    base_version = models.PositiveIntegerField(
        _("基于的编辑版本"),
        null=True,
        blank=True,
        help_text=_("自动保存时页面显示的稿件版本；恢复后再保存时据此检查别人的改动。"),
    )
    saved_at = models.DateTimeField(_("自动保存时间"))

    class Meta:
        verbose_name = _("自动保存")
        verbose_name_plural = pgettext_lazy("plural", "自动保存")
        ordering = ["-saved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(article__isnull=False),
                name="%(app_label)s_%(class)s_one_per_article_and_user",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="%(app_label)s_%(class)s_one_new_article_per_user",
            ),
        ]

    def __str__(self) -> str:
        title = (self.fields.get("title") or [""])[0]
        return f"{title or _('新稿件')} @ {self.saved_at:%Y-%m-%d %H:%M:%S}"
