"""System checks for a production configuration that cannot work as written."""

from django.conf import settings
from django.core import checks


def replicas_need_postgresql_and_redis(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Read replicas are PostgreSQL standbys, fenced through the Redis of CACHE_URL."""
    if not settings.DATABASE_REPLICAS:
        return []
    errors = []
    for alias, config in settings.DATABASES.items():
        if "postgresql" not in config["ENGINE"]:
            errors.append(
                checks.Error(
                    f"Database {alias!r} is not PostgreSQL; replicas need a PostgreSQL "
                    "primary and PostgreSQL hot standbys.",
                    id="ops.E001",
                )
            )
    if not settings.CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        errors.append(
            checks.Error(
                "DATABASE_REPLICA_URLS is set but CACHE_URL is not Redis: the replica fence "
                "must be shared by every app server.",
                hint="Set CACHE_URL=redis://host:6379/0",
                id="ops.E002",
            )
        )
    return errors
