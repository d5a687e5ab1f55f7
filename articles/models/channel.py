"""Channels (栏目): a shallow tree such as 县市区 → one sub-channel per county."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.querysets import ChannelQuerySet
from articles.slugs import pinyin_slug, usable_slug


class Channel(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("新闻")
        PHOTO = "photo", _("图片")
        VIDEO = "video", _("视频")
        TOPIC = "topic", _("专题")

    name = models.CharField(_("名称"), max_length=40)
    slug = models.SlugField(
        _("网址别名"),
        max_length=50,
        unique=True,
        blank=True,
        help_text=_("栏目网址中的拉丁字母部分；留空则按名称的拼音自动生成。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级栏目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("只支持两级：上级栏目本身不能再有上级。"),
    )
    position = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面。")
    )
    in_navigation = models.BooleanField(_("显示在导航中"), default=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.NEWS)
    description = models.TextField(_("简介"), blank=True)
    review_levels = models.PositiveSmallIntegerField(
        _("审核级数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("本栏目稿件需要经过几级审核（1–3）；留空则沿用上级栏目或全站设置。"),
    )

    show_reads = models.BooleanField(
        _("显示阅读量"),
        default=False,
        help_text=_("勾选后，本栏目稿件的标题下显示阅读量（每隔几分钟更新）。"),
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = pgettext_lazy("plural", "栏目")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="articles_channel_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(review_levels__isnull=True)
                | Q(review_levels__gte=1, review_levels__lte=3),
                name="articles_channel_review_levels_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            others = type(self).objects.exclude(pk=self.pk)
            self.slug = usable_slug(
                pinyin_slug(self.name),
                fallback="channel",
                taken=lambda slug: others.filter(slug=slug).exists(),
                max_length=self._meta.get_field("slug").max_length,
            )
        super().save(*args, **kwargs)
        # Articles keep their top-level channel (Article.section) for fast channel pages;
        # moving this channel under another one moves its articles' section with it.
        section = self.parent_id or self.pk
        self.articles.exclude(section_id=section).update(section_id=section)

    def get_absolute_url(self) -> str:
        return reverse("articles:channel", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Keep the tree two levels deep and free of loops."""
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("栏目不能做自己的上级。")})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("上级栏目必须是一级栏目。")})
        if self.pk and self.children.exists():
            raise ValidationError({"parent": _("已有下级栏目的栏目不能再设上级。")})

    def lineage(self) -> list["Channel"]:
        """Return the breadcrumb path to this channel, top-level channel first."""
        return [self.parent, self] if self.parent_id else [self]
