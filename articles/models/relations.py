"""What hangs off an article: its tags, credited people, editor picks and external links."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.models import TaggedItemBase

from articles.models.people import Role

# Links printed on public pages may only lead to web pages.
web_url_validator = URLValidator(schemes=["http", "https"])


class TaggedArticle(TaggedItemBase):
    """A tag on an article; a plain foreign key keeps tag queries to simple joins."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("稿件标签")
        verbose_name_plural = pgettext_lazy("plural", "稿件标签")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="articles_taggedarticle_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_object_id} · {self.tag_id}"


class ArticleAuthor(models.Model):
    """One person credited on one article, in byline order, with their role for it."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="credits",
    )
    author = models.ForeignKey(
        "articles.Author", verbose_name=_("作者"), on_delete=models.PROTECT, related_name="credits"
    )
    role = models.CharField(
        _("本稿身份"),
        max_length=20,
        choices=Role,
        blank=True,
        help_text=_("留空则使用作者的默认身份。"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("署名")
        verbose_name_plural = pgettext_lazy("plural", "署名")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="articles_articleauthor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_label()} {self.author.name}"

    def role_label(self) -> str:
        """Return the role as printed in the byline, always in the content language."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(Role(self.role or self.author.role).label)


class RelatedPick(models.Model):
    """An article an editor chose to show under another, in the editor's order."""

    from_article = models.ForeignKey(
        "articles.Article", verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="picks"
    )
    to_article = models.ForeignKey(
        "articles.Article", verbose_name=_("相关稿件"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("相关稿件")
        verbose_name_plural = pgettext_lazy("plural", "相关稿件")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="articles_relatedpick_once"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=F("to_article")), name="articles_relatedpick_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_article_id} → {self.to_article_id}"


class RelatedLink(models.Model):
    """An external page an editor links under an article."""

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("链接标题"), max_length=200)
    url = models.URLField(_("网址"), max_length=500, validators=[web_url_validator])
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("相关链接")
        verbose_name_plural = pgettext_lazy("plural", "相关链接")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """One entry of an article's 相关链接 as the page shows them: the editor's picks first,
    then the articles the site suggests.

    Worked out when the article goes live (search/related.py), so the article page only
    reads it; anything no longer public is filtered out when it is read.
    """

    from_article = models.ForeignKey(
        "articles.Article", verbose_name=_("稿件"), on_delete=models.CASCADE,
        related_name="suggestions",
    )  # fmt: skip
    to_article = models.ForeignKey(
        "articles.Article", verbose_name=_("推荐稿件"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    score = models.FloatField(_("相关度"), default=0)
    picked = models.BooleanField(_("编辑挑选"), default=False)

    class Meta:
        verbose_name = _("自动相关稿件")
        verbose_name_plural = pgettext_lazy("plural", "自动相关稿件")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="articles_suggestion_once"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=F("to_article")), name="articles_suggestion_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_article_id} → {self.to_article_id}"
