"""Long lists page by key: every page right, whatever its depth, from a small cached map."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Channel, Placement
from delivery import freshness
from tests.factories import ArticleFactory, ChannelFactory, beijing
from website import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_list(settings, monkeypatch):
    """Eleven articles of 农业 two to a page, the page starts kept two pages to a slice;
    three of them appeared at the same moment, across a page boundary."""
    settings.NEWSROOM_PAGE_SIZE = 2
    monkeypatch.setattr(pagination, "SLICE_PAGES", 2)
    channel = ChannelFactory(slug="nongye", name="农业")
    articles = [
        ArticleFactory(channel=channel, title=f"农业{n}号", first_published_at=beijing(2024, 1, n))
        for n in range(1, 9)
    ]
    articles += [
        ArticleFactory(
            channel=channel, title=f"农业同时{n}号", first_published_at=beijing(2024, 2, 1)
        )
        for n in range(1, 4)
    ]
    return [a.title for a in sorted(articles, key=lambda a: (a.first_published_at, a.pk))][::-1]


def titles_on(client, page: int) -> list[str]:
    html = client.get(f"/channel/nongye/?page={page}").content.decode()
    return re.findall(r'class="article-list__title" href="[^"]+">([^<]+)</a>', html)


def test_every_page_of_a_long_list_shows_the_next_articles_once(client, long_list):
    pages = [titles_on(client, n) for n in range(1, 7)]

    assert pages == [long_list[i : i + 2] for i in range(0, 11, 2)]


def test_a_page_whose_cached_start_was_evicted_is_found_again(client, long_list):
    titles_on(client, 1)
    topic = f"section:{Channel.objects.get(slug='nongye').pk}"
    version = freshness.versions({topic})[topic]
    cache.delete(f"pages:{topic}:{version}:2:1")  # the slice of pages 3 and 4

    assert titles_on(client, 4) == long_list[6:8]


def test_a_page_past_the_end_is_not_found_without_reading_the_list_again(client, long_list):
    titles_on(client, 1)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/channel/nongye/?page=7")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not any("articles_article" in q["sql"] for q in queries.captured_queries)


def test_a_deep_page_reads_the_starts_of_its_own_slice_only(client, long_list):
    topic = f"section:{Channel.objects.get(slug='nongye').pk}"
    version = freshness.versions({topic})[topic]

    assert titles_on(client, 5) == long_list[8:10]

    kept = [n for n in range(3) if cache.get(f"pages:{topic}:{version}:2:{n}") is not None]
    assert kept == [0, 2]  # the length, and pages 5 and 6; pages 3 and 4 never read


def test_list_pages_never_load_article_bodies(client, long_list):
    with CaptureQueriesContext(connection) as queries:
        client.get("/channel/nongye/?page=2")

    article_columns = [
        q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]
    ]
    assert article_columns
    assert not any('"body' in sql for sql in article_columns)


# --- Pinned articles: kept with the page map, as exact as it is ----------------------------


def pinned_titles(client, page: int = 1) -> list[str]:
    html = client.get(f"/channel/nongye/?page={page}").content.decode()
    return re.findall(r'<span class="badge">置顶</span> ([^<]+)</a>', html)


def test_pinning_an_article_in_the_admin_shows_it_first_at_once(client, long_list, staff):
    assert pinned_titles(client) == []
    editor = client.__class__()
    editor.force_login(staff.chief)
    oldest = Article.objects.get(title="农业1号")

    editor.post(
        reverse("admin:articles_placement_add"),
        {"slot": "pinned", "article": oldest.pk, "position": 0},
    )

    assert pinned_titles(client) == ["农业1号"]
    assert "农业1号" not in titles_on(client, 6)


def test_a_pin_whose_time_ends_leaves_page_one_in_time(client, long_list):
    end = timezone.now() + timedelta(minutes=10)
    Placement.objects.create(
        article=Article.objects.get(title="农业1号"), slot="pinned", ends_at=end
    )

    before = pinned_titles(client), titles_on(client, 6)
    with time_machine.travel(end + timedelta(seconds=1)):
        after = pinned_titles(client), titles_on(client, 6)

    assert before == (["农业1号"], [])
    assert after == ([], ["农业1号"])


def test_a_pinned_article_no_longer_public_never_shows_even_from_a_kept_map(client, long_list):
    pinned = Article.objects.get(title="农业1号")
    Placement.objects.create(article=pinned, slot="pinned")
    assert pinned_titles(client) == ["农业1号"]

    Article.objects.filter(pk=pinned.pk).update(status=Article.Status.WITHDRAWN)  # no touch

    assert pinned_titles(client) == []


def test_a_scheduled_article_joins_its_list_when_its_time_comes(client, long_list):
    channel = Channel.objects.get(slug="nongye")
    moment = timezone.now() + timedelta(minutes=5)
    ArticleFactory(channel=channel, title="定时稿件", first_published_at=moment)

    before = titles_on(client, 1)
    with time_machine.travel(moment + timedelta(seconds=1)):
        after = titles_on(client, 1), titles_on(client, 6)

    assert "定时稿件" not in before
    assert after == (["定时稿件", long_list[0]], [long_list[9], long_list[10]])


def test_many_pinned_articles_leave_every_page_they_would_fall_on(client, long_list):
    for position, title in enumerate(["农业2号", "农业同时2号", "农业7号"]):
        Placement.objects.create(
            article=Article.objects.get(title=title), slot="pinned", position=position
        )
    rest = [title for title in long_list if title not in {"农业2号", "农业同时2号", "农业7号"}]

    pages = [titles_on(client, n) for n in range(1, 5)]

    assert pinned_titles(client) == ["农业2号", "农业同时2号", "农业7号"]
    assert pages == [rest[i : i + 2] for i in range(0, 8, 2)]
    assert client.get("/channel/nongye/?page=5").status_code == HTTPStatus.NOT_FOUND


def test_an_item_whose_channel_the_tree_does_not_know_yet_shows_it_all_the_same(db):
    channel = ChannelFactory(slug="xinlanmu", name="新栏目")
    article = ArticleFactory(channel=channel)
    row = Article.objects.filter(pk=article.pk).values_list(*pagination.ITEM_COLUMNS).get()

    (item,) = pagination.listed([row], channels={})

    assert (item.channel.name, item.channel.get_absolute_url()) == ("新栏目", "/channel/xinlanmu/")
    assert item.get_absolute_url() == article.get_absolute_url()
