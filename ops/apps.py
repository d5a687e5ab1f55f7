from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("运行维护")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed
        from django.core import checks
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.tasks.signals import task_finished

        from ops import metrics, slowqueries, tasks
        from ops.checks import (
            media_bucket_exists_and_is_public,
            replicas_need_postgresql_and_redis,
        )
        from ops.middleware import forget_request_id
        from ops.sentry import start_sentry

        connection_created.connect(slowqueries.watch_connection)
        task_finished.connect(tasks.retry_failed_task)
        request_finished.connect(forget_request_id)
        checks.register(replicas_need_postgresql_and_redis)
        checks.register(media_bucket_exists_and_is_public, deploy=True)
        user_login_failed.connect(metrics.count_login_failure)
        user_locked_out.connect(metrics.count_lockout)
        start_sentry()
