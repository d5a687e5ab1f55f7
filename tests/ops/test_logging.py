"""Request ids on every response and log line; JSON logs; slow queries logged."""

import io
import json
import logging
from http import HTTPStatus

import pytest
from django.db import connection

from ops.logging import JsonFormatter, RequestIdFilter
from ops.slowqueries import log_slow_queries
from tests.factories import ArticleFactory, ChannelFactory


@pytest.fixture
def json_log():
    """What the root logger writes through Newsroom's JSON handler set-up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="3f9c1e0a77b24d5e9d8c6b5a4f3e2d1c")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert kept["X-Request-ID"] == "3f9c1e0a77b24d5e9d8c6b5a4f3e2d1c"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_log_lines_are_json_objects_carrying_the_request_id(client, json_log):
    answer = client.get("/channel/no-such-channel/", HTTP_X_REQUEST_ID="req-404-test")

    assert answer.status_code == HTTPStatus.NOT_FOUND
    [line] = [entry for entry in json_log() if entry["logger"] == "django.request"]
    assert line["request_id"] == "req-404-test"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /channel/no-such-channel/"
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_statements_slower_than_the_threshold_are_logged_with_their_sql(
    client, settings, json_log
):
    article = ArticleFactory(channel=ChannelFactory())
    settings.DATABASE_SLOW_QUERY_MS = 0.0001  # every statement is "slow"

    client.get(article.get_absolute_url(), HTTP_X_REQUEST_ID="req-slow")

    slow = [entry for entry in json_log() if entry["logger"] == "newsroom.db.slow"]
    assert slow
    assert {entry["request_id"] for entry in slow} == {"req-slow"}
    assert any('FROM "articles_article"' in entry["sql"] for entry in slow)
    assert all(entry["database"] == "default" for entry in slow)


@pytest.mark.django_db
def test_statements_under_the_threshold_are_not_logged(client, settings, json_log):
    article = ArticleFactory(channel=ChannelFactory())
    settings.DATABASE_SLOW_QUERY_MS = 60_000

    client.get(article.get_absolute_url())

    assert not [entry for entry in json_log() if entry["logger"] == "newsroom.db.slow"]


@pytest.mark.django_db
def test_a_query_counter_that_opens_the_connection_counts_each_statement_once():
    fresh = connection.copy()
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    try:
        with fresh.execute_wrapper(count):
            fresh.ensure_connection()  # the slow-query timer joins here
        with fresh.execute_wrapper(count), fresh.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        fresh.close()

    assert seen == ["SELECT 1"]
    assert fresh.execute_wrappers == [log_slow_queries]


def test_gunicorn_access_lines_become_named_fields():
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, "", 0, '%(h)s "%(r)s" %(s)s', None, None
    )
    record.args = {
        "h": "10.0.0.9",
        "r": "GET / HTTP/1.1",
        "m": "GET",
        "U": "/",
        "q": "",
        "s": "200",
        "B": "5120",
        "D": "12345",
        "a": "curl",
        "f": "-",
        "{x-request-id}o": "abc123",
    }

    entry = json.loads(JsonFormatter().format(record))

    assert entry["status"] == 200
    assert entry["duration_ms"] == 12.35
    assert entry["request_id"] == "abc123"
    assert (entry["method"], entry["path"], entry["remote_addr"]) == ("GET", "/", "10.0.0.9")
