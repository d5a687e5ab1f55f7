from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("内容")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from articles import checks  # noqa: F401  (registers the photo pipeline's checks)
        from articles.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="articles.sync_roles")
