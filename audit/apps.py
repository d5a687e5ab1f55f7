from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        # Sign-ins and account changes exist only as Django's signals: listen to them here.
        from audit import receivers  # noqa: F401
