"""The shared Redis cache, failing open: Redis out of reach is a cache miss, not an error.

Stored pages, fragments and freshness versions are all things the site can rebuild from
the database, so when Redis refuses, times out or drops the connection, every call
answers as if the cache were empty (reads miss, writes are dropped), a warning is logged,
and for a few seconds Redis is not asked at all, so that a hung server costs one short
timeout rather than one per call. Pages stored before an outage still expire on time
(NEWSROOM_PAGE_CACHE_SECONDS); changes announced during it cannot reach them earlier.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("newsroom.cache")

# After a failure, Redis is left alone this long before it is tried again.
PAUSE_SECONDS = 5.0


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering misses while Redis cannot be reached."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.paused_until = 0.0

    def _try(self, what: str, call: Callable[[], Any], fallback: Any) -> Any:
        if time.monotonic() < self.paused_until:
            return fallback
        try:
            return call()
        except redis.RedisError as error:
            self.paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning(
                "Redis cache unavailable (%s failed: %s); serving without it for %s s",
                what,
                error,
                PAUSE_SECONDS,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try("add", partial(super().add, key, value, timeout, version), False)

    def get(self, key, default=None, version=None) -> Any:
        return self._try("get", partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._try("set", partial(super().set, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try("touch", partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None) -> bool:
        return self._try("delete", partial(super().delete, key, version), False)

    def get_many(self, keys, version=None) -> dict:
        return self._try("get_many", partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None) -> bool:
        return self._try("has_key", partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None) -> int:
        return self._try("incr", partial(super().incr, key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._try("set_many", partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys, version=None) -> None:
        self._try("delete_many", partial(super().delete_many, keys, version), None)

    def clear(self) -> bool:
        return self._try("clear", super().clear, False)
