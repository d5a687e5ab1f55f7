"""Back-dating outside an import: only a person who may (the 总编辑) gives a story a
first-publication time in the past, with the reason, recorded in the audit log; anyone
else's past date is refused, never replaced by now."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article
from audit.models import Entry
from desk.workflow import TransitionError
from tests.factories import ArticleFactory, beijing, member

pytestmark = pytest.mark.django_db


def transition_url(article: Article, action: str) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def test_the_chief_editor_publishes_a_story_at_its_real_past_date_with_a_reason(client, staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)

    response = client.post(
        transition_url(article, "publish"),
        {"at": "2022-04-27T09:30", "note": "旧报纸稿件补录上网"},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.first_published_at == beijing(2022, 4, 27, 9, 30)
    assert article.get_absolute_url() == f"/content/2022/04/27/{article.pk}.html"
    entry = Entry.objects.get(action=Entry.Action.BACKDATED)
    assert entry.actor == staff.chief
    assert entry.object_id == str(article.pk)
    assert entry.details["reason"] == "旧报纸稿件补录上网"


def test_a_past_date_without_a_reason_is_refused_and_says_how(client, staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)

    response = client.post(
        transition_url(article, "publish"), {"at": "2022-04-27T09:30"}, follow=True
    )

    article.refresh_from_db()
    html = response.content.decode()
    assert "定时发布时间 2022-04-27 09:30 是过去的日期，稿件没有发布" in html
    assert "如要补录过去的首发时间，请在发布备注中写明原因。" in html
    assert article.status == Article.Status.APPROVED
    assert article.first_published_at is None
    assert not Entry.objects.filter(action=Entry.Action.BACKDATED).exists()


def test_someone_who_may_publish_but_not_back_date_is_refused_even_with_a_reason(client, staff):
    duty_editor = member("主编", "duty")
    for code in ("publish_article", "review_final"):
        duty_editor.user_permissions.add(Permission.objects.get(codename=code))
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(duty_editor)

    response = client.post(
        transition_url(article, "publish"), {"at": "2022-04-27T09:30", "note": "补录"}, follow=True
    )

    article.refresh_from_db()
    assert "是过去的日期，稿件没有发布" in response.content.decode()
    assert "补录过去的首发时间" not in response.content.decode()
    assert article.first_published_at is None


def test_the_publish_method_refuses_a_past_time_without_the_permission(staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    duty_editor = member("主编", "duty")
    for code in ("publish_article", "review_final"):
        duty_editor.user_permissions.add(Permission.objects.get(codename=code))
    with pytest.raises(TransitionError, match="定时发布时间已经过去"):
        article.publish(by=duty_editor, at=beijing(2022, 4, 27, 9, 30), note="补录")
    article.refresh_from_db()
    assert article.first_published_at is None
