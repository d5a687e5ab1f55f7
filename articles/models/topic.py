"""Special topics (专题): an introduction, a lead image and curated sections of articles."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.slugs import pinyin_slug, usable_slug


class TopicQuerySet(models.QuerySet):
    def current(self) -> "TopicQuerySet":
        """Return the topics the desk is running now, for the home page."""
        return self.filter(is_current=True)


class Topic(models.Model):
    title = models.CharField(_("专题名称"), max_length=100)
    slug = models.SlugField(
        _("网址别名"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_("专题网址中的拉丁字母部分；留空则按名称的拼音自动生成。"),
    )
    intro = models.TextField(_("导语"), blank=True)
    lead_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("题图"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_current = models.BooleanField(
        _("正在进行"), default=True, help_text=_("正在进行的专题显示在首页。")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = pgettext_lazy("plural", "专题")
        ordering = ["position", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            others = type(self).objects.exclude(pk=self.pk)
            self.slug = usable_slug(
                pinyin_slug(self.title),
                fallback="topic",
                taken=lambda slug: others.filter(slug=slug).exists(),
                max_length=self._meta.get_field("slug").max_length,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", kwargs={"slug": self.slug})


class TopicSection(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("版块名称"), max_length=60)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专题版块")
        verbose_name_plural = pgettext_lazy("plural", "专题版块")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.title}"


class TopicEntry(models.Model):
    section = models.ForeignKey(
        TopicSection, verbose_name=_("版块"), on_delete=models.CASCADE, related_name="entries"
    )
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专题稿件")
        verbose_name_plural = pgettext_lazy("plural", "专题稿件")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "article"], name="articles_topicentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.section} · {self.article_id}"
