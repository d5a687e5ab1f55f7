"""A database out of reach: readers and editors get a clear Chinese 503 page, not a 500."""

from http import HTTPStatus

import pytest
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
    assert "服务暂时不可用" in answer.content.decode()
