"""Background work (Django tasks): run by a worker in production, inline elsewhere."""

from django.tasks import task

from photos import photos


@task
def render_photo(image_id: int) -> bool:
    """Draw a photo's public copies and redraw the articles showing it; safe to repeat."""
    return photos.draw_copies(image_id)
