"""What happened to an article: content revisions, review transitions and corrections."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Revision(models.Model):
    """A full snapshot of an article's content, stored at every save."""

    class Reason(models.TextChoices):
        SAVED = "saved", _("保存")
        PUBLISHED = "published", _("发布")
        RESTORED = "restored", _("恢复")
        EDITED_IN_REVIEW = "edited_in_review", _("审核中修改")
        IMAGES_FETCHED = "images_fetched", _("外链图片入库")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="revisions",
        help_text=_("公开的那篇稿件；修订稿的版本也记在它名下。"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("原因"), max_length=20, choices=Reason, default=Reason.SAVED)
    from_working_copy = models.BooleanField(_("来自修订稿"), default=False)
    content = models.JSONField(_("内容快照"))
    word_count = models.PositiveIntegerField(
        _("字数"),
        default=0,
        help_text=_("这一版正文的字数：连续的英文字母或数字算一个字，空白和标签不计。"),
    )

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = pgettext_lazy("plural", "版本")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="articles_revision_idx")]

    def __str__(self) -> str:
        return f"{self.content.get('title', '')} @ {self.created_at:%Y-%m-%d %H:%M}"


class Transition(models.Model):
    """One step of the review chain: who moved the article from which state to which."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("送审")
        APPROVE = "approve", _("审核通过")
        REJECT = "reject", _("退回")
        PUBLISH = "publish", _("发布")
        SCHEDULE = "schedule", _("定时发布")
        UNSCHEDULE = "unschedule", _("取消定时")
        WITHDRAW = "withdraw", _("撤稿")
        REOPEN = "reopen", _("恢复为草稿")
        REVISE = "revise", _("创建修订稿")
        CORRECT = "correct", _("直接更正")
        RETURN = "return", _("退回上一级")
        EDIT = "edit", _("审核中修改")
        HOLD = "hold", _("暂缓发布")
        RELEASE = "release", _("解除暂缓")
        KILL = "kill", _("撤销稿件")
        DISCARD = "discard", _("丢弃修订稿")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    on_working_copy = models.BooleanField(_("针对修订稿"), default=False)
    action = models.CharField(_("操作"), max_length=20, choices=Action)
    from_status = models.CharField(_("原状态"), max_length=20)
    to_status = models.CharField(_("新状态"), max_length=20)
    level = models.PositiveSmallIntegerField(_("审核级"), default=0)
    stage = models.CharField(_("审核环节"), max_length=20, blank=True)
    round = models.PositiveIntegerField(_("送审轮次"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    note = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = pgettext_lazy("plural", "审核记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["article", "round"], name="articles_transition_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} @ {self.at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A dated note at the end of a live article: what was corrected or updated."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正")
        UPDATE = "update", _("更新")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(_("说明"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("更正说明")
        verbose_name_plural = pgettext_lazy("plural", "更正说明")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
