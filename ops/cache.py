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
import pickle
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property
from redis.commands.core import Script

logger = logging.getLogger("newsroom.cache")

# After a failure, Redis is left alone this long before it is tried again.
PAUSE_SECONDS = 5.0

# A value stored with the versions it was made with (a hash: "" holds the value, every
# other field names a version key and the version). Answered only while each of those keys
# still holds its version (a missing key counts as 0, all read with one MGET): one round
# trip, checked atomically.
# The answer is the value and the milliseconds it has left to live (-1: no expiry).
GET_IF_CURRENT = """
local fields = redis.call('HGETALL', KEYS[1])
local value, names, made_with = false, {}, {}
for i = 1, #fields, 2 do
  if fields[i] == '' then
    value = fields[i + 1]
  else
    names[#names + 1] = fields[i]
    made_with[#made_with + 1] = fields[i + 1]
  end
end
if not value then
  return false
end
if #names > 0 then
  local now = redis.call('MGET', unpack(names))
  for i = 1, #names do
    if (now[i] or '0') ~= made_with[i] then
      return false
    end
  end
end
return {value, redis.call('PTTL', KEYS[1])}
"""


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering misses while Redis cannot be reached.

    Stored pages go through a redis-py client of its own (one, kept for the process), made
    from the same location and options: Django's cache exposes no client, and a stored
    page must cost a single round trip."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.location = server.split(",")[0] if isinstance(server, str) else server[0]
        self.client_options = {
            name: value
            for name, value in params.get("OPTIONS", {}).items()
            if name not in ("parser_class", "pool_class", "serializer")
        }
        self.paused_until = 0.0

    def attempt(self, what: str, call: Callable[[], Any], fallback: Any) -> Any:
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
        return self.attempt("add", partial(super().add, key, value, timeout, version), False)

    def get(self, key, default=None, version=None) -> Any:
        return self.attempt("get", partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self.attempt("set", partial(super().set, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self.attempt("touch", partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None) -> bool:
        return self.attempt("delete", partial(super().delete, key, version), False)

    def get_many(self, keys, version=None) -> dict:
        return self.attempt("get_many", partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None) -> bool:
        return self.attempt("has_key", partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None) -> int:
        return self.attempt("incr", partial(super().incr, key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        store = partial(super().set_many, data, timeout, version)
        return self.attempt("set_many", store, list(data))

    def delete_many(self, keys, version=None) -> None:
        self.attempt("delete_many", partial(super().delete_many, keys, version), None)

    def clear(self) -> bool:
        return self.attempt("clear", super().clear, False)

    @cached_property
    def client(self) -> redis.Redis:
        """This process's own client, for the stored-page commands below."""
        return redis.Redis.from_url(self.location, **self.client_options)

    @cached_property
    def current_script(self) -> Script:
        return self.client.register_script(GET_IF_CURRENT)

    def set_with_versions(
        self, key: str, value: Any, versions: dict[str, int], timeout: int
    ) -> None:
        """Store a value with the versions (of other keys) it was made with."""
        key = self.make_and_validate_key(key)
        fields = {self.make_and_validate_key(name): number for name, number in versions.items()}
        fields[""] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

        def store() -> None:
            pipeline = self.client.pipeline()
            pipeline.delete(key).hset(key, mapping=fields).expire(key, timeout).execute()

        self.attempt("set_with_versions", store, None)

    def get_if_current(self, key: str) -> Any:
        """A value stored by set_with_versions, while every version it names is current."""
        found = self.get_if_current_with_lifetime(key)
        return None if found is None else found[0]

    def get_if_current_with_lifetime(self, key: str) -> tuple[Any, float | None] | None:
        """The same, with the seconds it has left in the cache (None: no expiry)."""
        key = self.make_and_validate_key(key)
        found = self.attempt("get_if_current", partial(self.current_script, keys=[key]), None)
        if not found:
            return None
        value, milliseconds = found
        return pickle.loads(value), (milliseconds / 1000 if milliseconds >= 0 else None)

    def disconnect(self) -> None:
        """Close this process's own connections (Django's close its own on request end)."""
        if "client" in vars(self):
            self.client.close()
