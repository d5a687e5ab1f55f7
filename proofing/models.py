"""The word list the desk keeps, its version stamp, and the banned words let through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Word(models.Model):
    """One entry of the list: a banned word, a word to use with care, or a typo."""

    class Category(models.TextChoices):
        BANNED = "banned", _("禁用")
        CAUTION = "caution", _("慎用")
        TYPO = "typo", _("错别字")

    text = models.CharField(
        _("词语"),
        max_length=100,
        unique=True,
        help_text=_("稿件中要查找的写法；繁体和简体视为相同。错别字填错误的写法。"),
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category)
    correction = models.CharField(
        _("正确写法"),
        max_length=100,
        blank=True,
        help_text=_("错别字必填；禁用词、慎用词可填建议的替换说法。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("校对词")
        verbose_name_plural = _("校对词表")
        ordering = ["category", "text"]
        permissions = [("release_banned", _("放行禁用词"))]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="proofing_word_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(category="typo") | ~Q(correction=""),
                name="proofing_word_typo_has_correction",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ListVersion(models.Model):
    """One row: a new stamp each time the list changes, so every process rebuilds its matcher.

    A random stamp rather than a counter: a change rolled back never leaves a number that a
    later, different change could reuse.
    """

    stamp = models.CharField(_("版本"), max_length=32)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("词表版本")
        verbose_name_plural = _("词表版本")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.stamp


class Release(models.Model):
    """Banned words a 主编 or 总编辑 let through in one story, with the reason."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="word_releases",
    )
    words = models.JSONField(_("放行的禁用词"), default=list)
    reason = models.TextField(_("放行理由"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("放行人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_by_name = models.CharField(_("放行人姓名"), max_length=150)
    released_at = models.DateTimeField(_("放行时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("禁用词放行")
        verbose_name_plural = _("禁用词放行")
        ordering = ["released_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="proofing_release_has_reason"),
        ]

    def __str__(self) -> str:
        return "、".join(self.words)
