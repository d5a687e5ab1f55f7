"""manage.py worker: django-tasks-db's db_worker, made to outlive what kills it.

It takes db_worker's options (``--reload`` aside: it never reloads) and adds three things.
A thread checks the task leases every TASKS_LEASE_CHECK_SECONDS and queues again the
tasks whose worker died (ops/tasks.py). A worker starting under the id of one that died
(systemd's ``--worker-id %H-%i``) takes back its task at once, not at the end of the
lease. And when the database goes away (restarted, failed over, the network cut), the
worker waits for it and carries on, where db_worker would exit; the task it was running
then, finished or not with nowhere to say so, is queued again and run anew.
"""

import logging
import threading
import time
from contextlib import suppress

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ops.tasks import requeue_expired, requeue_left_by

logger = logging.getLogger("newsroom.tasks")

# What a database out of reach raises; anything else is a bug and stops the worker.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# Waiting for the database, tries are spaced out up to this many seconds.
MAX_RETRY_SECONDS = 2.0


def close_connections() -> None:
    """Drop this thread's database connections; a broken one may fail to close cleanly."""
    for connection in connections.all(initialized_only=True):
        with suppress(*OUTAGE_ERRORS):
            connection.close()


def wait_for_database(alias: str = DEFAULT_DB_ALIAS) -> float:
    """Block until the database answers the queue's queries again; return the seconds
    waited."""
    started, delay = time.monotonic(), 0.1
    while True:
        close_connections()
        try:
            # A query on the queue, not just a connection: SQLite raises the same error
            # for a table missing (migrate not run yet), which must not spin the worker.
            DBTaskResult.objects.using(alias).exists()
            return time.monotonic() - started
        except OUTAGE_ERRORS:
            time.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)


def check_leases(every: float) -> None:
    """Take back the tasks of dead workers every ``every`` seconds, for ever."""
    while True:
        try:
            requeue_expired()
        except OUTAGE_ERRORS as error:
            # A locked SQLite file or a database away: the next round tries again.
            logger.warning("Task leases not checked: %s", error)
        finally:
            close_connections()
        time.sleep(every)


class Worker(db_worker.Worker):
    def run(self) -> None:
        """Run tasks as db_worker does; across a database outage, wait and go on."""
        while self.running:
            try:
                # What this id was running is not running: a worker runs one task at a time.
                requeue_left_by(self.worker_id)
                return super().run()
            except OUTAGE_ERRORS as error:
                logger.error("Worker %s lost the database: %s", self.worker_id, error)
                waited = wait_for_database()
                logger.warning(
                    "Worker %s has the database back after %.1f s", self.worker_id, waited
                )


class Command(db_worker.Command):
    help = (
        "Run background tasks from the database queue; take back the tasks of dead "
        "workers and wait out database outages"
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        if settings.TASKS_LEASE_CHECK_SECONDS > 0:
            every = settings.TASKS_LEASE_CHECK_SECONDS
            threading.Thread(target=check_leases, args=[every], daemon=True).start()
        worker.run()
