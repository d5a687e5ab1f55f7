"""Remove audit entries older than a date, never younger than the retention period."""

from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.chain import PruneRefused, prune

RETENTION_DAYS = 183  # at least six months


class Command(BaseCommand):
    help = "删除指定日期（北京时间零点）之前的审计记录；至少保留最近 6 个月。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", required=True, help="日期，格式 YYYY-MM-DD")

    def handle(self, *args, before: str, **options) -> None:
        try:
            day = date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(_("日期格式不正确，应为 YYYY-MM-DD：%s") % before) from error
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        earliest_allowed = timezone.now() - timedelta(days=RETENTION_DAYS)
        if cutoff > earliest_allowed:
            raise CommandError(
                _("审计记录至少保留 %(days)d 天：只能清理 %(date)s 之前的记录。")
                % {"days": RETENTION_DAYS, "date": timezone.localdate(earliest_allowed)}
            )
        try:
            removed = prune(cutoff)
        except PruneRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(_("已清理 %(count)d 条审计记录。") % {"count": removed})
