"""Articles (稿件): their content, where they are filed and where they stand in review."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.editor import EDITOR_PASTE, EDITOR_VIDEO_PICKER, EDITOR_WORD_COUNT
from articles.figures import EDITOR_PHOTO_PICKER, render_body
from articles.models.relations import TaggedArticle, web_url_validator
from articles.querysets import ArticleQuerySet
from articles.sanitize import clean_body
from articles.transitions import Status, carry_out, stage_of

if TYPE_CHECKING:
    from articles.pageparts import PageParts

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
    "VideoPicker": EDITOR_VIDEO_PICKER,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "DeskLabels": True,
    "DeskPaste": EDITOR_PASTE,
    "WordCount": EDITOR_WORD_COUNT,
}


def permanent_url_values(pk: int, published: datetime) -> dict[str, str]:
    """The values of an article's permanent URL: its first-publish date (as ``published``
    reads in Beijing time, the current time zone) and its id."""
    year, month, day = f"{published:%Y %m %d}".split()
    return {"year": year, "month": month, "day": day, "pk": str(pk)}


class Article(models.Model):
    Status = Status

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
    section = models.ForeignKey(
        "articles.Channel",
        verbose_name=_("一级栏目"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="section_articles",
        help_text=_("稿件所在的一级栏目（栏目本身或其上级），由栏目自动得出。"),
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
    related_articles = models.ManyToManyField(
        "self",
        verbose_name=_("相关稿件"),
        through="RelatedPick",
        symmetrical=False,
        blank=True,
    )
    expire_at = models.DateTimeField(
        _("下线时间"),
        null=True,
        blank=True,
        help_text=_("公示类稿件的公示期截止时间，到时自动从网站撤下；留空则长期有效。"),
    )
    # Life cycle: changed only by the transitions (articles/transitions.py)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    review_level = models.PositiveSmallIntegerField(
        _("审核级"),
        default=0,
        editable=False,
        validators=[MaxValueValidator(3)],
        help_text=_("审核中的稿件当前所处的审核级（1 起）。"),
    )
    review_round = models.PositiveIntegerField(_("送审轮次"), default=0, editable=False)
    return_note = models.TextField(_("退回意见"), blank=True, editable=False)
    on_hold = models.BooleanField(
        _("暂缓发布"),
        default=False,
        editable=False,
        help_text=_("终审通过的稿件暂缓发布：解除暂缓前不能发布。"),
    )
    hold_reason = models.TextField(_("暂缓原因"), blank=True, editable=False)
    kill_reason = models.TextField(_("撤销原因"), blank=True, editable=False)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("修订的稿件"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_copies",
        help_text=_("已发布稿件的修订稿：走完审核流程后替换线上版本。"),
    )
    first_published_at = models.DateTimeField(
        _("首发时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("首次发布时写入，之后不再改变；稿件网址由它生成。"),
    )
    revised_at = models.DateTimeField(
        _("更新时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("修订稿最近一次替换线上内容的时间。"),
    )
    withdrawn_at = models.DateTimeField(_("撤稿时间"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("撤稿原因"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Raised by every save: a form or button rendered at an older version is stale
    # (desk/conflicts.py refuses what it posts).
    edit_version = models.PositiveIntegerField(_("编辑版本"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = pgettext_lazy("plural", "稿件")
        ordering = ["-first_published_at", "-id"]
        permissions = [
            ("review_first", _("初审稿件")),
            ("review_second", _("复审稿件")),
            ("review_final", _("终审稿件")),
            ("publish_article", _("发布或定时发布稿件")),
            ("withdraw_article", _("撤稿")),
            ("edit_any_draft", _("修改他人的草稿")),
            ("backdate_article", _("补录过去的首发时间")),
        ]
        # Newest-first lists filtered by the published() rule; expire_at rides along so
        # that PostgreSQL can answer the rule from the index alone when paging.
        indexes = [
            models.Index(
                fields=["status", "-first_published_at", "-id"],
                include=["expire_at"],
                name="articles_article_newest_idx",
            ),
            models.Index(
                fields=["channel", "status", "-first_published_at", "-id"],
                include=["expire_at"],
                name="articles_article_channel_idx",
            ),
            models.Index(
                fields=["section", "status", "-first_published_at", "-id"],
                include=["expire_at"],
                name="articles_article_section_idx",
            ),
            models.Index(fields=["status", "review_level"], name="articles_article_review_idx"),
            # The next expiry (delivery/freshness.py) without reading every live article.
            models.Index(
                fields=["expire_at"],
                condition=Q(expire_at__isnull=False),
                name="articles_article_expiring_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.KILLED]
                )
                | Q(first_published_at__isnull=False),
                name="articles_article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(on_hold=False) | Q(status=Status.APPROVED),
                name="articles_article_held_only_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.IN_REVIEW, review_level__gte=1, review_level__lte=3)
                | (~Q(status=Status.IN_REVIEW) & Q(review_level=0)),
                name="articles_article_review_level_in_range",
            ),
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True)
                | Q(status__in=[Status.DRAFT, Status.IN_REVIEW, Status.APPROVED]),
                name="articles_article_working_copy_never_public",
            ),
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=Q(revision_of__isnull=False),
                name="articles_article_one_working_copy",
            ),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(first_published_at__isnull=True)
                | Q(expire_at__gt=F("first_published_at")),
                name="articles_article_expires_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Derive the fields that follow from others: only when those others are saved."""
        update_fields = kwargs.get("update_fields")
        derived = []
        if update_fields is None or "body" in update_fields:
            # The editor sanitises form input; this catches every other way in.
            self.body = clean_body(self.body)
            self.body_html = render_body(self.body)
            derived.append("body_html")
        if update_fields is None or "channel" in update_fields:
            self.section_id = self.channel.parent_id or self.channel_id
            derived.append("section")
        if not self._state.adding:
            # Counted in the database (and read back on saving), whatever this object saw.
            self.edit_version = F("edit_version") + 1
            derived.append("edit_version")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Return the permanent URL: first-publish date (Beijing time) and id."""
        if self.first_published_at is None:
            raise ValueError("An article has no public URL before its first publication.")
        local = timezone.localtime(self.first_published_at)
        return reverse("articles:article", kwargs=permanent_url_values(self.pk, local))

    def clean(self) -> None:
        """A reprint names the outlet it was taken from; a notice expires after it appears."""
        if self.origin == self.Origin.REPRINT and not self.original_outlet:
            raise ValidationError({"original_outlet": _("转载稿件必须注明原发媒体。")})
        if (
            self.expire_at
            and self.first_published_at
            and self.expire_at <= self.first_published_at
        ):
            raise ValidationError({"expire_at": _("下线时间必须晚于首发时间。")})

    # --- Where the article stands ---------------------------------------------------------

    @property
    def live_article(self) -> "Article":
        """The public article this row stands for: itself, or the one it revises."""
        return self.revision_of if self.revision_of_id else self

    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.first_published_at > timezone.now()

    def has_been_public(self) -> bool:
        """True once the article has appeared: its URL is then fixed for ever."""
        return self.first_published_at is not None and self.first_published_at <= timezone.now()

    def state_label(self) -> str:
        """The status as an editor reads it: 定时发布, 初审中, 已过期 ..."""
        if self.status == self.Status.IN_REVIEW:
            return _("%(stage)s中") % {"stage": stage_of(self).name}
        if self.status == self.Status.PUBLISHED:
            if self.is_scheduled():
                return str(_("定时发布"))
            if self.expire_at and self.expire_at <= timezone.now():
                return str(_("已过期下线"))
        if self.status == self.Status.DRAFT and self.return_note:
            return str(_("已退回"))
        if self.status == self.Status.APPROVED and self.on_hold:
            return str(_("暂缓发布"))
        return str(self.get_status_display())

    # --- Transitions: the table is articles/transitions.py, the rules the desk's -----------

    def submit(self, *, by) -> None:
        carry_out("submit", self, by=by)

    def approve(self, *, by, note: str = "") -> None:
        carry_out("approve", self, by=by, note=note)

    def reject(self, *, by, note: str) -> None:
        carry_out("reject", self, by=by, note=note)

    def return_down(self, *, by, note: str) -> None:
        carry_out("return_down", self, by=by, note=note)

    def hold(self, *, by, note: str = "") -> None:
        carry_out("hold", self, by=by, note=note)

    def release(self, *, by) -> None:
        carry_out("release", self, by=by)

    def kill(self, *, by, note: str) -> None:
        carry_out("kill", self, by=by, note=note)

    def discard(self, *, by) -> None:
        carry_out("discard", self, by=by)

    def publish(self, *, by, at=None, note: str = "", kind: str = "correction") -> "Article":
        return carry_out("publish", self, by=by, at=at, note=note, kind=kind)

    def unschedule(self, *, by) -> None:
        carry_out("unschedule", self, by=by)

    def withdraw(self, *, by, note: str) -> None:
        carry_out("withdraw", self, by=by, note=note)

    def reopen(self, *, by) -> None:
        carry_out("reopen", self, by=by)

    def start_revision(self, *, by) -> "Article":
        return carry_out("start_revision", self, by=by)

    def correct_directly(self, *, by, note: str, kind: str = "correction") -> "Article":
        return carry_out("correct_directly", self, by=by, note=note, kind=kind)

    def can_be_edited_by(self, user) -> bool:
        return carry_out("can_edit", self, user)

    # --- What the page shows, each read once per article object (page fragments that
    # are already cached never read them) -------------------------------------------------

    def _loaded(self, relation: str) -> list:
        """A relation's rows: prefetched ones if a list view loaded them, else the page's
        tags, credits and corrections, all three read in one query."""
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return list(getattr(self, relation).all())
        return getattr(self._page_parts, relation)

    @cached_property
    def _page_parts(self) -> "PageParts":
        from articles import pageparts

        return pageparts.read(self.pk)

    @cached_property
    def tag_list(self) -> list:
        return self._loaded("tags")

    @cached_property
    def credit_list(self) -> list:
        return self._loaded("credits")

    @cached_property
    def link_list(self) -> list:
        # The article page sets it from its surroundings; elsewhere, prefetched or read.
        return list(self.links.all())

    @cached_property
    def correction_list(self) -> list:
        return self._loaded("corrections")

    # --- Byline -----------------------------------------------------------------------------

    def credit_groups(self) -> list[tuple[str, str, list[str]]]:
        """Group consecutive credits sharing outlet and role: [(outlet, role, [names])]."""
        groups: list[tuple[str, str, list[str]]] = []
        for credit in self.credit_list:
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
        return [credit.author.name for credit in self.credit_list]
