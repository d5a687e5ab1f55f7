"""Questions operators ask of the task queue and the replicas, answered from the databases."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Count, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

LSN_NOW = "SELECT (pg_current_wal_lsn() - '0/0')::bigint"
REPLAY_STATE = (
    "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint, "
    "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
)


def stuck_tasks() -> Q:
    """Running for too long (its worker died), or ready for too long (no worker runs)."""
    limit = timezone.now() - timedelta(seconds=settings.TASKS_STUCK_AFTER_SECONDS)
    running_too_long = Q(status=TaskResultStatus.RUNNING, started_at__lt=limit)
    due_long_ago = Q(run_after__lt=limit) | Q(run_after=get_date_max(), enqueued_at__lt=limit)
    return running_too_long | Q(due_long_ago, status=TaskResultStatus.READY)


def task_counts() -> dict[str, int]:
    """How many tasks wait, run, are stuck, and failed in the last day (one query)."""
    now = timezone.now()
    return DBTaskResult.objects.using(DEFAULT_DB_ALIAS).aggregate(
        waiting=Count(
            "pk",
            filter=Q(status=TaskResultStatus.READY)
            & (Q(run_after__lte=now) | Q(run_after=get_date_max())),
        ),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        stuck=Count("pk", filter=stuck_tasks()),
        failed=Count(
            "pk",
            filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)),
        ),
    )


@dataclass(frozen=True)
class Lag:
    bytes: int
    seconds: float


def replica_lag(alias: str) -> Lag | None:
    """How far the replica is behind the primary; None if it cannot say (not a standby)."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(LSN_NOW)
            (primary,) = cursor.fetchone()
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLAY_STATE)
            replayed, seconds = cursor.fetchone()
    except DatabaseError:
        return None
    if replayed is None:
        return None
    return Lag(bytes=max(0, int(primary) - int(replayed)), seconds=float(seconds))
