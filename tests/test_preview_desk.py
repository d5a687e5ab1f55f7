"""The desk's preview in the admin: who may open, share and revoke it, as each role."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, PreviewLink, Revision
from audit.models import Entry
from desk import revisions
from tests.factories import ArticleFactory, member


@pytest.fixture
def draft(staff, county_channel) -> Article:
    article = ArticleFactory(
        draft=True, created_by=staff.writer, channel=county_channel, title="凤凰古城夜景提质"
    )
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    return article


def preview_url(article: Article) -> str:
    return reverse("admin:articles_article_preview", args=[article.pk])


def frame_url(article: Article) -> str:
    return reverse("admin:articles_article_preview_frame", args=[article.pk])


def share_url(article: Article) -> str:
    return reverse("admin:articles_article_preview_share", args=[article.pk])


def test_the_chief_editor_previews_an_unpublished_story(client, staff, draft):
    client.force_login(staff.chief)
    page = client.get(frame_url(draft))
    assert page.status_code == HTTPStatus.OK
    assert "articles/article_detail.html" in [t.name for t in page.templates]
    html = page.content.decode()
    assert 'class="preview-band"' in html
    assert "凤凰古城夜景提质" in html
    assert "草稿" in html


def test_the_change_page_links_to_the_preview(client, staff, draft):
    client.force_login(staff.writer)
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert f'href="{preview_url(draft)}"' in page.content.decode()


def test_the_preview_page_frames_the_story_with_width_buttons(client, staff, draft):
    client.force_login(staff.editor)
    page = client.get(preview_url(draft))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert f'<iframe src="{frame_url(draft)}"' in html
    assert 'data-preview-width="phone"' in html
    assert 'data-preview-width="full"' in html
    assert "articles/admin/preview.js" in html


def test_the_frame_may_be_shown_by_the_admin_only_and_is_never_kept(client, staff, draft):
    client.force_login(staff.writer)
    page = client.get(frame_url(draft))
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]


def test_a_contributor_previews_only_the_stories_the_admin_shows_them(client, staff, draft):
    other = member("通讯员/记者", "other_writer")
    published = ArticleFactory(title="已刊发的稿件")
    client.force_login(other)
    assert client.get(frame_url(draft)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(preview_url(draft)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(share_url(draft)).status_code == HTTPStatus.NOT_FOUND
    assert not PreviewLink.objects.exists()
    # What has appeared is open to every desk member, as in the admin's list.
    assert client.get(frame_url(published)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("role", ["writer", "editor", "managing", "chief"])
def test_every_role_previews_a_story_it_may_open(client, staff, draft, role):
    client.force_login(getattr(staff, role))
    assert client.get(frame_url(draft)).status_code == HTTPStatus.OK


def test_without_a_session_the_admin_preview_asks_to_sign_in(client, draft):
    response = client.get(frame_url(draft))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_sharing_shows_the_link_with_its_qr_code(client, staff, draft):
    client.force_login(staff.writer)
    response = client.post(share_url(draft), follow=True)
    assert response.redirect_chain[-1][0] == preview_url(draft)
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by) == (draft, staff.writer)
    html = response.content.decode()
    assert "已生成预览链接" in html
    assert 'value="http://testserver/preview/' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' in html
    assert "<rect x=" in html
    assert client.get(share_url(draft)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_chief_editor_revokes_a_contributors_link(client, staff, draft):
    client.force_login(staff.writer)
    client.post(share_url(draft))
    link = PreviewLink.objects.get()
    client.force_login(staff.chief)
    revoke = reverse("admin:articles_article_preview_revoke", args=[draft.pk, link.pk])
    response = client.post(revoke, follow=True)
    assert "预览链接已收回" in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_by == staff.chief
    assert link.revoked_at is not None
    assert Entry.objects.filter(action=Entry.Action.PREVIEW_REVOKED, actor=staff.chief).exists()
    assert "已收回" in client.get(preview_url(draft)).content.decode()


def test_a_link_is_revoked_only_through_its_own_story(client, staff, draft):
    client.force_login(staff.chief)
    client.post(share_url(draft))
    link = PreviewLink.objects.get()
    elsewhere = ArticleFactory(draft=True, created_by=staff.chief)
    revoke = reverse("admin:articles_article_preview_revoke", args=[elsewhere.pk, link.pk])
    assert client.post(revoke).status_code == HTTPStatus.NOT_FOUND
    link.refresh_from_db()
    assert link.revoked_at is None
