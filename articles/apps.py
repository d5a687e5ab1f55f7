from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("内容")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # checks: registers the photo pipeline's checks; workflow: carries out the
        # article's transitions (articles/transitions.py).
        from articles import checks, receivers, workflow  # noqa: F401
        from articles.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="articles.sync_roles")
        receivers.connect()
