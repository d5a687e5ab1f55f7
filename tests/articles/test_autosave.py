"""Autosave: unsaved input kept on the server per article (or new article) and person,
never in the article or its history, offered back when the form is opened again, and
readable or writable by nobody else."""

import json
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Autosave
from tests.articles.test_admin import article_form
from tests.factories import member

pytestmark = pytest.mark.django_db


def autosave_url(article: Article | None) -> str:
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave(client: Client, article: Article | None, version: int | None = None, **fields):
    payload = {"fields": {name: [value] for name, value in fields.items()}}
    payload["edit_version"] = version
    return client.post(autosave_url(article), json.dumps(payload), content_type="application/json")


# --- The endpoint --------------------------------------------------------------------------


def test_an_autosave_is_kept_beside_the_article_never_in_it(client, staff, draft):
    client.force_login(staff.writer)
    version = draft.edit_version

    answer = autosave(client, draft, version, title="写了一半的标题", body="<p>写了一半</p>")

    assert answer.status_code == HTTPStatus.OK
    assert answer.json()["message"].startswith("已自动保存")
    record = Autosave.objects.get(article=draft, user=staff.writer)
    assert record.fields == {"title": ["写了一半的标题"], "body": ["<p>写了一半</p>"]}
    assert record.base_version == version
    draft.refresh_from_db()
    assert (draft.title, draft.edit_version) == ("吉首新增三处停车场", version)
    assert draft.revisions.count() == 1


def test_a_later_autosave_replaces_the_earlier_one(client, staff, draft):
    client.force_login(staff.writer)

    autosave(client, draft, title="第一版")
    autosave(client, draft, title="第二版")

    assert list(Autosave.objects.values_list("fields", flat=True)) == [{"title": ["第二版"]}]


def test_inline_rows_buttons_and_tokens_are_not_kept(client, staff, draft):
    client.force_login(staff.writer)

    autosave(client, draft, **{"title": "标题", "credits-0-author": "3", "_workflow": "submit"})

    assert Autosave.objects.get().fields == {"title": ["标题"]}


def test_another_writer_can_neither_autosave_into_nor_read_my_autosave(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, title="我的未保存标题")
    autosave(client, None, title="我的新稿件")
    other = Client()
    other.force_login(member("通讯员/记者", "writer2"))

    written = autosave(other, draft, title="别人写进来的")
    read = other.get(autosave_url(draft))
    new_article = other.get(autosave_url(None))

    assert written.status_code == HTTPStatus.NOT_FOUND
    assert read.status_code == HTTPStatus.NOT_FOUND
    assert "我的未保存标题" not in read.content.decode()
    assert new_article.status_code == HTTPStatus.NOT_FOUND
    assert "我的新稿件" not in new_article.content.decode()
    assert Autosave.objects.get(article=draft).fields == {"title": ["我的未保存标题"]}
    assert Autosave.objects.count() == 2


def test_the_owner_reads_back_their_own_autosave(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, 4, title="我的未保存标题")

    answer = client.get(autosave_url(draft))

    assert answer.status_code == HTTPStatus.OK
    assert answer.json()["fields"] == {"title": ["我的未保存标题"]}
    assert answer.json()["base_version"] == 4


def test_the_author_cannot_autosave_a_story_in_review(client, staff, draft):
    draft.submit(by=staff.writer)  # only the reviewer who holds it may edit it now
    client.force_login(staff.writer)

    answer = autosave(client, draft, title="送审后偷改")

    assert answer.status_code == HTTPStatus.FORBIDDEN
    assert "不能修改这篇稿件" in answer.json()["error"]
    assert not Autosave.objects.exists()


def test_an_autosave_over_the_size_limit_is_refused_with_a_message(client, staff, draft, settings):
    settings.NEWSROOM_AUTOSAVE_MAX_BYTES = 2000
    client.force_login(staff.writer)
    autosave(client, draft, title="先前自动保存的标题")

    answer = autosave(client, draft, title="长" * 1000)

    assert answer.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "超过 2 KB" in answer.json()["error"]
    assert Autosave.objects.get().fields == {"title": ["先前自动保存的标题"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ('["title"]', "缺少表单内容"),
        ('{"fields": {"title": [1]}}', "字段“title”格式不正确"),
        ('{"fields": {}, "edit_version": "7"}', "页面版本号不正确"),
    ],
)
def test_a_malformed_autosave_is_refused_with_a_message(client, staff, draft, body, message):
    client.force_login(staff.writer)
    autosave(client, draft, title="先前自动保存的标题")

    answer = client.post(autosave_url(draft), body, content_type="application/json")

    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert message in answer.json()["error"]
    assert Autosave.objects.get().fields == {"title": ["先前自动保存的标题"]}


def test_an_autosave_without_the_csrf_token_is_refused(staff, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.writer)

    answer = autosave(client, draft, title="跨站写入")

    assert answer.status_code == HTTPStatus.FORBIDDEN
    assert not Autosave.objects.exists()


def test_each_person_has_their_own_autosave_of_a_new_article(client, staff):
    client.force_login(staff.writer)
    autosave(client, None, title="通讯员的新稿件")
    editor = Client()
    editor.force_login(staff.editor)
    autosave(editor, None, title="编辑的新稿件")

    assert client.get(autosave_url(None)).json()["fields"] == {"title": ["通讯员的新稿件"]}
    assert editor.get(autosave_url(None)).json()["fields"] == {"title": ["编辑的新稿件"]}
    assert not Article.objects.exists()


# --- Offering it back ----------------------------------------------------------------------


def test_opening_the_form_offers_an_autosave_that_differs_from_the_saved_article(
    client, staff, draft
):
    client.force_login(staff.writer)
    autosave(client, draft, draft.edit_version, title="写了一半的标题", body=draft.body)

    html = client.get(change_url(draft)).content.decode()

    assert "有未保存的内容" in html
    assert "恢复未保存的内容" in html
    assert "（标题）" in html
    assert 'value="吉首新增三处停车场"' in html  # the form still shows the saved version
    assert "data-paused" in html


def test_restoring_fills_the_form_without_saving_it(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, draft.edit_version, title="写了一半的标题", body="<p>写了一半</p>")

    html = client.get(change_url(draft), {"autosave": "restore"}).content.decode()

    assert "已恢复未保存的内容" in html
    assert 'value="写了一半的标题"' in html
    assert "&lt;p&gt;写了一半&lt;/p&gt;" in html
    assert "data-unsaved" in html
    draft.refresh_from_db()
    assert draft.title == "吉首新增三处停车场"


def test_restored_text_saved_over_someone_elses_later_save_is_a_conflict(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, draft.edit_version, title="作者写了一半的标题")
    editor = Client()
    editor.force_login(staff.editor)
    editor.post(
        change_url(draft),
        article_form(draft.channel, title="编辑改过的标题", edit_version=draft.edit_version),
    )
    html = client.get(change_url(draft), {"autosave": "restore"}).content.decode()
    version = re.search(r'name="edit_version" value="(\d+)"', html)[1]

    answer = client.post(
        change_url(draft),
        article_form(draft.channel, title="作者写了一半的标题", edit_version=version),
    )

    assert "这次保存没有生效" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.title == "编辑改过的标题"


def test_a_new_articles_autosave_is_offered_on_the_add_form(client, staff):
    client.force_login(staff.writer)
    autosave(client, None, title="没来得及保存的新稿件")

    offered = client.get(reverse("admin:articles_article_add")).content.decode()
    restored = client.get(reverse("admin:articles_article_add"), {"autosave": "restore"})

    assert "有未保存的内容" in offered
    assert 'value="没来得及保存的新稿件"' in restored.content.decode()


def test_saving_the_form_clears_the_autosave(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, title="写了一半的标题")

    client.post(
        change_url(draft),
        article_form(draft.channel, title="写完的标题", edit_version=draft.edit_version),
    )

    assert not Autosave.objects.exists()
    assert "有未保存的内容" not in client.get(change_url(draft)).content.decode()


def test_an_autosave_holding_nothing_new_is_dropped_not_offered(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, title=draft.title, body=draft.body)

    html = client.get(change_url(draft)).content.decode()

    assert "有未保存的内容" not in html
    assert not Autosave.objects.exists()


def test_discarding_forgets_the_autosave(client, staff, draft):
    client.force_login(staff.writer)
    autosave(client, draft, title="不要了的标题")

    answer = client.post(
        reverse("admin:articles_article_autosave_discard", args=[draft.pk]), follow=True
    )

    assert not Autosave.objects.exists()
    assert "已丢弃自动保存的内容。" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.title == "吉首新增三处停车场"


def test_the_form_loads_the_autosave_script_only_where_it_can_be_edited(client, staff, draft):
    client.force_login(staff.writer)
    editable = client.get(change_url(draft)).content.decode()
    draft.submit(by=staff.writer)
    submitted = client.get(change_url(draft)).content.decode()

    assert "articles/admin/autosave.js" in editable
    assert f'data-url="{autosave_url(draft)}"' in editable
    assert "articles/admin/autosave.js" not in submitted
