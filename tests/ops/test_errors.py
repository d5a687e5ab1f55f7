"""A database out of reach: readers and editors get a clear Chinese 503 page, not a 500."""

from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError, connections
from django.test import Client

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every new query in this thread fails as it does when PostgreSQL refuses connections."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection failed: connection to server at "127.0.0.1" refused')

    def down() -> None:
        monkeypatch.setattr(connections["default"], "ensure_connection", refuse)

    return down


@pytest.fixture
def site():
    return Client(raise_request_exception=False)


def assert_unavailable_page(answer) -> None:
    assert answer.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert answer["Retry-After"] == "30"
    assert answer["Cache-Control"] == "no-store"
    html = answer.content.decode()
    assert "网站正在维护，请稍后再来" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


def test_a_public_page_answers_503_while_the_database_is_down(site, database_down):
    article = ArticleFactory()
    database_down()

    answer = site.get(article.get_absolute_url())

    assert_unavailable_page(answer)


def test_the_admin_answers_the_same_page_while_the_database_is_down(site, database_down):
    site.force_login(UserFactory(username="chief", is_superuser=True))
    database_down()

    answer = site.get("/admin/articles/article/")

    assert_unavailable_page(answer)


def test_other_errors_still_answer_500(site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("website.views.pages.render", broken)

    answer = site.get("/")

    assert answer.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    html = answer.content.decode()
    assert "页面出错了" in html
    # Not the wording of the 503 page: nothing here is "unavailable" or "under maintenance".
    assert "不可用" not in html
    assert "维护" not in html


@pytest.mark.parametrize(
    "status", [HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.SERVICE_UNAVAILABLE]
)
def test_error_pages_are_styled_within_the_sites_content_security_policy(
    status, site, monkeypatch, database_down
):
    """The policy refuses inline styles: the error pages link a stylesheet of the site's own."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("website.views.pages.render", broken)
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        database_down()

    answer = site.get("/")

    assert answer.status_code == status
    assert "style-src 'self'" in answer["Content-Security-Policy"]
    html = answer.content.decode()
    assert "<style" not in html
    assert " style=" not in html
    assert '<link rel="stylesheet" href="/static/css/errors.css">' in html
    assert finders.find("css/errors.css")
