"""The database router: writes to the primary; reads where the request was told to read."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS

# Where reads go in the current request. Outside a reader's request (the admin, tasks,
# management commands, the shell) it stays the primary.
read_alias: ContextVar[str] = ContextVar("read_alias", default=DEFAULT_DB_ALIAS)


@contextmanager
def reading_from(alias: str) -> Iterator[None]:
    """Send reads to ``alias`` inside the block (until something writes)."""
    token = read_alias.set(alias)
    try:
        yield
    finally:
        read_alias.reset(token)


class PrimaryReplicaRouter:
    """Reads go to the alias chosen for the request, writes always to the primary.

    After the first write, the rest of the request reads from the primary too, so it
    sees what it has just written.
    """

    def db_for_read(self, model: type, **hints) -> str:
        return read_alias.get()

    def db_for_write(self, model: type, **hints) -> str:
        if read_alias.get() != DEFAULT_DB_ALIAS:
            read_alias.set(DEFAULT_DB_ALIAS)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints) -> bool:
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints):
        # Replicas receive the schema by replication, never by migrate.
        return db == DEFAULT_DB_ALIAS
