"""Background work (Django tasks): run by a worker in production, inline elsewhere."""

from django.tasks import task

from videos import library


@task
def transcode_video(video_id: int) -> bool:
    """Make a video's web copies and poster; safe to repeat."""
    return library.transcode(video_id)
