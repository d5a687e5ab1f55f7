"""Walk the audit chain; exit non-zero naming the first entry that does not add up."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.chain import verify


class Command(BaseCommand):
    help = "检查审计日志的摘要链是否完整（任何修改、删除或调换顺序都会被发现）。"

    def handle(self, *args, **options) -> None:
        walk = verify()
        if walk.broken is not None:
            raise CommandError(
                _("审计日志在第 %(sequence)d 条处断开：%(reason)s（此前 %(checked)d 条完好）")
                % {
                    "sequence": walk.broken.sequence,
                    "reason": walk.broken.reason,
                    "checked": walk.checked,
                }
            )
        self.stdout.write(
            _("审计日志完好：共检查 %(checked)d 条，链尾摘要 %(digest)s")
            % {"checked": walk.checked, "digest": walk.last_digest or "-"}
        )
