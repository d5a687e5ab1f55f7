"""Error reports in the database, and the task that mails them to the admins.

Each group (exception type + place) is one ErrorReport row with a count. The admins get
at most one mail per group per NEWSROOM_ERROR_MAIL_SECONDS, one mail for all groups due;
a mail that fails (SMTP refusing, hanging, down) leaves the counts unsent and the task is
retried, so a report is never lost to a mail outage and never takes the worker down.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.errorreports import Pending, give_back, take
from ops.models import ErrorReport
from ops.tasks import retried

logger = logging.getLogger("newsroom.errorreports")

# Most groups listed in one mail, the most frequent first.
GROUPS_PER_MAIL = 20


def write_reports() -> bool:
    """Fold this process's pending counts into the database; False if some were kept back."""
    batch = take()
    try:
        while batch:
            key, entry = next(iter(batch.items()))
            save_group(key, entry)
            del batch[key]
        queue_mail_if_due()
    except Exception as error:
        give_back(batch)
        logger.warning("Error reports not written yet (%s); kept in memory", error)
        return False
    return True


def save_group(key: str, entry: Pending) -> None:
    """Add a pending group's count to its row, making the row the first time."""
    grown = ErrorReport.objects.filter(key=key).update(
        count=F("count") + entry.count,
        unsent=F("unsent") + entry.count,
        last_seen=entry.last_seen,
    )
    if grown:
        return
    try:
        with transaction.atomic():
            ErrorReport.objects.create(
                key=key,
                kind=entry.kind[:200],
                location=entry.location[:300],
                message=entry.message,
                detail=entry.detail,
                count=entry.count,
                unsent=entry.count,
                first_seen=entry.first_seen,
                last_seen=entry.last_seen,
            )
    except IntegrityError:  # another process made the row meanwhile
        save_group(key, entry)


def queue_mail_if_due() -> None:
    """Queue one mail for the groups with unsent counts not queued within the interval."""
    if not settings.ADMINS:
        return
    now = timezone.now()
    since = now - timedelta(seconds=settings.NEWSROOM_ERROR_MAIL_SECONDS)
    due = ErrorReport.objects.filter(unsent__gt=0).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lte=since)
    )
    if due.update(queued_at=now):
        mail_error_reports.enqueue()


@retried(max_attempts=5, backoff_seconds=60)
@task()
def mail_error_reports() -> int:
    """Mail the admins every queued group's count since its last mail; return the groups."""
    groups = list(
        ErrorReport.objects.filter(unsent__gt=0, queued_at__isnull=False).order_by("-unsent")
    )
    if not groups:
        return 0
    shown = groups[:GROUPS_PER_MAIL]
    total = sum(group.unsent for group in groups)
    subject = _("错误报告：%(groups)d 类错误，共 %(total)d 次") % {
        "groups": len(groups),
        "total": total,
    }
    # Raises when SMTP fails: the task is retried and the counts stay unsent.
    mail_admins(subject, mail_body(shown, len(groups) - len(shown)), fail_silently=False)
    now = timezone.now()
    for group in groups:
        ErrorReport.objects.filter(pk=group.pk).update(
            unsent=F("unsent") - group.unsent, mailed_at=now
        )
    return len(groups)


def mail_body(groups: list[ErrorReport], left_out: int) -> str:
    """Plain text: each group's count, where it happened and its first traceback."""
    parts = []
    for group in groups:
        parts.append(
            _("%(kind)s：%(count)d 次（累计 %(total)d 次），位置 %(location)s")
            % {
                "kind": group.kind,
                "count": group.unsent,
                "total": group.count,
                "location": group.location,
            }
            + f"\n{group.message}\n\n{group.detail[:4000]}"
        )
    if left_out:
        parts.append(
            _("另有 %(count)d 类错误未列出，见管理后台的错误报告。") % {"count": left_out}
        )
    return "\n\n" + ("\n\n" + "-" * 60 + "\n\n").join(parts)
