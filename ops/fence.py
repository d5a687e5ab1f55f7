"""The replica fence: a reader is served by a replica only once it has replayed every write.

A hot standby lags the primary by a little, or by a lot under load. Newsroom never lets
that lag show a reader a page the primary has already changed, such as an article that
was withdrawn a moment ago. Two marks in Redis, shared by every app server, make that so:

* the *pin*: set before any write reaches the primary, and kept for
  DATABASE_REPLICA_PIN_SECONDS after its commit. While it is up, every read goes to the
  primary, so a write in flight is never hidden behind a lagging replica.
* the *write mark*: the primary's WAL position (LSN) just after each commit, only ever
  raised. A replica serves reads only if it has replayed at least that far, so a replica
  that lags for minutes is skipped for minutes, not for a guessed number of seconds.

Both are set by the primary's database backend (ops/db/backends/postgresql), for every
write whatever made it: the admin, a workflow transition, a task, a shell. Nothing here
knows about articles. While replicas are caught up, choosing one costs one Redis round
trip and no SQL; just after a write, one small query per replica and app process.
"""

import logging
import random
import threading

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger("newsroom.db.fence")

# Raise the write mark to ARGV[1] unless it is already higher (atomically, in Redis).
RAISE_MARK = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('GET', KEYS[1])
"""
CURRENT_LSN = "SELECT (pg_current_wal_lsn() - '0/0')::bigint"
REPLAYED_LSN = "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint"


class ReplicaFence:
    def __init__(self) -> None:
        self._client: redis.Redis | None = None
        self._lock = threading.Lock()
        # How far each replica is known to have replayed: a lower bound, so safe to reuse.
        self.replayed: dict[str, int] = {}

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = redis.Redis.from_url(
                        settings.CACHE_URL, socket_timeout=2, socket_connect_timeout=2
                    )
        return self._client

    def key(self, name: str) -> str:
        return f"{settings.CACHE_KEY_PREFIX}:fence:{name}"

    # --- Writers --------------------------------------------------------------------------

    def pin(self) -> None:
        """Send every reader to the primary for the next DATABASE_REPLICA_PIN_SECONDS."""
        milliseconds = max(1, int(settings.DATABASE_REPLICA_PIN_SECONDS * 1000))
        self.client.set(self.key("pin"), "1", px=milliseconds)

    def mark_written(self, primary: BaseDatabaseWrapper) -> None:
        """Raise the write mark to the primary's WAL position now, after a commit."""
        with primary.connection.cursor() as cursor:
            cursor.execute(CURRENT_LSN)
            (lsn,) = cursor.fetchone()
        if not primary.connection.autocommit:
            primary.connection.commit()  # end the read-only transaction the query opened
        self.client.eval(RAISE_MARK, 1, self.key("written"), lsn)
        self.pin()

    # --- Readers --------------------------------------------------------------------------

    def alias_for_reads(self) -> str:
        """Return a replica that has replayed every write, else the primary."""
        try:
            pinned, written = self.client.mget(self.key("pin"), self.key("written"))
            if pinned is not None:
                return DEFAULT_DB_ALIAS
            mark = int(written) if written is not None else self.seed_mark()
        except (redis.RedisError, DatabaseError):
            logger.exception("Replica fence unreadable; reading from the primary")
            return DEFAULT_DB_ALIAS
        replicas = random.sample(settings.DATABASE_REPLICAS, len(settings.DATABASE_REPLICAS))
        for alias in replicas:
            if self.replayed.get(alias, -1) >= mark:
                return alias
        for alias in replicas:
            if self.ask_replayed(alias) >= mark:
                return alias
        return DEFAULT_DB_ALIAS

    def seed_mark(self) -> int:
        """With no write mark (Redis restarted), take the primary's position as the mark."""
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(CURRENT_LSN)
            (lsn,) = cursor.fetchone()
        return int(self.client.eval(RAISE_MARK, 1, self.key("written"), lsn))

    def ask_replayed(self, alias: str) -> int:
        """Ask a replica how far it has replayed; -1 if it cannot say (down, not a standby)."""
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(REPLAYED_LSN)
                (lsn,) = cursor.fetchone()
        except DatabaseError:
            logger.warning("Replica %s is unreachable; skipping it", alias, exc_info=True)
            return -1
        if lsn is None:
            logger.warning("Database %s is not a streaming standby; skipping it", alias)
            return -1
        self.replayed[alias] = max(self.replayed.get(alias, -1), int(lsn))
        return self.replayed[alias]


fence = ReplicaFence()
