"""Tag and author pages remember who they are about only while nothing has changed."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from taggit.models import Tag

from tests.factories import ArticleFactory, AuthorFactory, UserFactory, credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(staff):
    """One live article, tagged 柑橘产业 and crediting 杨丽芳."""
    article = ArticleFactory(title="柑橘稿件", created_by=staff.writer)
    article.tags.set(["柑橘产业"])
    credit(article, AuthorFactory(name="杨丽芳"), 0)
    return article


def tag_page(client):
    return client.get(f"/tag/{Tag.objects.get().slug}/")


def test_a_tag_renamed_in_the_admin_shows_its_new_name_at_once(client, tagged):
    assert "标签：柑橘产业" in tag_page(client).content.decode()
    admin = client.__class__()
    admin.force_login(UserFactory(username="root", is_superuser=True))
    tag = Tag.objects.get()

    inline = {"taggit_taggeditem_items-TOTAL_FORMS": 0, "taggit_taggeditem_items-INITIAL_FORMS": 0}
    admin.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {"name": "柑橘", "slug": tag.slug, **inline},
    )

    assert "标签：柑橘<" in tag_page(client).content.decode()


def test_tag_and_author_pages_go_when_their_last_article_is_withdrawn(
    client, tagged, staff, django_capture_on_commit_callbacks
):
    author_page = tagged.credits.get().author.get_absolute_url()
    before = tag_page(client).status_code, client.get(author_page).status_code

    with django_capture_on_commit_callbacks(execute=True):
        tagged.withdraw(by=staff.chief, note="核实中")

    assert before == (HTTPStatus.OK, HTTPStatus.OK)
    assert tag_page(client).status_code == HTTPStatus.NOT_FOUND
    assert client.get(author_page).status_code == HTTPStatus.NOT_FOUND
