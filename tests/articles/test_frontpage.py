"""The home page's blocks as drawn: headline lines, photo strips and featured items."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Placement, Topic
from delivery import freshness
from tests.factories import ArticleFactory, ChannelFactory, ImageFactory, beijing
from tests.shared_redis import redis_cache  # noqa: F401 (a fixture)
from website import frontpage

pytestmark = pytest.mark.django_db

HOSTILE = '<b onmouseover="x">"红&岭"</b>'
ESCAPED = "&lt;b onmouseover=&quot;x&quot;&gt;&quot;红&amp;岭&quot;&lt;/b&gt;"


def block(html: str, start: str, end: str = "</section>") -> str:
    """The part of the page from ``start`` to the end of its section."""
    part = html[html.index(start) :]
    return part[: part.index(end)]


def test_latest_lines_link_escaped_titles_with_month_day_and_time(client, county_channel):
    article = ArticleFactory(
        title=HOSTILE, channel=county_channel, first_published_at=beijing(2024, 3, 5, 9, 30)
    )

    latest = block(client.get("/").content.decode(), 'id="latest-title"')

    assert (
        f'<li><a href="{article.get_absolute_url()}">{ESCAPED}</a> '
        '<time datetime="2024-03-05T09:30:00+08:00">03-05 09:30</time></li>'
    ) in latest
    assert HOSTILE not in latest


def newer_elsewhere(count: int) -> list[Article]:
    """``count`` articles newer than any other, in a channel of their own."""
    elsewhere = ChannelFactory(name="政务", slug="zhengwu")
    return [
        ArticleFactory(channel=elsewhere, first_published_at=timezone.now() - timedelta(hours=n))
        for n in range(1, count + 1)
    ]


def test_channel_box_lines_show_the_day_alone(client, county_channel):
    article = ArticleFactory(
        title=HOSTILE, channel=county_channel, first_published_at=beijing(2024, 3, 5, 9, 30)
    )
    newer_elsewhere(frontpage.LATEST)  # 最新稿件 shows those: the box shows the article

    box = block(client.get("/").content.decode(), 'id="section-xianshiqu"')

    assert (
        f'<li><a href="{article.get_absolute_url()}">{ESCAPED}</a> '
        '<time datetime="2024-03-05T09:30:00+08:00">03-05</time></li>'
    ) in box


def test_channel_boxes_link_their_escaped_channel_name(client):
    channel = ChannelFactory(name=HOSTILE, slug="minsheng")
    ArticleFactory(title="民生新闻", channel=channel, first_published_at=beijing(2024, 3, 5))
    newer_elsewhere(frontpage.LATEST)  # 最新稿件 shows those: the box shows the article

    box = block(client.get("/").content.decode(), '<section class="section-box"')

    assert box.startswith('<section class="section-box" aria-labelledby="section-minsheng">')
    assert (
        f'<h2 id="section-minsheng" class="section-title"><a href="/channel/minsheng/">'
        f"{ESCAPED}</a></h2>"
    ) in box
    assert "民生新闻" in box


def test_an_empty_latest_block_says_so(client):
    latest = block(client.get("/").content.decode(), 'id="latest-title"')

    assert "<li>暂无稿件。</li>" in latest


def test_photo_strip_items_link_their_cover_and_escaped_title(client):
    photos = ChannelFactory(name="红图", slug="hongtu", kind="photo")
    with_cover = ArticleFactory(title=HOSTILE, channel=photos, cover_image=ImageFactory())
    ArticleFactory(title="没有封面的组图", channel=photos)

    strip = block(client.get("/").content.decode(), 'id="photos-title"')

    assert f'<li><a href="{with_cover.get_absolute_url()}"><picture>' in strip
    assert 'alt="果农在橘园里采摘椪柑" class="article-list__cover"' in strip
    assert f"<span>{ESCAPED}</span></a></li>" in strip
    assert "<span>没有封面的组图</span></a></li>" in strip


def test_featured_items_show_channel_cover_and_summary_when_the_lists_are_kept(
    client, county_channel
):
    featured = ArticleFactory(
        title="推荐的稿件", summary="推荐稿件的摘要。", channel=county_channel,
        cover_image=ImageFactory(alt_text="推荐稿件的封面"),
    )  # fmt: skip
    Placement.objects.create(article=featured, slot="featured")

    cold = client.get("/").content.decode()  # the lists are made
    warm = client.get("/").content.decode()  # the lists are kept, the rows read again

    item = block(warm, 'id="featured-title"')
    assert warm == cold
    assert f'href="{featured.get_absolute_url()}">推荐的稿件</a>' in item
    assert '<a href="/channel/luxixian/">泸溪县</a>' in item
    assert 'alt="推荐稿件的封面"' in item
    assert "推荐稿件的摘要。" in item


def test_topic_items_link_their_lead_photo_and_escaped_title(client):
    Topic.objects.create(title=HOSTILE, slug="xiangcun", lead_image=ImageFactory())

    topics = block(client.get("/").content.decode(), 'id="topics-title"')

    assert '<li><a href="/topic/xiangcun/"><picture>' in topics
    assert f"<span>{ESCAPED}</span></a></li>" in topics


# --- On the production cache (Redis) -----------------------------------------------------


@pytest.fixture
def on_redis(settings, redis_cache):  # noqa: F811 (the fixture imported above)
    """The home page's lists in Redis, whose look-up checks their versions in the same
    round trip (ops/cache.py), with the whole-page cache off."""
    settings.CACHES = {"default": redis_cache}
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def test_a_home_page_costs_four_round_trips_to_redis(client, on_redis, monkeypatch):
    from redis.connection import Connection

    ArticleFactory(title="已发布的稿件")
    client.get("/")
    sent = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection, "send_packed_command", lambda *a, **k: sent.append(1) or send(*a, **k)
    )

    html = client.get("/").content.decode()

    assert "已发布的稿件" in html
    # The channel tree's version and mark; the lists, checked; the blocks as drawn; the
    # 点击排行 as the last fold-in left it (audience/ranking.py).
    assert len(sent) == 4


def test_kept_lists_in_redis_give_way_to_a_change_at_once(client, on_redis):
    shown = ArticleFactory(title="将被撤下的稿件")
    client.get("/")

    Article.objects.filter(pk=shown.pk).update(status=Article.Status.WITHDRAWN)
    freshness.touch(*freshness.article_topics(shown))  # as withdrawing does
    ArticleFactory(title="刚发布的稿件")
    freshness.touch("home")  # as publishing does

    html = client.get("/").content.decode()
    assert "将被撤下的稿件" not in html
    assert "刚发布的稿件" in html


def test_no_story_is_shown_twice_at_the_top_of_the_home_page(client, county_channel):
    headline = ArticleFactory(channel=county_channel, title="头条稿件")
    Placement.objects.create(article=headline, slot="headline", position=0)
    picked = ArticleFactory(channel=county_channel, title="推荐稿件")
    Placement.objects.create(article=picked, slot="featured", position=0)
    others = [ArticleFactory(channel=county_channel) for _ in range(3)]

    html = client.get("/").content.decode()
    top = html[: html.index('<div class="home-side">')]

    for article in [headline, picked, *others]:
        assert top.count(f'href="{article.get_absolute_url()}"') == 1, article.title
