"""Bad input to an admin view is a 400 or a 404 with a message, never a server error."""

from http import HTTPStatus

import pytest
from django.test import Client

from articles.models import Revision
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("older", ["abc", "1.5", "-1", "１", "", "9" * 30])
def test_comparing_versions_by_a_number_that_is_none_is_a_404(desk, staff, older):
    article = ArticleFactory(created_by=staff.writer)
    newer = Revision.objects.create(article=article, content={"title": "改过的标题"})
    desk.force_login(staff.editor)

    answer = desk.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/?a={older}&b={newer.pk}"
    )

    assert answer.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "address",
    [
        "/admin/articles/image/picker/?q=%00",
        "/admin/articles/image/picker/?q=%E6%B3%B8%00",
        "/admin/autocomplete/?term=%00&app_label=articles&model_name=articleauthor&field_name=author",
        "/admin/articles/article/?q=a%00b",
        "/admin/articles/article/%00/change/",
        "/search/?q=%00",
    ],
)
def test_a_nul_character_anywhere_is_a_400_with_a_message(desk, staff, address):
    desk.force_login(staff.writer)

    answer = desk.get(address)

    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert "请求无法处理" in answer.content.decode()
    assert "<style" not in answer.content.decode()


def test_a_nul_character_in_a_form_is_a_400(desk, staff):
    desk.force_login(staff.writer)

    answer = desk.post("/admin/articles/article/add/", {"title": "泸溪\x00椪柑"})

    assert answer.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("channel", [" ", "abc", "9" * 30])
def test_a_new_story_linked_with_a_channel_that_is_no_id_opens_empty(desk, staff, channel):
    desk.force_login(staff.writer)

    answer = desk.get(f"/admin/articles/article/add/?channel={channel}")

    assert answer.status_code == HTTPStatus.OK


def test_describing_photos_by_ids_past_every_integer_is_an_empty_list(desk, staff):
    desk.force_login(staff.writer)

    answer = desk.get("/admin/articles/image/describe/?ids=" + "9" * 30)

    assert answer.status_code == HTTPStatus.OK


@pytest.mark.parametrize("action", ["change", "delete"])
def test_an_empty_field_to_look_an_object_up_by_is_a_400(desk, staff, action):
    article = ArticleFactory(created_by=staff.writer)
    desk.force_login(staff.editor)

    answer = desk.get(f"/admin/articles/article/{article.pk}/{action}/?_to_field=")

    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert "请求无法处理" in answer.content.decode()
