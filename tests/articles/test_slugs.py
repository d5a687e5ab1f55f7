"""Every tag, channel and topic gets a slug its page can be built on, whatever its name."""

import importlib
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Channel, Topic
from tests.factories import ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db

FILL = importlib.import_module("articles.migrations.0028_fill_empty_slugs")
PUNCTUATION_ONLY = [">", "——", "#"]


def test_tags_of_punctuation_only_get_numbered_slugs():
    article = ArticleFactory()

    article.tags.add(*PUNCTUATION_ONLY)

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["tag-1", "tag-2", "tag-3"]


def test_an_article_carrying_a_punctuation_only_tag_is_served(client):
    article = ArticleFactory()
    article.tags.add(*PUNCTUATION_ONLY, "乡村振兴")

    answer = client.get(article.get_absolute_url())

    assert answer.status_code == HTTPStatus.OK
    html = answer.content.decode()
    for tag in Tag.objects.all():
        address = reverse("articles:tag", args=[tag.slug])
        assert f'<a class="tag" href="{address}">{escape(tag.name)}</a>' in html
    assert client.get("/tag/tag-1/").status_code == HTTPStatus.OK
    assert client.get("/tag/乡村振兴/").status_code == HTTPStatus.OK


def test_a_tag_keeps_its_chinese_slug():
    ArticleFactory().tags.add("柑橘产业")

    assert Tag.objects.get().slug == "柑橘产业"


def test_an_article_page_does_not_depend_on_a_tag_having_a_slug(client):
    """A tag stored before slugs were made usable shows as plain text, not a broken page."""
    article = ArticleFactory()
    article.tags.add("乡村振兴")
    Tag.objects.update(slug="")

    answer = client.get(article.get_absolute_url())

    assert answer.status_code == HTTPStatus.OK
    assert '<span class="tag">乡村振兴</span>' in answer.content.decode()


@pytest.mark.parametrize("name", PUNCTUATION_ONLY)
def test_a_channel_named_in_punctuation_gets_a_numbered_slug_and_a_page(name, client):
    channel = Channel.objects.create(name=name)
    ArticleFactory(channel=channel)

    assert channel.slug == "channel-1"
    assert client.get(channel.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get("/").status_code == HTTPStatus.OK


def test_channels_of_the_same_pinyin_get_distinct_slugs():
    first = Channel.objects.create(name="泸溪县")
    second = Channel.objects.create(name="泸溪县", parent=ChannelFactory())
    third = Channel.objects.create(name="——")
    fourth = Channel.objects.create(name="#")

    assert [c.slug for c in (first, second, third, fourth)] == [
        "luxixian",
        "luxixian-2",
        "channel-1",
        "channel-2",
    ]


def test_a_topic_named_in_punctuation_gets_a_numbered_slug_and_a_page(client):
    topic = Topic.objects.create(title="#")
    again = Topic.objects.create(title=">")

    assert (topic.slug, again.slug) == ("topic-1", "topic-2")
    assert client.get(topic.get_absolute_url()).status_code == HTTPStatus.OK


def test_the_migration_numbers_the_slugs_stored_empty(client):
    article = ArticleFactory()
    article.tags.add("#")
    Tag.objects.update(slug="")
    Channel.objects.filter(pk=article.channel_id).update(slug="")

    FILL.fill_empty_slugs(apps, SimpleNamespace(connection=connection))

    assert Tag.objects.get().slug == "tag-1"
    assert Channel.objects.get().slug == "channel-1"
    assert client.get("/tag/tag-1/").status_code == HTTPStatus.OK
    assert client.get("/channel/channel-1/").status_code == HTTPStatus.OK
