"""Workflow buttons on an article the person may edit save its form first, then act: an
unsaved edit is never dropped, a form that does not validate performs nothing and keeps
what was typed, and a page older than the article is refused as a plain save would be."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Correction
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def version_on_page(client: Client, article: Article) -> str:
    html = client.get(change_url(article)).content.decode()
    return re.search(r'name="edit_version" value="(\d+)"', html)[1]


def test_an_unsaved_title_and_body_survive_the_submit_button(client, staff, draft):
    client.force_login(staff.writer)
    seen = version_on_page(client, draft)

    answer = client.post(
        change_url(draft),
        article_form(
            draft.channel,
            title="吉首新增五处停车场",
            body="<p>改过的正文。</p>",
            edit_version=seen,
            _workflow="submit",
        ),
        follow=True,
    )

    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("吉首新增五处停车场", "<p>改过的正文。</p>")
    assert (draft.status, draft.review_level) == (Article.Status.IN_REVIEW, 1)
    assert draft.revisions.first().content["title"] == "吉首新增五处停车场"
    html = answer.content.decode()
    assert "已先保存你的修改。" in html
    assert "稿件已送审。" in html


def test_an_invalid_form_refuses_the_button_and_keeps_the_typed_text(client, staff, draft):
    client.force_login(staff.writer)
    seen = version_on_page(client, draft)

    answer = client.post(
        change_url(draft),
        article_form(
            draft.channel,
            title="",
            summary="刚写好的摘要，还没保存",
            edit_version=seen,
            _workflow="submit",
        ),
    )

    assert answer.status_code == HTTPStatus.OK
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Article.Status.DRAFT, "吉首新增三处停车场")
    assert not draft.transitions.exists()
    html = answer.content.decode()
    assert "“送审”没有执行" in html
    assert "刚写好的摘要，还没保存" in html


def test_a_button_on_a_page_older_than_the_article_is_refused_and_keeps_the_text(
    client, staff, draft
):
    client.force_login(staff.writer)
    seen = version_on_page(client, draft)
    editor = Client()
    editor.force_login(staff.editor)
    editor.post(
        change_url(draft),
        article_form(draft.channel, title="编辑改过的标题", edit_version=seen),
    )

    answer = client.post(
        change_url(draft),
        article_form(draft.channel, title="作者改过的标题", edit_version=seen, _workflow="submit"),
    )

    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Article.Status.DRAFT, "编辑改过的标题")
    html = answer.content.decode()
    assert "这次保存没有生效" in html
    assert 'value="作者改过的标题"' in html


def test_the_buttons_of_an_editable_article_submit_its_form_and_enter_only_saves(
    client, staff, draft
):
    client.force_login(staff.writer)

    html = client.get(change_url(draft)).content.decode()

    form = html[html.index('id="article_form"') :]
    assert (
        '<button type="submit" class="button" name="_workflow" value="submit">送审</button>'
        in form
    )
    assert "/transition/submit/" not in html
    # Enter in a text field presses the form's first submit button: save and stay.
    first = re.search(r'<(?:button|input)[^>]*type="submit"[^>]*>', form)[0]
    assert 'name="_continue"' in first


def test_a_button_on_an_unchanged_form_adds_no_empty_version(client, staff, draft):
    client.force_login(staff.writer)
    seen = version_on_page(client, draft)

    client.post(
        change_url(draft),
        article_form(
            draft.channel,
            title=draft.title,
            summary=draft.summary,
            body=draft.body,
            edit_version=seen,
            _workflow="submit",
        ),
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.revisions.count() == 1


def test_the_note_typed_beside_a_button_goes_with_its_action(client, staff, settings):
    settings.NEWSROOM_DIRECT_CORRECTIONS = True
    live = ArticleFactory(created_by=staff.writer, title="县医院门诊楼投入使用")
    copy = live.start_revision(by=staff.chief)
    client.force_login(staff.chief)
    seen = version_on_page(client, copy)

    client.post(
        change_url(copy),
        article_form(
            copy.channel,
            title="县人民医院门诊楼投入使用",
            edit_version=seen,
            _workflow="correct_directly",
            **{
                "_workflow-correct_directly-note": "更正医院全称",
                "_workflow-correct_directly-kind": "update",
            },
        ),
    )

    live.refresh_from_db()
    assert live.title == "县人民医院门诊楼投入使用"
    assert list(live.corrections.values_list("kind", "text")) == [
        (Correction.Kind.UPDATE, "更正医院全称")
    ]
    assert not Article.objects.filter(pk=copy.pk).exists()


def test_a_refused_step_keeps_the_saved_edit_and_says_why(client, staff, settings):
    settings.NEWSROOM_DIRECT_CORRECTIONS = True
    live = ArticleFactory(created_by=staff.writer, title="县医院门诊楼投入使用")
    copy = live.start_revision(by=staff.chief)
    client.force_login(staff.chief)
    seen = version_on_page(client, copy)

    answer = client.post(
        change_url(copy),
        article_form(
            copy.channel, title="改后的标题", edit_version=seen, _workflow="correct_directly"
        ),
        follow=True,
    )

    copy.refresh_from_db()
    assert copy.title == "改后的标题"
    assert copy.status == Article.Status.DRAFT
    assert "直接更正必须填写更正说明。" in answer.content.decode()
