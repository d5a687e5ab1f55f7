"""Task leases: a task whose worker died is queued again, or failed once its tries are spent."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from delivery.edge import purge_edge_caches
from ops.tasks import expire, lease_of, requeue_expired, requeue_left_by, task_given_up
from photos.tasks import render_photo
from tests.factories import ImageFactory
from videos.models import Video
from videos.tasks import transcode_video

pytestmark = pytest.mark.django_db

STARTED = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def running(task, attempts: int = 1, args: tuple = (1,)) -> DBTaskResult:
    """A row claimed at STARTED by the last of ``attempts`` workers, as db_worker leaves it."""
    return DBTaskResult.objects.create(
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        started_at=STARTED,
        worker_ids=[f"worker-{n}" for n in range(attempts)],
    )


def requeue_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return requeue_expired()


def test_a_task_is_left_to_its_worker_until_its_lease_ends(settings):
    settings.TASKS_LEASE_SECONDS = 600
    row = running(render_photo)

    changed = requeue_at(STARTED + timedelta(seconds=599))

    row.refresh_from_db()
    assert (changed, row.status) == (0, TaskResultStatus.RUNNING)


def test_a_task_running_past_its_lease_is_queued_again_at_once(settings):
    settings.TASKS_LEASE_SECONDS = 600
    row = running(render_photo)
    now = STARTED + timedelta(seconds=601)

    changed = requeue_at(now)

    row.refresh_from_db()
    assert (changed, row.status, row.run_after) == (1, TaskResultStatus.READY, now)
    assert DBTaskResult.objects.ready().get() == row
    assert row.worker_ids == ["worker-0"]  # the dead worker's attempt still counts


def test_a_video_transcode_holds_a_lease_longer_than_ffmpegs_time_limit(settings):
    settings.TASKS_LEASE_SECONDS = 600
    settings.NEWSROOM_VIDEO_FFMPEG_TIMEOUT = 1800
    row = running(transcode_video)

    assert lease_of(row) == timedelta(seconds=3600)
    assert requeue_at(STARTED + timedelta(seconds=3599)) == 0
    assert requeue_at(STARTED + timedelta(seconds=3601)) == 1


def test_a_task_whose_last_attempt_outlives_its_lease_fails_saying_why(settings):
    settings.TASKS_LEASE_SECONDS = 600
    settings.TASKS_MAX_ATTEMPTS = 3
    row = running(render_photo, attempts=3)
    now = STARTED + timedelta(seconds=601)

    changed = requeue_at(now)

    row.refresh_from_db()
    assert (changed, row.status, row.finished_at) == (1, TaskResultStatus.FAILED, now)
    assert row.exception_class_path == "ops.tasks.TaskAbandoned"
    assert "attempt 3 of 3" in row.traceback


def test_only_a_task_whose_last_attempt_is_abandoned_is_given_up(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS_MAX_ATTEMPTS = 3
    running(render_photo, attempts=2, args=(7,))
    running(render_photo, attempts=3, args=(8,))
    given_up = []

    def note(sender, **signal):
        given_up.append({key: signal[key] for key in ("task_path", "args", "abandoned")})

    task_given_up.connect(note)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            requeue_at(STARTED + timedelta(seconds=settings.TASKS_LEASE_SECONDS + 1))
    finally:
        task_given_up.disconnect(note)

    assert given_up == [{"task_path": render_photo.module_path, "args": [8], "abandoned": True}]


def test_a_transcode_whose_workers_kept_dying_fails_its_video_saying_why(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS_MAX_ATTEMPTS = 3
    video = Video.objects.create(title="一段很大的视频")  # 处理中, as an upload starts
    row = running(transcode_video, attempts=3, args=(video.pk,))

    with django_capture_on_commit_callbacks(execute=True):
        requeue_at(STARTED + lease_of(row) + timedelta(seconds=1))

    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert "处理它的进程多次中断" in video.problem


def test_a_photo_whose_drawing_workers_kept_dying_says_why(
    settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    row = running(render_photo, attempts=3, args=(image.pk,))

    with django_capture_on_commit_callbacks(execute=True):
        requeue_at(STARTED + lease_of(row) + timedelta(seconds=1))

    image.refresh_from_db()
    assert "处理它的进程多次中断" in image.problem


def test_a_retried_task_gets_the_attempts_of_its_own_policy(settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    row = running(purge_edge_caches, attempts=4)  # purges get 5

    requeue_at(STARTED + timedelta(seconds=settings.TASKS_LEASE_SECONDS + 1))

    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY


def test_a_row_another_worker_took_back_meanwhile_is_not_taken_twice(settings):
    seen = running(render_photo)
    now = STARTED + timedelta(seconds=settings.TASKS_LEASE_SECONDS + 1)
    # Between reading the row and changing it, another worker requeued and claimed it.
    DBTaskResult.objects.filter(pk=seen.pk).update(
        started_at=now, worker_ids=["worker-0", "worker-1"]
    )

    changed = expire(seen, "ran past its lease", now)

    fresh = DBTaskResult.objects.get(pk=seen.pk)
    assert (changed, fresh.status, fresh.started_at) == (0, TaskResultStatus.RUNNING, now)


def test_finished_and_waiting_tasks_have_no_lease(settings):
    late = STARTED + timedelta(days=1)
    done = running(render_photo)
    DBTaskResult.objects.filter(pk=done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=STARTED
    )

    assert requeue_at(late) == 0
    assert DBTaskResult.objects.get(pk=done.pk).status == TaskResultStatus.SUCCESSFUL


def test_a_worker_starting_under_a_dead_workers_id_takes_its_task_back_at_once(settings):
    settings.TASKS_LEASE_SECONDS = 600
    left = running(render_photo, attempts=2)  # last run by worker-1
    other = running(render_photo, attempts=1)  # worker-0's, alive or not
    with time_machine.travel(STARTED + timedelta(seconds=5), tick=False):
        changed = requeue_left_by("worker-1")

    left.refresh_from_db()
    other.refresh_from_db()
    assert (changed, left.status, other.status) == (
        1,
        TaskResultStatus.READY,
        TaskResultStatus.RUNNING,
    )
