"""Articles (稿件) and what hangs off them: credits, tags, editor picks and external links."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.figures import EDITOR_PHOTO_PICKER, render_body
from articles.models.people import Role
from articles.querysets import ArticleQuerySet
from articles.sanitize import clean_body

# Links printed on public pages may only lead to web pages.
web_url_validator = URLValidator(schemes=["http", "https"])

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "Figure": True,
    "PhotoPicker": EDITOR_PHOTO_PICKER,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}


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


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Origin(models.TextChoices):
        ORIGINAL = "original", _("原创")
        REPRINT = "reprint", _("转载")

    # Headline block
    kicker = models.CharField(_("引题"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副题"), max_length=200, blank=True)
    summary = models.TextField(
        _("摘要"), blank=True, help_text=_("一两句话，用于列表、分享和搜索结果。")
    )
    body = ProseEditorField(
        _("正文"), extensions=BODY_EDITOR_EXTENSIONS, sanitize=clean_body, blank=True
    )
    # The body as readers get it, library photos drawn in (articles.figures.render_body).
    body_html = models.TextField(editable=False, blank=True)
    # Where it belongs
    channel = models.ForeignKey(
        "articles.Channel",
        verbose_name=_("栏目"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = TaggableManager(_("标签"), through=TaggedArticle, blank=True)
    # Who made it
    authors = models.ManyToManyField(
        "articles.Author",
        verbose_name=_("作者"),
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
    )
    byline_override = models.CharField(
        _("自定义署名"),
        max_length=200,
        blank=True,
        help_text=_("留空则由作者、身份、媒体和电头自动生成。"),
    )
    dateline = models.CharField(
        _("电头地点"), max_length=40, blank=True, help_text=_("如“湘西泸溪”，署名末尾加“报道”。")
    )
    editor = models.ForeignKey(
        "articles.Editor",
        verbose_name=_("责任编辑"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Provenance
    origin = models.CharField(
        _("原创/转载"), max_length=10, choices=Origin, default=Origin.ORIGINAL
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    original_outlet = models.CharField(_("原发媒体"), max_length=100, blank=True)
    original_author = models.CharField(_("原作者"), max_length=100, blank=True)
    original_title = models.CharField(_("原标题"), max_length=200, blank=True)
    original_url = models.URLField(
        _("原文链接"), max_length=500, blank=True, validators=[web_url_validator]
    )
    # Presentation
    cover_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("封面图"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_headline = models.BooleanField(_("头条"), default=False)
    is_pinned = models.BooleanField(_("置顶"), default=False)
    is_featured = models.BooleanField(_("推荐"), default=False)
    related_articles = models.ManyToManyField(
        "self",
        verbose_name=_("相关稿件"),
        through="RelatedPick",
        symmetrical=False,
        blank=True,
    )
    # Life cycle
    status = models.CharField(
        _("状态"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    first_published_at = models.DateTimeField(
        _("首发时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("首次发布时写入，之后不再改变；稿件网址由它生成。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = pgettext_lazy("plural", "稿件")
        ordering = ["-first_published_at", "-id"]
        indexes = [
            models.Index(
                F("status"),
                F("first_published_at").desc(),
                F("id").desc(),
                name="articles_article_newest_idx",
            ),
            models.Index(
                F("channel"),
                F("status"),
                F("first_published_at").desc(),
                F("id").desc(),
                name="articles_article_channel_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_published_at__isnull=False),
                name="articles_article_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The editor sanitises form input; this catches every other way in.
        self.body = clean_body(self.body)
        self.body_html = render_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Return the permanent URL: first-publish date (Beijing time) and id."""
        if self.first_published_at is None:
            raise ValueError("An article has no public URL before its first publication.")
        day = timezone.localtime(self.first_published_at)
        return reverse(
            "articles:article",
            kwargs={"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}", "pk": self.pk},
        )

    def clean(self) -> None:
        """A reprint names the outlet it was taken from."""
        if self.origin == self.Origin.REPRINT and not self.original_outlet:
            raise ValidationError({"original_outlet": _("转载稿件必须注明原发媒体。")})

    def publish(self, *, by=None) -> None:
        """Make the article public; its first-publish time (and so its URL) is set once."""
        from articles.photos import images_missing_alt_text  # it reads the photo library

        if missing := images_missing_alt_text(self):
            names = "、".join(str(image) for image in missing)
            message = _("以下图片缺少替代文字，补全后才能发布：%(photos)s")
            raise ValidationError(message % {"photos": names}, code="alt_text_missing")
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            locked.status = self.Status.PUBLISHED
            locked.first_published_at = locked.first_published_at or timezone.now()
            locked.save(update_fields=["status", "first_published_at", "updated_at"])
        self.status, self.first_published_at = locked.status, locked.first_published_at

    def unpublish(self, *, by=None) -> None:
        """Take the article back to draft; its URL is kept for when it returns."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            locked.status = self.Status.DRAFT
            locked.save(update_fields=["status", "updated_at"])
        self.status = locked.status

    def credit_groups(self) -> list[tuple[str, str, list[str]]]:
        """Group consecutive credits sharing outlet and role: [(outlet, role, [names])]."""
        groups: list[tuple[str, str, list[str]]] = []
        for credit in self.credits.all():
            outlet, role = credit.author.outlet, credit.role_label()
            if groups and groups[-1][:2] == (outlet, role):
                groups[-1][2].append(credit.author.name)
            else:
                groups.append((outlet, role, [credit.author.name]))
        return groups

    def byline(self) -> str:
        """Return the byline: 红岭时刻记者 甲 通讯员 乙 丙 湘西泸溪报道 (or the override)."""
        if self.byline_override:
            return self.byline_override
        pieces, previous_outlet = [], None
        for outlet, role, names in self.credit_groups():
            prefix = role if outlet == previous_outlet else f"{outlet}{role}"
            pieces.append(f"{prefix} {' '.join(names)}")
            previous_outlet = outlet
        if self.dateline:
            pieces.append(f"{self.dateline}报道")
        return " ".join(pieces)

    def author_names(self) -> list[str]:
        return [credit.author.name for credit in self.credits.all()]


class ArticleAuthor(models.Model):
    """One person credited on one article, in byline order, with their role for it."""

    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="credits"
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
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="picks"
    )
    to_article = models.ForeignKey(
        Article, verbose_name=_("相关稿件"), on_delete=models.CASCADE, related_name="+"
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
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="links"
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
