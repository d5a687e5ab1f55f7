"""Shared fixtures: fast settings for every test, and a fully dressed article."""

from datetime import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests import clock, factories


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        metavar="WHEN",
        help="start every test with the clock at this instant (it ticks on from there): "
        "an ISO 8601 time with its offset, or one of " + ", ".join(clock.NAMED),
    )


def pytest_configure(config: pytest.Config) -> None:
    if when := config.getoption("--now"):
        config.stash[START] = clock.instant(when)


def pytest_report_header(config: pytest.Config) -> str | None:
    if START in config.stash:
        return f"clock: every test starts at {config.stash[START].isoformat()}"
    return None


START = pytest.StashKey[datetime]()


@pytest.fixture(autouse=True)
def moved_clock(request: pytest.FixtureRequest):
    """With ``--now``, each test starts at that instant, before any of its own fixtures."""
    if (start := request.config.stash.get(START, None)) is None:
        yield
        return
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_settings(settings, tmp_path):
    """Cheap hashing, a private cache and throw-away media (public and private) for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A cache of its own for each test: stored pages and fragments never leak between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
            # A crawl of the whole station stores a few hundred pages, fragments and kept
            # lists: locmem's default of 300 entries would drop some of them mid-test.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashed static names come from collectstatic; tests use the source files. Photo
    # originals go to a private folder of their own for each test.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    # Public pages fall back to the requested host (http://testserver); mail, which has no
    # request, to the first allowed host. The deployment check that requires a site URL in
    # production is not run here (tests/trust/test_headers.py runs it with one set).
    settings.NEWSROOM_SITE_URL = ""
    # Tests change rows directly; the page cache has tests of its own that turn it on.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # Reads are counted only where a test gives them a Redis (tests/audience/conftest.py).
    settings.NEWSROOM_AUDIENCE_REDIS_URL = ""
    # Error reports are written by the tests that check them, not by a thread of their own.
    settings.NEWSROOM_ERROR_REPORT_SECONDS = 0
    settings.NEWSROOM_STATION_NAME = "红岭网湘西站"
    settings.NEWSROOM_NETWORK_NAME = "红岭网"
    settings.NEWSROOM_NETWORK_URL = "https://www.hongling.example/"
    # A request in English leaves English active in this thread; start each test in Chinese.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def county_channel(db):
    """泸溪县 under 县市区: a sub-channel, so breadcrumbs have two steps."""
    parent = factories.ChannelFactory(name="县市区", slug="xianshiqu")
    return factories.ChannelFactory(name="泸溪县", slug="luxixian", parent=parent)


@pytest.fixture
def full_article(county_channel):
    """A published article with every element the article page can show."""
    return factories.full_article(channel=county_channel)


@pytest.fixture
def staff(db):
    """People in each desk role: writer, editor/editor2 (初审), managing (复审), chief (终审)."""
    return SimpleNamespace(
        writer=factories.member("通讯员/记者", "writer"),
        editor=factories.member("编辑", "editor"),
        editor2=factories.member("编辑", "editor2"),
        managing=factories.member("主编", "managing"),
        chief=factories.member("总编辑", "chief"),
    )


@pytest.fixture
def queries_for(client):
    """How many SQL queries one request for a path makes: with every cache cold (the
    default), or warm (after the same request once)."""

    def count(path: str, *, warm: bool = False) -> int:
        cache.clear()
        if warm:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        return len(captured)

    return count
