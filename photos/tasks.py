"""Background work (Django tasks): run by a worker in production, inline elsewhere."""

from django.tasks import task

from ops.tasks import retried
from photos import photos


# A storage that failed for a moment (S3, a full disk) gets two more tries.
@retried(max_attempts=3, backoff_seconds=30)
@task
def render_photo(image_id: int) -> bool:
    """Draw a photo's public copies and redraw the articles showing it; safe to repeat."""
    return photos.draw_copies(image_id)


def fail_the_photo(sender, task_path: str, args: list, kwargs: dict, abandoned: bool, **extra):
    """Drawing given up for good (ops.tasks.task_given_up): the photo says why."""
    if task_path == render_photo.module_path:
        photos.rendering_given_up(*args, **kwargs, abandoned=abandoned)
