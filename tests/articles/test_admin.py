"""The editors' desk: every model in the admin, publishing from the form, sanitising."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, Image
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    EditorFactory,
    ImageFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

MODELS = ["article", "channel", "author", "editor", "image"]


@pytest.fixture
def desk(client):
    """A client signed in as a superuser, in the desk's own language."""
    client.force_login(UserFactory(username="chief", is_superuser=True))
    return client


def inline_management(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(channel, **fields) -> dict[str, str]:
    data = {
        "title": "新建稿件",
        "channel": str(channel.pk),
        "origin": "original",
        "body": "<p>正文。</p>",
        **inline_management("credits"),
        **inline_management("picks"),
        **inline_management("links"),
        **inline_management("gallery_items"),
    }
    return data | fields


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_chinese_list_and_add_page(desk, model):
    ArticleFactory()
    EditorFactory()
    AuthorFactory()
    ImageFactory()

    listing = desk.get(reverse(f"admin:articles_{model}_changelist"))
    adding = desk.get(reverse(f"admin:articles_{model}_add"))

    assert listing.status_code == HTTPStatus.OK
    assert adding.status_code == HTTPStatus.OK
    assert "增加" in adding.content.decode()


def test_article_change_page_offers_the_rich_text_editor_and_submit_button(desk):
    article = ArticleFactory(draft=True)

    html = desk.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "django_prose_editor" in html
    assert 'name="_submit"' in html
    assert "保存并送审" in html


def test_admin_search_finds_articles_by_title(desk):
    ArticleFactory(title="矮寨大桥迎来客流高峰")
    ArticleFactory(title="吉首大学开学")

    html = desk.get(reverse("admin:articles_article_changelist"), {"q": "矮寨"}).content.decode()

    assert "矮寨大桥迎来客流高峰" in html
    assert "吉首大学开学" not in html


def test_saving_keeps_a_new_article_as_a_draft(desk):
    channel = ChannelFactory()

    desk.post(reverse("admin:articles_article_add"), article_form(channel))

    article = Article.objects.get(title="新建稿件")
    assert article.status == Article.Status.DRAFT
    assert article.first_published_at is None
    assert article.created_by.username == "chief"


def test_save_and_submit_sends_the_new_article_to_review(desk):
    channel = ChannelFactory()
    for role, username in [("编辑", "editor"), ("主编", "managing"), ("总编辑", "final")]:
        member(role, username)

    desk.post(reverse("admin:articles_article_add"), article_form(channel, _submit="1"))

    article = Article.objects.get(title="新建稿件")
    assert (article.status, article.review_level) == (Article.Status.IN_REVIEW, 1)
    assert article.revisions.count() == 1


def test_save_and_submit_refuses_a_story_nobody_else_could_review(desk):
    channel = ChannelFactory()

    response = desk.post(
        reverse("admin:articles_article_add"), article_form(channel, _submit="1"), follow=True
    )

    article = Article.objects.get(title="新建稿件")
    assert article.status == Article.Status.DRAFT
    assert "没有可以对这篇稿件进行初审" in response.content.decode()


def test_body_posted_through_the_admin_is_sanitised(desk):
    channel = ChannelFactory()
    hostile = '<p onclick="steal()">正文</p><script>alert(1)</script><img src=x onerror=alert(1)>'

    desk.post(reverse("admin:articles_article_add"), article_form(channel, body=hostile))

    body = Article.objects.get(title="新建稿件").body
    assert body == '<p>正文</p><img src="x">'


def test_reprint_without_original_outlet_is_refused_with_a_message(desk):
    channel = ChannelFactory()

    response = desk.post(
        reverse("admin:articles_article_add"), article_form(channel, origin="reprint")
    )

    assert response.status_code == HTTPStatus.OK
    assert "转载稿件必须注明原发媒体。" in response.content.decode()
    assert not Article.objects.exists()


def test_related_link_must_be_a_web_address(desk):
    channel = ChannelFactory()
    form = article_form(channel) | {
        "links-TOTAL_FORMS": "1",
        "links-0-title": "恶意链接",
        "links-0-url": "javascript:alert(1)",
        "links-0-position": "0",
    }

    response = desk.post(reverse("admin:articles_article_add"), form)

    assert response.status_code == HTTPStatus.OK
    assert not Article.objects.exists()


def test_bulk_publish_publishes_approved_articles_and_reports_refusals(client, staff):
    ready = ArticleFactory(status="approved", first_published_at=None, title="终审已过")
    draft = ArticleFactory(draft=True, title="还是草稿")
    client.force_login(staff.chief)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert list(Article.objects.published()) == [ready]
    assert "已发布 1 篇稿件。" in html
    assert "《还是草稿》：稿件当前状态为“草稿”，不能进行此操作。" in html


def test_uploaded_image_records_its_uploader_and_size(desk, tmp_path):
    upload = ImageFactory.build().file

    desk.post(
        reverse("admin:articles_image_add"),
        {"file": upload, "caption": "凤凰古城夜景", "credit": "彭雪", "alt_text": "古城灯火"},
    )

    image = Image.objects.get(caption="凤凰古城夜景")
    assert image.uploaded_by.username == "chief"
    assert (image.width, image.height) == (640, 480)
