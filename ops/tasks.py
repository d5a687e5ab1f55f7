"""Retries and leases for background tasks run by the database worker (manage.py worker).

A task opts in with ``@retried(...)`` above ``@task()``. When an attempt fails, its
row goes back to the queue with the error kept (so the admin shows why) and a later
``run_after``, waiting twice as long each time; after the last attempt it stays failed.
Tasks that opt in must be idempotent: an attempt may have done part of its work.

Every task also holds a lease from the moment a worker claims it: TASKS_LEASE_SECONDS, or
its own given with ``@leased(...)``. A row still running past its lease belongs to a
worker that died (killed, out of memory, its machine gone): ``requeue_expired`` puts it
back in the queue, or fails it once its attempts are spent. So every task must be safe to
run twice, and its lease longer than any run of it.

A task that will not run again without having succeeded (it raised and has no tries left,
or its last worker died) sends ``task_given_up`` once committed, so the app whose thing
waits on it (a video 处理中) can say it failed instead of leaving it waiting for ever.
"""

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.tasks import Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("newsroom.tasks")

# Sent with task_path, args, kwargs and abandoned (True when its worker died, False when
# it raised) once a task has failed for good.
task_given_up = Signal()


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: float

    def delay(self, attempt: int) -> timedelta:
        """Return the wait after failed attempt number ``attempt`` (1, 2, ...)."""
        return timedelta(seconds=self.backoff_seconds * 2 ** (attempt - 1))


RETRY_POLICIES: dict[str, RetryPolicy] = {}


def retried(*, max_attempts: int = 5, backoff_seconds: float = 10):
    """Retry the task up to ``max_attempts`` runs in all, with exponential backoff."""

    def register(task: Task) -> Task:
        RETRY_POLICIES[task.module_path] = RetryPolicy(max_attempts, backoff_seconds)
        return task

    return register


def retry_failed_task(sender: type, task_result: TaskResult, **kwargs) -> None:
    """Put a failed attempt of a retried task back in the database queue, if tries remain;
    otherwise the task has failed for good."""
    from django_tasks_db.models import DBTaskResult

    if task_result.status != TaskResultStatus.FAILED:
        return
    policy = RETRY_POLICIES.get(task_result.task.module_path)
    row = getattr(task_result, "db_result", None)
    attempt = task_result.attempts
    if policy is None or row is None or attempt >= policy.max_attempts:
        if policy is not None:
            logger.error(
                "Task %s failed for good after %d attempts",
                task_result.task.name,
                attempt,
                extra={"task_id": task_result.id},
            )
        give_up(task_result.task.module_path, task_result.args, task_result.kwargs)
        return
    delay = policy.delay(attempt)
    DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now() + delay, finished_at=None
    )
    logger.warning(
        "Task %s failed (attempt %d of %d); retrying in %d s",
        task_result.task.name,
        attempt,
        policy.max_attempts,
        delay.total_seconds(),
        extra={"task_id": task_result.id},
    )


def give_up(task_path: str, args: list, kwargs: dict, *, abandoned: bool = False) -> None:
    """Tell whoever waits on this task that it will not run again, once committed."""
    transaction.on_commit(
        lambda: task_given_up.send(
            sender=None, task_path=task_path, args=args, kwargs=kwargs, abandoned=abandoned
        )
    )


LEASES: dict[str, Callable[[], float]] = {}


def leased(seconds: Callable[[], float]):
    """Give the task a lease of ``seconds()`` (read at each check) instead of the default."""

    def register(task: Task) -> Task:
        LEASES[task.module_path] = seconds
        return task

    return register


class TaskAbandoned(Exception):
    """The worker running the task stopped before finishing it."""


def load(task_path: str) -> None:
    """Import a task's module, which registers its lease and retries (if it still exists)."""
    with suppress(ImportError):
        import_string(task_path)


def lease_of(row) -> timedelta:
    """Return how long a claimed task may run before its worker is taken as dead."""
    load(row.task_path)
    seconds = LEASES.get(row.task_path)
    return timedelta(seconds=seconds() if seconds else settings.TASKS_LEASE_SECONDS)


def attempts_allowed(task_path: str) -> int:
    """Return how many runs a task gets in all, counting the ones its workers died in."""
    load(task_path)
    policy = RETRY_POLICIES.get(task_path)
    return policy.max_attempts if policy else settings.TASKS_MAX_ATTEMPTS


def requeue_expired(now: datetime | None = None) -> int:
    """Queue again (or fail, attempts spent) every task running past its lease; return how
    many rows changed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    changed = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=now):
        lease = lease_of(row)
        if row.started_at + lease <= now:
            changed += expire(
                row, f"no worker finished it within {lease.total_seconds():.0f} s", now
            )
    return changed


def requeue_left_by(worker_id: str, now: datetime | None = None) -> int:
    """Take back at once the tasks a worker of this id left running; return how many.

    Worker ids are unique (systemd names them host-instance), so the worker starting
    under one, or one starting over after losing its database, runs none of them.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    rows = DBTaskResult.objects.running()
    left = [row for row in rows if row.worker_ids[-1:] == [worker_id]]
    return sum(expire(row, f"its worker {worker_id} started over", now) for row in left)


def expire(row, why: str, now: datetime) -> int:
    """Take one row back from its dead worker, unless it moved on meanwhile."""
    from django_tasks_db.models import DBTaskResult

    # The same start and status: no other worker finished, requeued or re-claimed it since.
    same = DBTaskResult.objects.filter(pk=row.pk, status=row.status, started_at=row.started_at)
    attempt, allowed = len(row.worker_ids), attempts_allowed(row.task_path)
    if attempt < allowed:
        changed = same.update(status=TaskResultStatus.READY, run_after=now, finished_at=None)
        if changed:
            logger.warning(
                "Task %s abandoned: %s (attempt %d of %d); queued again",
                row.task_path, why, attempt, allowed,
                extra={"task_id": str(row.pk)},
            )  # fmt: skip
        return changed
    changed = same.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
        traceback=f"{TaskAbandoned.__qualname__}: {why} (attempt {attempt} of {allowed})\n",
    )
    if changed:
        logger.error(
            "Task %s abandoned on its last attempt (%d): %s; failed for good",
            row.task_path, attempt, why,
            extra={"task_id": str(row.pk)},
        )  # fmt: skip
        give_up(row.task_path, row.args_kwargs["args"], row.args_kwargs["kwargs"], abandoned=True)
    return changed
