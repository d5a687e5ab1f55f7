"""Photos in the media library, with caption, credit and their public copies."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from articles.querysets import ImageQuerySet
from articles.storage import originals

if TYPE_CHECKING:
    from articles.models import Article

unit_interval = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(models.Model):
    # The original as uploaded: private storage, named by its content's fingerprint.
    file = models.FileField(_("原图"), storage=originals, upload_to="originals/", max_length=200)
    sha256 = models.CharField(
        _("原图指纹"), max_length=64, default="", editable=False, db_index=True
    )
    format = models.CharField(_("格式"), max_length=10, default="", editable=False, blank=True)
    caption = models.CharField(
        _("图片说明"), max_length=300, blank=True, help_text=_("显示在图片下方。")
    )
    credit = models.CharField(
        _("摄影/来源"), max_length=100, blank=True, help_text=_("摄影者姓名或图片来源。")
    )
    alt_text = models.CharField(
        _("替代文字"),
        max_length=200,
        blank=True,
        help_text=_("为看不到图片的读者简述画面内容；用于已发布稿件的图片必须填写。"),
    )
    watermark = models.BooleanField(
        _("加水印"),
        default=True,
        help_text=_("合作方提供的图片可取消勾选，公开图片将不加本站水印。"),
    )
    focal_x = models.FloatField(_("焦点横向位置"), default=0.5, validators=unit_interval)
    focal_y = models.FloatField(_("焦点纵向位置"), default=0.5, validators=unit_interval)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True, editable=False)
    camera = models.CharField(_("相机"), max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    width = models.PositiveIntegerField(_("宽度"), default=0, editable=False)
    height = models.PositiveIntegerField(_("高度"), default=0, editable=False)
    # Public copies: [{"kind", "width", "height", "format", "marked", "name"}], all or none.
    renditions = models.JSONField(_("公开图片"), default=list, blank=True, editable=False)
    rendered_with = models.CharField(max_length=64, blank=True, editable=False)
    # Why the copies could not be drawn (photos.photos.rendering_given_up); empty once drawn.
    problem = models.TextField(_("处理问题"), blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = pgettext_lazy("plural", "图片")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(F("uploaded_at").desc(), F("id").desc(), name="articles_image_newest_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="articles_image_focal_point_inside",
            ),
        ]
        permissions = [("change_any_image", _("修改任何图片，包括已发布稿件中的图片"))]

    def __str__(self) -> str:
        return self.caption or gettext("图片 %(number)s") % {"number": self.pk}

    @property
    def is_ready(self) -> bool:
        """Whether every public copy exists; until then the photo is shown nowhere."""
        return bool(self.renditions)

    def caption_with_credit(self) -> str:
        """Return the caption as printed under the photo: 说明（摄影：某某）."""
        # Part of the published text, so always in the content language, not the UI's.
        return f"{self.caption}（摄影：{self.credit}）" if self.credit else self.caption

    def uses(self) -> "QuerySet[Article]":
        """Return the articles that show this photo: as cover, in the body or in a set."""
        from articles.models import Article

        in_body = Q(body__contains=f'data-photo="{self.pk}"')
        return Article.objects.filter(
            Q(cover_image=self) | in_body | Q(gallery_items__image=self)
        ).distinct()

    def copies(self, kind: str = "full", fmt: str = "jpeg") -> list[dict]:
        """Return the public copies of one kind and format, narrowest first."""
        found = [r for r in self.renditions if r["kind"] == kind and r["format"] == fmt]
        return sorted(found, key=lambda r: r["width"])


class GalleryPhoto(models.Model):
    """One photo of a photo set (组图), in the editor's order, with its caption for it."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="gallery_items",
    )
    image = models.ForeignKey(
        Image, verbose_name=_("图片"), on_delete=models.PROTECT, related_name="gallery_uses"
    )
    caption = models.CharField(
        _("本组说明"),
        max_length=300,
        blank=True,
        help_text=_("只用于这一组图；留空则用图库中的说明和摄影者。"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("组图照片")
        verbose_name_plural = pgettext_lazy("plural", "组图照片")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "image"], name="articles_galleryphoto_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} · {self.position} · {self.image_id}"

    def caption_text(self) -> str:
        """This use's caption, else the library's caption with its credit."""
        return self.caption or self.image.caption_with_credit()
