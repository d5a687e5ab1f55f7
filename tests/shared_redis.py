"""A test Redis for tests of the production cache (ops/cache.py), shared by their modules."""

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

# Each test keeps its keys under a prefix of its own, deleted afterwards.
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def redis_cache() -> Iterator[dict]:
    """Settings for the production cache on the test Redis (NEWSROOM_TEST_REDIS_URL)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is not answering ({error})")
        pytest.skip(f"Redis at {REDIS_URL} is not answering ({error})")
    prefix = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    yield {"BACKEND": "ops.cache.FailOpenRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    disconnect(caches["default"])
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def disconnect(cache: BaseCache) -> None:
    """Close the sockets of a Redis cache (Django leaves them to the garbage collector)."""
    if isinstance(cache, RedisCache) and "_cache" in vars(cache):
        for pool in cache._cache._pools.values():
            pool.disconnect()
