"""Refused sign-ins: counted per account and address, and slowing down a guessing address.

Every refused try (a wrong password, a locked pair, a try made too soon) adds one to the
RefusedSignIn row of its account and address for the current interval, at most one row
per pair per NEWSROOM_SIGNIN_AUDIT_SECONDS. An address whose refused tries in the last
NEWSROOM_SIGNIN_SLOW_WINDOW_SECONDS reach NEWSROOM_SIGNIN_FREE_TRIES must wait before its
next try, twice as long after each further one, up to NEWSROOM_SIGNIN_MAX_WAIT_SECONDS:
the answer is an immediate refusal, so a guesser never holds a worker.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Max, Sum
from django.utils import timezone

from audit.models import RefusedSignIn


def current(username: str, address: str | None, now: datetime):
    """This pair's rows for the interval running now."""
    since = now - timedelta(seconds=settings.NEWSROOM_SIGNIN_AUDIT_SECONDS)
    return RefusedSignIn.objects.filter(username=username, address=address, first_at__gte=since)


def count_refusal(username: str, address: str | None) -> None:
    """Add one refused try to the pair's row for this interval, making it if needed."""
    now = timezone.now()
    if not current(username, address, now).update(tries=F("tries") + 1, last_at=now):
        RefusedSignIn.objects.create(
            username=username, address=address, first_at=now, last_at=now, tries=1
        )


def mark_locked(username: str, address: str | None) -> bool:
    """Flag the pair's row as locked; True only the first time in the interval."""
    now = timezone.now()
    rows = current(username, address, now)
    if rows.filter(locked=False).update(locked=True, last_at=now):
        return True
    if rows.exists():
        return False
    RefusedSignIn.objects.create(
        username=username, address=address, first_at=now, last_at=now, locked=True
    )
    return True


def wait_for(address: str | None) -> int:
    """Seconds the address must still wait before its next try (0: it may try now)."""
    if address is None:
        return 0
    now = timezone.now()
    window = now - timedelta(seconds=settings.NEWSROOM_SIGNIN_SLOW_WINDOW_SECONDS)
    recent = RefusedSignIn.objects.filter(address=address, last_at__gte=window).aggregate(
        tries=Sum("tries"), last=Max("last_at")
    )
    extra = (recent["tries"] or 0) - settings.NEWSROOM_SIGNIN_FREE_TRIES
    if extra < 0:
        return 0
    delay = min(2**extra, settings.NEWSROOM_SIGNIN_MAX_WAIT_SECONDS)
    remaining = (recent["last"] + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def prune_refusals(before: datetime) -> int:
    """Delete the counts of refused sign-ins last seen before ``before``."""
    removed, _counts = RefusedSignIn.objects.filter(last_at__lt=before).delete()
    return removed
