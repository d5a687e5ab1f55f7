"""Reads counted in the test Redis, under a prefix of each test's own."""

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from audience import counter
from tests.shared_redis import REDIS_URL

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"


@pytest.fixture
def reads_redis(settings) -> Iterator[redis.Redis]:
    """The counting Redis, empty for this test; deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is not answering ({error})")
        pytest.skip(f"Redis at {REDIS_URL} is not answering ({error})")
    prefix = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    settings.NEWSROOM_AUDIENCE_REDIS_URL = REDIS_URL
    settings.NEWSROOM_AUDIENCE_PREFIX = prefix
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()
    counter.connect.cache_clear()
    counter.count_script.cache_clear()


def hours(client: redis.Redis, prefix: str) -> dict[str, dict[int, int]]:
    """What is counted in Redis now: hour key -> story -> reads."""
    return {
        key.decode().rsplit(":", 1)[1]: {int(s): int(n) for s, n in client.hgetall(key).items()}
        for key in client.scan_iter(f"{prefix}:hour:*")
    }
