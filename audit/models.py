"""The audit log: an append-only chain of entries, each sealed with the digest of the one
before it, so that an edited, deleted or reordered entry shows when the chain is walked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Audit entries are written once and never changed or deleted through the ORM."""


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted; prune_audit removes old ones")


class Entry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出登录")
        LOCKOUT = "lockout", _("登录锁定")
        USER_CREATED = "user_created", _("新建账号")
        USER_FLAGS = "user_flags", _("账号状态变更")
        USER_GROUPS = "user_groups", _("账号角色变更")
        USER_PERMISSIONS = "user_permissions", _("账号权限变更")
        GROUP_PERMISSIONS = "group_permissions", _("角色权限变更")
        TRANSITION = "transition", _("稿件流转")
        LIVE_PHOTO_CHANGED = "live_photo_changed", _("修改已发布稿件的图片")
        PREVIEW_SHARED = "preview_shared", _("分享预览链接")
        PREVIEW_REVOKED = "preview_revoked", _("收回预览链接")
        WORDS_RELEASED = "words_released", _("放行禁用词")
        PAGES_IMPORTED = "pages_imported", _("导入旧站稿件")
        BACKDATED = "backdated", _("补录首发时间")

    sequence = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    at = models.DateTimeField(_("时间"), editable=False)
    # No foreign-key constraint and no cascade: deleting an account must not touch the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action)
    # "app_label.model", not a foreign key: the log depends on no table it describes.
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["action", "-sequence"], name="audit_entry_action_idx"),
            models.Index(fields=["at"], name="audit_entry_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} {self.object_repr}".strip()

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted; prune_audit removes old ones")


class ChainHead(models.Model):
    """One row: the newest entry's number and digest, and where pruning left the chain."""

    last_sequence = models.PositiveBigIntegerField(_("最新序号"), default=0)
    last_digest = models.CharField(_("最新摘要"), max_length=64, blank=True)
    anchor_sequence = models.PositiveBigIntegerField(_("已清理至序号"), default=0)
    anchor_digest = models.CharField(_("已清理的最后一条摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_digest[:12]}"


class RefusedSignIn(models.Model):
    """Refused sign-ins of one account from one address within one interval, as a count.

    Kept outside the chain: a stranger hammering the sign-in page adds to a count, not
    rows the chain must keep for months, and these rows are pruned much sooner.
    """

    username = models.CharField(_("尝试的账号"), max_length=150)
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    first_at = models.DateTimeField(_("首次"))
    last_at = models.DateTimeField(_("最近"))
    tries = models.PositiveIntegerField(_("次数"), default=0)
    locked = models.BooleanField(_("已锁定"), default=False)

    class Meta:
        verbose_name = _("登录失败统计")
        verbose_name_plural = _("登录失败统计")
        ordering = ["-last_at"]
        indexes = [
            models.Index(fields=["address", "last_at"], name="audit_refused_address_idx"),
            models.Index(
                fields=["username", "address", "first_at"], name="audit_refused_pair_idx"
            ),
            models.Index(fields=["last_at"], name="audit_refused_last_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address or '-'} ×{self.tries}"
