"""The editors' desk: workflow, review, revisions, the admin pages and the demo tools."""

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        # checks: registers the photo pipeline's checks; workflow: carries out the
        # article's transitions (articles/transitions.py).
        from desk import checks, workflow  # noqa: F401
        from desk.roles import sync_roles

        # The roles hold the content model's permissions: sync them once those exist, after
        # the articles app migrates (an app without models gets no post_migrate of its own).
        post_migrate.connect(
            sync_roles, sender=apps.get_app_config("articles"), dispatch_uid="desk.sync_roles"
        )
