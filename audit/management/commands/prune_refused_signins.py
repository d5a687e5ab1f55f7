"""Remove counts of refused sign-ins older than NEWSROOM_SIGNIN_REFUSALS_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.refusals import prune_refusals


class Command(BaseCommand):
    help = "删除超过保留期（NEWSROOM_SIGNIN_REFUSALS_DAYS 天）的登录失败统计。"

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - timedelta(days=settings.NEWSROOM_SIGNIN_REFUSALS_DAYS)
        removed = prune_refusals(cutoff)
        self.stdout.write(_("已清理 %(count)d 条登录失败统计。") % {"count": removed})
