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
