"""Where a request reads: a replica only for anonymous readers, and never after a write."""

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test import RequestFactory

from articles.models import Article
from ops.middleware import ReadReplicaMiddleware
from ops.routers import PrimaryReplicaRouter, read_alias, reading_from

router = PrimaryReplicaRouter()


def test_outside_a_readers_request_everything_reads_from_the_primary():
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS


def test_a_reader_reads_from_the_chosen_replica_until_something_writes():
    with reading_from("replica1"):
        assert router.db_for_read(Article) == "replica1"

        assert router.db_for_write(Article) == DEFAULT_DB_ALIAS

        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS  # sees its own write
    assert read_alias.get() == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles")
    assert not router.allow_migrate("replica1", "articles")


@pytest.fixture
def middleware(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    return ReadReplicaMiddleware(lambda request: None)


@pytest.mark.parametrize(
    ("method", "path", "cookies", "may"),
    [
        ("GET", "/content/2026/11/26/1.html", {}, True),
        ("HEAD", "/", {}, True),
        ("GET", "/", {"django_language": "en"}, True),
        ("POST", "/i18n/setlang/", {}, False),
        ("GET", "/", {"sessionid": "an-editor"}, False),
        ("GET", "/admin/login/", {}, False),
    ],
)
def test_only_safe_requests_without_a_session_outside_the_admin_may_use_a_replica(
    middleware, method, path, cookies, may
):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)

    assert middleware.may_use_replica(request) is may
