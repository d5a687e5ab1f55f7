"""PostgreSQL primary that raises the replica fence around every write (see ops/fence.py).

Used instead of Django's PostgreSQL backend for the primary when read replicas are
configured; everything else is Django's backend unchanged. It hooks in through public
entry points only: an execute wrapper for the writes, and the connection's ``commit()``
and ``rollback()``, which every transaction ends through (``atomic()`` and
``transaction.commit()``/``rollback()`` call them).
"""

from django.db import transaction
from django.db.backends.postgresql import base

from ops.fence import fence

# The first word of a statement that changes data or schema.
WRITES = (
    "insert",
    "update",
    "delete",
    "merge",
    "truncate",
    "copy",
    "create",
    "alter",
    "drop",
    "grant",
    "revoke",
    "comment",
    "refresh",
)


def is_write(sql: str) -> bool:
    return sql.lstrip(" (\n\t").lower().startswith(WRITES)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.wrote_in_transaction = False
        self.execute_wrappers.append(self.fence_writes)

    def fence_writes(self, execute, sql, params, many, context):
        """Pin readers to the primary before a write; raise the write mark after its commit."""
        if not is_write(sql):
            return execute(sql, params, many, context)
        if self.get_autocommit():
            fence.pin()
            result = execute(sql, params, many, context)
            fence.mark_written(self)
            return result
        if not self.wrote_in_transaction:
            fence.pin()
            self.wrote_in_transaction = True
        if self.in_atomic_block and not self.mark_pending():
            transaction.on_commit(self.mark_written, using=self.alias)
        return execute(sql, params, many, context)

    def mark_pending(self) -> bool:
        return any(func == self.mark_written for _, func, _ in self.run_on_commit)

    def mark_written(self) -> None:
        fence.mark_written(self)

    def commit(self) -> None:
        wrote, manual = self.wrote_in_transaction, not self.mark_pending()
        if wrote:
            fence.pin()  # still up when the commit lands, however long the transaction
        super().commit()
        self.wrote_in_transaction = False
        if wrote and manual:
            # Transactions outside atomic() have no on_commit hook: mark right here.
            self.mark_written()

    def rollback(self) -> None:
        super().rollback()
        self.wrote_in_transaction = False
