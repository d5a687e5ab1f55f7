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

When a part fails, each app process falls back on the primary by itself, at once:

* A replica that fails (refused, timed out, dropped mid-request) is left out of this
  process's rotation for REPLICA_PAUSE_SECONDS, then probed with one short connection of
  its own; it serves again only once it answers and has replayed up to the write mark.
  What it was known to have replayed is forgotten: a restarted standby proves itself anew.
* Redis out of reach (refused or hung) costs one short timeout, then Redis is left alone
  for REDIS_PAUSE_SECONDS. Meanwhile this process reads from the primary, so its writes
  need no pin and go ahead without marks; before it lets a replica serve again, it raises
  the write mark to the primary's position, covering every write made without one. A
  thread of its own raises it as soon as Redis answers again, even if the process serves
  no request meanwhile: other processes, which may not have seen the outage, read the mark.
"""

import logging
import random
import threading
import time

import psycopg
import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger("newsroom.db.fence")

# Raise the write mark to ARGV[1] unless it is already higher (atomically, in Redis).
RAISE_MARK = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('GET', KEYS[1])
"""
CURRENT_LSN = "SELECT (pg_current_wal_lsn() - '0/0')::bigint"
REPLAYED_LSN = "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint"

# After a Redis failure, this process reads from the primary this long without asking it.
REDIS_PAUSE_SECONDS = 5.0
# A replica that failed is left out this long before it is probed again.
REPLICA_PAUSE_SECONDS = 5.0
# While a mark is owed, Redis is tried this often until it answers.
SETTLE_SECONDS = 0.5
# libpq's shortest connect timeout: a probe of a vanished host costs at most this.
PROBE_CONNECT_SECONDS = 2


class ReplicaFence:
    def __init__(self) -> None:
        self._client: redis.Redis | None = None
        self._lock = threading.Lock()
        self._probing = threading.Lock()
        # How far each replica is known to have replayed: a lower bound, so safe to reuse.
        self.replayed: dict[str, int] = {}
        # Replicas out of this process's rotation, until when (time.monotonic()).
        self.replica_paused_until: dict[str, float] = {}
        self.redis_paused_until = 0.0
        # A write went ahead without raising the mark: raise it before any replica serves.
        self.mark_owed = False
        # Raised each time a mark is owed: settling clears only what it covered.
        self.owed_count = 0
        self.settler: threading.Thread | None = None

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    # No retries: a failure is remembered (redis_failed) rather than repeated.
                    self._client = redis.Redis.from_url(
                        settings.CACHE_URL,
                        socket_timeout=settings.CACHE_SOCKET_TIMEOUT,
                        socket_connect_timeout=settings.CACHE_SOCKET_TIMEOUT,
                        retry=Retry(NoBackoff(), 0),
                    )
        return self._client

    def key(self, name: str) -> str:
        return f"{settings.CACHE_KEY_PREFIX}:fence:{name}"

    # --- Redis out of reach -------------------------------------------------------------

    def redis_paused(self) -> bool:
        return time.monotonic() < self.redis_paused_until

    def redis_failed(self, what: str, error: redis.RedisError) -> None:
        """Leave Redis alone for a while; the marks are owed until it answers again."""
        self.redis_paused_until = time.monotonic() + REDIS_PAUSE_SECONDS
        self.owe_mark()
        logger.warning(
            "Replica fence: Redis unavailable (%s failed: %s); reading from the primary for %s s",
            what,
            error,
            REDIS_PAUSE_SECONDS,
        )

    def owe_mark(self) -> None:
        """Remember a write the mark does not cover, and settle it once Redis answers."""
        self.mark_owed = True
        self.owed_count += 1
        with self._lock:
            if self.settler is None or not self.settler.is_alive():
                self.settler = threading.Thread(
                    target=self.settle, name="replica-fence-settle", daemon=True
                )
                self.settler.start()

    def settle(self) -> None:
        """Until the owed mark is raised, try Redis every SETTLE_SECONDS (in a thread)."""
        try:
            while self.mark_owed:
                time.sleep(SETTLE_SECONDS)
                covered = self.owed_count
                try:
                    self.client.ping()  # Redis first: the database only once it answers
                    self.raise_mark()
                    self.client.set(self.key("pin"), "1", px=self.pin_milliseconds())
                except (redis.RedisError, DatabaseError):
                    continue
                if self.owed_count == covered:  # no write went unmarked meanwhile
                    self.mark_owed = False
                    self.redis_paused_until = 0.0
        finally:
            connections.close_all()  # this thread's own connections

    @staticmethod
    def pin_milliseconds() -> int:
        return max(1, int(settings.DATABASE_REPLICA_PIN_SECONDS * 1000))

    # --- Writers --------------------------------------------------------------------------

    def pin(self) -> None:
        """Send every reader to the primary for the next DATABASE_REPLICA_PIN_SECONDS."""
        if self.redis_paused():
            self.owe_mark()  # this process reads from the primary meanwhile
            return
        try:
            self.client.set(self.key("pin"), "1", px=self.pin_milliseconds())
        except redis.RedisError as error:
            self.redis_failed("pin", error)

    def mark_written(self, primary: BaseDatabaseWrapper) -> None:
        """Raise the write mark to the primary's WAL position now, after a commit."""
        if self.redis_paused():
            self.owe_mark()
            return
        with primary.connection.cursor() as cursor:
            cursor.execute(CURRENT_LSN)
            (lsn,) = cursor.fetchone()
        if not primary.connection.autocommit:
            primary.connection.commit()  # end the read-only transaction the query opened
        try:
            self.client.eval(RAISE_MARK, 1, self.key("written"), lsn)
        except redis.RedisError as error:
            self.redis_failed("mark", error)
            return
        self.mark_owed = False  # the mark now covers every earlier write of this process
        self.pin()

    # --- Readers --------------------------------------------------------------------------

    def alias_for_reads(self) -> str:
        """Return a replica that has replayed every write, else the primary."""
        if self.redis_paused():
            return DEFAULT_DB_ALIAS
        try:
            if self.mark_owed:
                covered = self.owed_count
                self.raise_mark()
                if self.owed_count == covered:
                    self.mark_owed = False
            pinned, written = self.client.mget(self.key("pin"), self.key("written"))
            if pinned is not None:
                return DEFAULT_DB_ALIAS
            mark = int(written) if written is not None else self.raise_mark()
        except redis.RedisError as error:
            self.redis_failed("read", error)
            return DEFAULT_DB_ALIAS
        except DatabaseError:
            logger.exception("Replica fence unreadable; reading from the primary")
            return DEFAULT_DB_ALIAS
        return self.caught_up_replica(mark)

    def caught_up_replica(self, mark: int) -> str:
        """A replica in rotation that has replayed up to ``mark``, else the primary."""
        replicas = random.sample(settings.DATABASE_REPLICAS, len(settings.DATABASE_REPLICAS))
        serving = [alias for alias in replicas if self.in_rotation(alias, mark)]
        for alias in serving:
            if self.replayed.get(alias, -1) >= mark:
                return alias
        for alias in serving:
            if self.ask_replayed(alias) >= mark:
                return alias
        return DEFAULT_DB_ALIAS

    def raise_mark(self) -> int:
        """Raise the write mark to the primary's position now (no mark, or marks owed)."""
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
            self.replica_failed(alias)
            return -1
        return self.record_replayed(alias, lsn)

    def record_replayed(self, alias: str, lsn: int | None) -> int:
        if lsn is None:
            logger.warning("Database %s is not a streaming standby; skipping it", alias)
            return -1
        self.replayed[alias] = max(self.replayed.get(alias, -1), int(lsn))
        return self.replayed[alias]

    # --- Replicas out of rotation ---------------------------------------------------------

    def replica_failed(self, alias: str) -> None:
        """Leave a replica out for a while; forget how far it had replayed."""
        self.replica_paused_until[alias] = time.monotonic() + REPLICA_PAUSE_SECONDS
        self.replayed.pop(alias, None)
        logger.warning(
            "Replica %s failed; reading from the primary, probing it again in %s s",
            alias,
            REPLICA_PAUSE_SECONDS,
            exc_info=True,
        )

    def in_rotation(self, alias: str, mark: int) -> bool:
        """Whether the replica may serve; one that failed is probed once its pause is over."""
        paused_until = self.replica_paused_until.get(alias)
        if paused_until is None:
            return True
        if time.monotonic() < paused_until or not self._probing.acquire(blocking=False):
            return False
        try:
            replayed = self.probe(alias)
        finally:
            self._probing.release()
        if replayed < mark:
            self.replica_paused_until[alias] = time.monotonic() + REPLICA_PAUSE_SECONDS
            return False
        del self.replica_paused_until[alias]
        logger.warning("Replica %s answers and has caught up; back in rotation", alias)
        return True

    def probe(self, alias: str) -> int:
        """How far a replica has replayed, asked over a short connection of its own (not
        the pool, whose wait is longer); -1 if it does not answer."""
        params = connections[alias].get_connection_params()
        params.update(connect_timeout=PROBE_CONNECT_SECONDS, autocommit=True)
        try:
            with psycopg.connect(**params) as connection:
                (lsn,) = connection.execute(REPLAYED_LSN).fetchone()
        except psycopg.Error as error:
            logger.warning("Replica %s still unavailable: %s", alias, error)
            return -1
        return self.record_replayed(alias, lsn)


fence = ReplicaFence()
