"""What moving an old site in leaves behind: which stories came from which old page, and
the old site's other URL shapes that lead to them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportedPage(models.Model):
    """One old page brought in as an article; its digest tells a re-run what changed."""

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="imported_from",
    )
    old_url = models.CharField(_("旧网址"), max_length=500)
    digest = models.CharField(_("内容指纹"), max_length=64)
    imported_at = models.DateTimeField(_("首次导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("导入的旧稿件")
        verbose_name_plural = pgettext_lazy("plural", "导入的旧稿件")
        ordering = ["-article_id"]

    def __str__(self) -> str:
        return self.old_url


class Redirect(models.Model):
    """An old URL that answers 301 with a story's permanent URL (or another address)."""

    old_path = models.CharField(
        _("旧网址"),
        max_length=500,
        unique=True,
        help_text=_("旧网站的路径，可带查询参数，如 /article/123 或 /news.php?id=123。"),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("跳转到这篇稿件的永久网址。"),
    )
    target = models.CharField(
        _("目标网址"),
        max_length=500,
        blank=True,
        help_text=_("不指向稿件时填写：本站路径（以 / 开头）或完整网址。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("旧网址跳转")
        verbose_name_plural = pgettext_lazy("plural", "旧网址跳转")
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False) | ~Q(target=""),
                name="importer_redirect_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return self.old_path

    def destination(self) -> str | None:
        """Where the old URL leads now; None while its story has no public URL."""
        if self.article_id is None:
            return self.target
        if self.article.first_published_at is None:
            return None
        return self.article.get_absolute_url()
