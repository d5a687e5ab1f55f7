"""Fixtures for the scale-out tests: Redis, static files and app servers on the test database."""

import os
import uuid

import pytest
import redis
from django.db import connection

from tests.scaleout.servers import AppServer, manage, require

# Redis for these tests; each test keeps its keys under a prefix of its own.
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require(False, f"Redis at {REDIS_URL} is not answering ({error})")
    return REDIS_URL


@pytest.fixture(scope="module")
def key_prefix(redis_url):
    """A Redis key prefix for one test module; its keys are deleted afterwards."""
    prefix = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def empty_shared_cache(request: pytest.FixtureRequest) -> None:
    """Each test starts with the module's Redis keys gone, as every other test starts with
    an empty cache: the database is emptied between tests without the site hearing of it,
    so pages and lists kept from an earlier test's rows (whose ids SQLite gives out again)
    must not outlive them."""
    if "key_prefix" not in request.fixturenames:
        return
    prefix = request.getfixturevalue("key_prefix")
    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once: the servers run with DEBUG off, on hashed file names."""
    root = tmp_path_factory.mktemp("staticfiles")
    manage("collectstatic", "--noinput", env={**os.environ, "DJANGO_STATIC_ROOT": str(root)})
    return root


def database_url() -> str:
    """The URL of the database this test session runs on (the test database)."""
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    user, host, port = config["USER"] or "postgres", config["HOST"], config["PORT"] or 5432
    return f"postgres://{user}@{host or '127.0.0.1'}:{port}/{config['NAME']}"


@pytest.fixture(scope="module")
def server_env(django_db_setup, redis_url, key_prefix, static_root, tmp_path_factory):
    """The environment of an app server sharing the test database and this module's Redis.

    The servers outlive single tests; tests that give them data use ``transactional_db``,
    so what they write is committed where the servers can read it.
    """
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
        "CACHE_KEY_PREFIX": key_prefix,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "DJANGO_LOG_FORMAT": "json",
        "DJANGO_LOG_LEVEL": "INFO",
        "DJANGO_DEBUG": "off",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": "0",
    }


@pytest.fixture
def shared_cache(settings, redis_url, key_prefix):
    """This test process shares the servers' cache, as app servers and workers do: what it
    announces (delivery/freshness.py) makes the pages they keep stale."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
        }
    }


@pytest.fixture(scope="module")
def start_server(tmp_path_factory):
    """Start gunicorn instances (each with its own environment); stop them with the module."""
    servers = []
    logs = tmp_path_factory.mktemp("app-logs")

    def start(env: dict[str, str], name: str = "app") -> AppServer:
        server = AppServer(env=env, log_path=logs / f"{name}-{len(servers)}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
