"""Log every SQL statement slower than DATABASE_SLOW_QUERY_MS, with its request id."""

import logging
import time

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger("newsroom.db.slow")
MAX_SQL_LENGTH = 4000


def watch_connection(sender: type, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Time the statements of a new connection (once per connection object)."""
    if log_slow_queries not in connection.execute_wrappers:
        # Innermost, under any wrapper already entered: ``execute_wrapper()`` removes the
        # last one on leaving, which must be its own (query counters open connections).
        connection.execute_wrappers.insert(0, log_slow_queries)


def log_slow_queries(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        threshold = settings.DATABASE_SLOW_QUERY_MS
        elapsed = (time.perf_counter() - start) * 1000
        if threshold and elapsed >= threshold:
            alias = context["connection"].alias
            logger.warning(
                "Slow query: %.0f ms on %s",
                elapsed,
                alias,
                extra={
                    "duration_ms": round(elapsed, 1),
                    "database": alias,
                    "sql": str(sql)[:MAX_SQL_LENGTH],
                },
            )
