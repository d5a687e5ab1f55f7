"""Retries for background tasks run by the database worker (manage.py db_worker).

A task opts in with ``@retried(...)`` above ``@task()``. When an attempt fails, its
row goes back to the queue with the error kept (so the admin shows why) and a later
``run_after``, waiting twice as long each time; after the last attempt it stays failed.
Tasks that opt in must be idempotent: an attempt may have done part of its work.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task, TaskResult, TaskResultStatus
from django.utils import timezone

logger = logging.getLogger("newsroom.tasks")


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
    """Put a failed attempt of a retried task back in the database queue, if tries remain."""
    from django_tasks_db.models import DBTaskResult

    policy = RETRY_POLICIES.get(task_result.task.module_path)
    row = getattr(task_result, "db_result", None)
    if task_result.status != TaskResultStatus.FAILED or policy is None or row is None:
        return
    attempt = task_result.attempts
    if attempt >= policy.max_attempts:
        logger.error(
            "Task %s failed for good after %d attempts",
            task_result.task.name,
            attempt,
            extra={"task_id": task_result.id},
        )
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
