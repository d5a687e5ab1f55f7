"""Background work (Django tasks): run by a worker in production, inline elsewhere."""

from django.conf import settings
from django.tasks import task

from ops.tasks import leased
from videos import library


def transcode_lease() -> float:
    """ffmpeg's own time limit twice over, as the poster and checks follow the copies."""
    return 2 * settings.NEWSROOM_VIDEO_FFMPEG_TIMEOUT


@leased(transcode_lease)
@task
def transcode_video(video_id: int) -> bool:
    """Make a video's web copies and poster; safe to repeat."""
    return library.transcode(video_id)


def fail_the_video(sender, task_path: str, args: list, kwargs: dict, abandoned: bool, **extra):
    """A transcode given up for good (ops.tasks.task_given_up) fails its video, saying why."""
    if task_path == transcode_video.module_path:
        library.transcode_given_up(*args, **kwargs, abandoned=abandoned)
