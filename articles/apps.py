from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("内容")

    def ready(self) -> None:
        from articles import checks  # noqa: F401  (registers the photo pipeline's checks)
