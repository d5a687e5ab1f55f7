"""The photo library: uploads, renditions, the image admin and its commands."""

from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "photos"

    def ready(self) -> None:
        from ops.tasks import task_given_up
        from photos.tasks import fail_the_photo

        task_given_up.connect(fail_the_photo)
