"""Counting a read: only Redis is touched, never the database, and nothing about the reader
is kept beyond a short-lived keyed hash.

A read is one increment of the story's field in the hash of the current hour
(``<prefix>:hour:<hours since 1970 UTC>``); ``manage.py fold_reads`` moves those hashes into
the database. The same reader (address + browser + story, hashed with the site's secret)
reloading within NEWSROOM_AUDIENCE_REPEAT_SECONDS counts once. Robots, by their user agent,
are not counted. With Redis out of reach the read is dropped and the caller carries on.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from functools import cache

import redis
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("newsroom.audience")

# Hour hashes outlive the longest list they feed (7 days) even if folding stops for a day.
HOUR_LIFETIME = 8 * 24 * 3600
LARGEST_ID = 2**31 - 1

# Agents that announce a program rather than a person's browser. An empty agent counts too.
ROBOT = re.compile(
    r"bot|spider|crawl|slurp|scrap|fetch|curl|wget|python|java/|go-http|okhttp|libwww|"
    r"httpclient|headless|phantom|lighthouse|monitor|preview|validator|^\s*$",
    re.IGNORECASE,
)

# KEYS: the reader's key, the hour's hash. ARGV: now (s), repeat window (s), story, lifetime.
COUNT = """
local last = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[1])
if last and now - tonumber(last) < tonumber(ARGV[2]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
"""


@cache
def connect(url: str) -> redis.Redis:
    """One client per process and address, with short timeouts: a read is never worth a wait."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.2, socket_timeout=0.2)


def client() -> redis.Redis | None:
    """The counting Redis, or None when none is configured."""
    url = settings.NEWSROOM_AUDIENCE_REDIS_URL
    return connect(url) if url else None


@cache
def count_script(connection: redis.Redis):
    return connection.register_script(COUNT)


def hour_key(hour: int) -> str:
    return f"{settings.NEWSROOM_AUDIENCE_PREFIX}:hour:{hour}"


def is_robot(agent: str) -> bool:
    """Whether the user agent names a program (or nothing) rather than a browser."""
    return bool(ROBOT.search(agent))


def reader_key(address: str, agent: str, story: int) -> str:
    """A keyed hash of who read what: it cannot be turned back into the address."""
    message = f"{address}\n{agent}\n{story}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{settings.NEWSROOM_AUDIENCE_PREFIX}:seen:{digest[:32]}"


def record(story: int, address: str, agent: str) -> bool:
    """Count one read of ``story``; whether it was counted (robots, repeats, ids out of
    range and Redis out of reach are not)."""
    connection = client()
    if connection is None or not 0 < story <= LARGEST_ID or is_robot(agent):
        return False
    now = int(timezone.now().timestamp())
    keys = [reader_key(address, agent, story), hour_key(now // 3600)]
    args = [now, settings.NEWSROOM_AUDIENCE_REPEAT_SECONDS, story, HOUR_LIFETIME]
    try:
        return bool(count_script(connection)(keys=keys, args=args))
    except redis.RedisError as error:
        logger.warning("Read of story %s dropped: Redis unavailable (%s)", story, error)
        return False
