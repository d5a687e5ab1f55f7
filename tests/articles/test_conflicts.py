"""Stale pages: a save or a workflow button from a page older than the article is refused,
shows what changed meanwhile and keeps what the editor typed; of two concurrent saves
from the same page exactly one wins."""

import re
import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article, Revision
from desk import revisions
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, is_superuser=True))
    return client


def version_on_page(client: Client, url: str) -> str:
    """The version a page was rendered at, as its form will post it back."""
    html = client.get(url).content.decode()
    return re.search(r'name="edit_version" value="(\d+)"', html)[1]


@pytest.fixture
def draft(db):
    """A draft saved once in the admin: its history holds the version editors open."""
    article = ArticleFactory(draft=True, title="吉首新增三处停车场", body="<p>车位四百个。</p>")
    revisions.store(article, article.created_by, Revision.Reason.SAVED)
    return article


def test_a_save_from_a_stale_form_is_refused_and_shows_what_changed(draft):
    first, second = signed_in("editor-a"), signed_in("editor-b")
    seen = version_on_page(first, change_url(draft))
    assert version_on_page(second, change_url(draft)) == seen
    revisions_before = Revision.objects.count()

    saved = first.post(
        change_url(draft),
        article_form(draft.channel, title="吉首新增五处停车场", edit_version=seen),
    )
    refused = second.post(
        change_url(draft),
        article_form(draft.channel, title="吉首停车场今起开放", edit_version=seen),
    )

    assert saved.status_code == HTTPStatus.FOUND
    assert refused.status_code == HTTPStatus.OK
    html = refused.content.decode()
    assert "这次保存没有生效；你填写的内容仍在下面" in html
    assert "editor-a" in html  # who changed it
    table = html[html.index('class="edit-conflict"') :]
    assert "标题" in table
    assert "吉首新增三处停车场" in table
    assert "吉首新增五处停车场" in table
    assert "revisions/compare/?a=" in table
    assert 'value="吉首停车场今起开放"' in html  # nothing the second editor typed is lost
    draft.refresh_from_db()
    assert draft.title == "吉首新增五处停车场"
    assert Revision.objects.count() == revisions_before + 1


def test_saving_again_after_reading_the_changes_is_a_deliberate_overwrite(draft):
    first, second = signed_in("editor-a"), signed_in("editor-b")
    seen = version_on_page(first, change_url(draft))
    first.post(change_url(draft), article_form(draft.channel, title="甲改", edit_version=seen))
    refused = second.post(
        change_url(draft), article_form(draft.channel, title="乙改", edit_version=seen)
    )
    shown = re.search(r'name="edit_version" value="(\d+)"', refused.content.decode())[1]

    again = second.post(
        change_url(draft), article_form(draft.channel, title="乙改", edit_version=shown)
    )

    assert again.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.title == "乙改"


def test_each_save_raises_the_version_the_form_carries(draft):
    editor = signed_in("editor-a")
    seen = int(version_on_page(editor, change_url(draft)))

    editor.post(change_url(draft), article_form(draft.channel, edit_version=str(seen)))

    assert int(version_on_page(editor, change_url(draft))) == seen + 1


def test_the_refusal_is_translated_for_english_desks(draft):
    first, second = signed_in("editor-a"), signed_in("editor-b")
    seen = version_on_page(first, change_url(draft))
    first.post(change_url(draft), article_form(draft.channel, title="甲改", edit_version=seen))

    refused = second.post(
        change_url(draft),
        article_form(draft.channel, title="乙改", edit_version=seen),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = refused.content.decode()
    assert "yours were not saved" in html
    assert "Changes made by others since you opened it" in html


def test_a_workflow_button_on_a_stale_page_is_refused(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="县医院门诊楼投入使用")
    article.submit(by=staff.writer)
    editor, editor2 = Client(), Client()
    editor.force_login(staff.editor)
    editor2.force_login(staff.editor2)
    seen = version_on_page(editor, change_url(article))
    article.reject(by=staff.editor2, note="请补充数据来源")

    answer = editor.post(
        reverse("admin:articles_article_transition", args=[article.pk, "approve"]),
        {"note": "同意", "edit_version": seen},
        follow=True,
    )

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert list(article.transitions.values_list("action", flat=True)) == ["submit", "reject"]
    html = answer.content.decode()
    assert "操作没有执行" in html
    assert "当前状态：已退回" in html
    assert "editor2" in html


def test_a_workflow_button_on_a_current_page_acts(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    editor = Client()
    editor.force_login(staff.editor)
    seen = version_on_page(editor, change_url(article))

    editor.post(
        reverse("admin:articles_article_transition", args=[article.pk, "approve"]),
        {"note": "同意", "edit_version": seen},
    )

    article.refresh_from_db()
    assert article.review_level == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_one_version_one_wins_one_is_refused():
    draft = ArticleFactory(draft=True, title="原标题")
    seen = str(Article.objects.get(pk=draft.pk).edit_version)
    clients = [signed_in("editor-a"), signed_in("editor-b")]
    revisions_before = Revision.objects.count()
    start = threading.Barrier(2)
    answers = {}

    def save(index: int) -> None:
        start.wait()
        form = article_form(draft.channel, title=f"标题{index}", edit_version=seen)
        answers[index] = clients[index].post(change_url(draft), form)
        connection.close()

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses == [HTTPStatus.OK, HTTPStatus.FOUND]
    loser = next(a for a in answers.values() if a.status_code == HTTPStatus.OK)
    assert "这次保存没有生效" in loser.content.decode()
    winner = next(i for i, a in answers.items() if a.status_code == HTTPStatus.FOUND)
    draft.refresh_from_db()
    assert draft.title == f"标题{winner}"
    assert Revision.objects.count() == revisions_before + 1
