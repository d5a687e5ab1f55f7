"""The video library: uploads, transcoding, posters, subtitles and embedded players."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = _("视频")

    def ready(self) -> None:
        from ops.tasks import task_given_up
        from videos.tasks import fail_the_video

        task_given_up.connect(fail_the_video)
