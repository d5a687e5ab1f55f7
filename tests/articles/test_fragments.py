"""List pages keep their drawn lists, and draw them again as soon as anything shown changes."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

ITEM = "articles/includes/article_item.html"


def drawn_items(response) -> int:
    return [template.name for template in response.templates].count(ITEM)


def test_an_unchanged_channel_list_is_drawn_once(client, county_channel):
    ArticleFactory.create_batch(3, channel=county_channel)

    first = client.get("/channel/luxixian/")
    again = client.get("/channel/luxixian/")

    assert drawn_items(first) == 3
    assert drawn_items(again) == 0
    assert again.content == first.content


def test_a_kept_list_shows_a_new_title_at_once(client, county_channel):
    article = ArticleFactory(channel=county_channel, title="泸溪椪柑开园")
    client.get("/channel/luxixian/")

    # Straight to the row: no version is raised, only the row the page reads changes.
    Article.objects.filter(pk=article.pk).update(title="泸溪椪柑丰收")
    html = client.get("/channel/luxixian/").content.decode()

    assert "泸溪椪柑丰收" in html
    assert "泸溪椪柑开园" not in html


def test_a_scheduled_article_joins_a_kept_list_on_time(client, county_channel):
    ArticleFactory(channel=county_channel, title="已发布的稿件")
    due = timezone.now() + timedelta(minutes=5)
    ArticleFactory(channel=county_channel, title="定时发布的稿件", first_published_at=due)
    before = client.get("/channel/luxixian/").content.decode()

    with time_machine.travel(due + timedelta(seconds=1)):
        after = client.get("/channel/luxixian/").content.decode()

    assert "定时发布的稿件" not in before
    assert "定时发布的稿件" in after


def test_a_withdrawn_article_leaves_the_kept_home_page_blocks(client, county_channel):
    kept = ArticleFactory(channel=county_channel, title="留下的稿件")
    gone = ArticleFactory(channel=county_channel, title="撤下的稿件")
    assert "撤下的稿件" in client.get("/").content.decode()

    Article.objects.filter(pk=gone.pk).update(status=Article.Status.WITHDRAWN)
    html = client.get("/").content.decode()

    assert kept.title in html
    assert "撤下的稿件" not in html


def test_kept_lists_are_kept_per_language(client, county_channel):
    client.get("/channel/luxixian/")  # drawn in Chinese: nothing published says 暂无稿件

    english = client.get("/channel/luxixian/", headers={"cookie": "django_language=en"})
    chinese = client.get("/channel/luxixian/")

    assert "暂无稿件。" in chinese.content.decode()
    assert "暂无稿件。" not in english.content.decode()
