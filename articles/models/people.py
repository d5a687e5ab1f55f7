"""People credited on articles: authors in bylines and editors responsible for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.querysets import AuthorQuerySet


class Role(models.TextChoices):
    """What a person did for a story, as printed in a byline."""

    REPORTER = "reporter", _("记者")
    CORRESPONDENT = "correspondent", _("通讯员")
    SPECIAL_REPORTER = "special_reporter", _("特约记者")
    INTERN = "intern", _("实习生")
    PHOTOGRAPHER = "photographer", _("摄影")


class Author(models.Model):
    name = models.CharField(_("姓名"), max_length=40)
    role = models.CharField(
        _("身份"),
        max_length=20,
        choices=Role,
        default=Role.CORRESPONDENT,
        help_text=_("署名时的默认身份，单篇稿件可以另行指定。"),
    )
    outlet = models.CharField(
        _("所属媒体"),
        max_length=40,
        blank=True,
        help_text=_("署名中身份前的媒体品牌，如“红岭时刻”；没有则留空。"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text=_("大多数通讯员没有系统账号，可以留空。"),
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = _("作者")
        verbose_name_plural = pgettext_lazy("plural", "作者")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"], name="articles_author_name_idx")]
        permissions = [("link_any_account", _("把作者关联到他人的系统账号"))]

    def __str__(self) -> str:
        return f"{self.name}（{self.outlet}{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"pk": self.pk})


class Editor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="editor_profile",
        help_text=_("只署名、不上系统的责任编辑可以留空；关联账号后，负责栏目限定其审稿范围。"),
    )
    display_name = models.CharField(
        _("署名"), max_length=40, help_text=_("稿件页“编辑”一栏显示的名字。")
    )
    channels = models.ManyToManyField(
        "articles.Channel",
        verbose_name=_("负责栏目"),
        blank=True,
        related_name="editors",
    )

    class Meta:
        verbose_name = _("编辑")
        verbose_name_plural = pgettext_lazy("plural", "编辑")
        ordering = ["display_name", "id"]
        permissions = [("assign_desk", _("指定编辑的系统账号和负责栏目"))]

    def __str__(self) -> str:
        return self.display_name
