"""Feeds, sitemaps and robots.txt, read by real parsers and checked against schemas."""

from datetime import date, timedelta
from http import HTTPStatus
from pathlib import Path

import feedparser
import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone
from lxml import etree

from articles.models import Article, ArticleAuthor, Topic
from delivery import freshness
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    beijing,
    full_article,
    review_through_chain,
)
from website import sitemaps

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = SITEMAP_NS | {"n": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture(scope="module")
def sitemap_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemaps.xsd")))


def valid_xml(response, schema) -> etree._Element:
    """Parse a response as XML and validate it; fail with the schema's own complaints."""
    assert response.status_code == HTTPStatus.OK
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def late_november():
    """The clock stands in late November 2026, after the newsroom's articles."""
    with time_machine.travel(beijing(2026, 11, 20, 12), tick=True):
        yield


@pytest.fixture
def newsroom(late_november, county_channel):
    """Live articles over two months (the clock in the second), plus ones the public must
    never see."""
    live = full_article(county_channel, first_published_at=beijing(2026, 10, 30, 9))
    ArticleFactory(
        channel=county_channel, title="十一月的稿件", first_published_at=beijing(2026, 11, 2, 8)
    )
    ArticleFactory(title="另一个栏目的稿件", first_published_at=beijing(2026, 11, 3, 8))
    ArticleFactory(title="秘密草稿", channel=county_channel, draft=True)
    ArticleFactory(
        title="明天才发布", channel=county_channel,
        first_published_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    ArticleFactory(
        title="已撤下的稿件", channel=county_channel, status="withdrawn",
        first_published_at=beijing(2026, 11, 1),
    )  # fmt: skip
    return live


HIDDEN = ["秘密草稿", "明天才发布", "已撤下的稿件"]


# --- Feeds ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_site_feeds_list_live_articles_newest_first(client, newsroom, path):
    feed = feedparser.parse(client.get(path).content)

    titles = [entry.title for entry in feed.entries]
    ours = [t for t in titles if t in {"另一个栏目的稿件", "十一月的稿件", newsroom.title}]
    assert not feed.bozo, feed.get("bozo_exception")
    assert ours == ["另一个栏目的稿件", "十一月的稿件", "泸溪椪柑丰收季 果农笑开颜"]
    assert feed.feed.title == "红岭网湘西站"
    assert feed.feed.get("language", feed.feed.get("language")) == "zh-cn"
    for hidden in HIDDEN:
        assert hidden not in titles


def test_feed_entries_carry_link_date_summary_authors_and_tags(client, newsroom):
    entry = next(
        e for e in feedparser.parse(client.get("/feeds/rss/").content).entries
        if e.title == newsroom.title
    )  # fmt: skip

    assert entry.link == f"http://testserver{newsroom.get_absolute_url()}"
    assert entry.published_parsed[:3] == (2026, 10, 30)
    assert entry.summary == newsroom.summary
    assert entry.author == "杨丽芳 张远"
    assert {"泸溪县", "柑橘产业", "乡村振兴"} <= {tag.term for tag in entry.tags}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_channel_feeds_hold_the_channel_and_its_sub_channels_only(client, newsroom, kind):
    feed = feedparser.parse(client.get(f"/channel/xianshiqu/{kind}/").content)

    titles = {entry.title for entry in feed.entries}
    assert titles == {"泸溪椪柑丰收季 果农笑开颜", "十一月的稿件", "编辑挑选的相关稿件"}
    assert "县市区" in feed.feed.title


def test_unknown_channel_feed_is_not_found(client):
    assert client.get("/channel/nowhere/rss/").status_code == HTTPStatus.NOT_FOUND


def test_pages_advertise_the_site_feeds(client, newsroom):
    html = client.get("/").content.decode()

    assert 'type="application/rss+xml"' in html
    assert 'href="/feeds/atom/"' in html


def test_feed_query_count_does_not_grow_with_data(client, newsroom, queries_for):
    # Cold: the kept list (rows, tags, credits) and the next scheduled change (three).
    assert (queries_for("/feeds/rss/"), queries_for("/feeds/rss/", warm=True)) == (6, 1)
    for n in range(10):
        full_article(newsroom.channel, title=f"更多稿件{n}")
    assert (queries_for("/feeds/rss/"), queries_for("/feeds/rss/", warm=True)) == (6, 1)
    assert queries_for("/channel/xianshiqu/atom/", warm=True) == 1


@pytest.fixture
def desk(staff, county_channel, django_capture_on_commit_callbacks):
    """The staff, a channel, and a way to publish as the desk does (purges run on commit)."""
    staff.channel = county_channel
    staff.committed = lambda: django_capture_on_commit_callbacks(execute=True)

    def go_live(title: str, at=None) -> Article:
        article = ArticleFactory(
            draft=True, created_by=staff.writer, channel=county_channel, title=title
        )
        review_through_chain(article, [staff.editor, staff.managing, staff.chief])
        with staff.committed():
            return article.publish(by=staff.chief, at=at)

    staff.go_live = go_live
    return staff


def feed_titles(client, path: str = "/feeds/rss/") -> list[str]:
    return [entry.title for entry in feedparser.parse(client.get(path).content).entries]


@pytest.mark.parametrize("path", ["/feeds/rss/", "/channel/xianshiqu/atom/"])
def test_feeds_show_a_published_then_withdrawn_article_at_once(client, desk, path):
    ArticleFactory(title="上周的旧闻", channel=desk.channel)
    feed_titles(client, path)  # the list is kept before the news breaks

    article = desk.go_live("刚刚发布的新闻")
    published = feed_titles(client, path)
    with desk.committed():
        article.withdraw(by=desk.chief, note="事实有误")
    withdrawn = feed_titles(client, path)

    assert published[0] == "刚刚发布的新闻"
    assert "刚刚发布的新闻" not in withdrawn


def test_feed_shows_a_scheduled_article_when_its_time_comes(client, desk):
    moment = timezone.now() + timedelta(minutes=5)  # sooner than any copy would expire
    desk.go_live("五分钟后发布的稿件", at=moment)

    before = feed_titles(client)
    with time_machine.travel(moment + timedelta(seconds=1)):
        after = feed_titles(client)

    assert "五分钟后发布的稿件" not in before
    assert after[0] == "五分钟后发布的稿件"


def test_feed_shows_renamed_tags_channels_and_people_at_once(client, newsroom):
    client.get("/feeds/rss/")  # the items' categories and authors are kept
    newsroom.channel.name = "县市区新闻"
    newsroom.channel.save()
    author = newsroom.credits.first().author
    author.name = "杨丽"
    author.save()
    freshness.touch("site")  # as the admin does on saving a channel, person or tag

    entry = next(
        e for e in feedparser.parse(client.get("/feeds/rss/").content).entries
        if e.title == newsroom.title
    )  # fmt: skip

    assert "县市区新闻" in {tag.term for tag in entry.tags}
    assert entry.author.startswith("杨丽 ")


def test_feed_reads_titles_and_summaries_on_every_request(client, newsroom):
    client.get("/feeds/rss/")
    Article.objects.filter(pk=newsroom.pk).update(title="改过的标题", summary="改过的摘要")

    entry = next(
        e for e in feedparser.parse(client.get("/feeds/rss/").content).entries
        if e.link.endswith(newsroom.get_absolute_url())
    )  # fmt: skip

    assert (entry.title, entry.summary) == ("改过的标题", "改过的摘要")


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_markup_in_a_summary_reaches_feed_readers_as_text(client, newsroom, path):
    Article.objects.filter(pk=newsroom.pk).update(summary='<img src=x onerror="alert(1)">椪柑')

    entry = next(
        e for e in feedparser.parse(client.get(path).content).entries
        if e.link.endswith(newsroom.get_absolute_url())
    )  # fmt: skip

    # What a reader shows, as HTML: the characters typed, no element.
    assert entry.summary == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;椪柑"


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_times_are_beijing_times(client, newsroom, path):
    xml = client.get(path).content.decode()

    assert ("+0800</pubDate>" in xml) or ("+08:00</published>" in xml)
    assert "+0000" not in xml
    assert "Z</" not in xml


# --- Sitemaps ---------------------------------------------------------------------------


def test_sitemap_index_lists_channels_and_one_sitemap_per_month(client, newsroom, sitemap_schema):
    index = valid_xml(client.get("/sitemap.xml"), sitemap_schema)

    locations = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
    assert locations == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-channels.xml",
        "http://testserver/sitemap-articles-2026-11.xml",
        "http://testserver/sitemap-articles-2026-10.xml",
    ]


def test_month_sitemap_lists_that_months_live_articles_with_lastmod(
    client, newsroom, sitemap_schema
):
    november = valid_xml(client.get("/sitemap-articles-2026-11.xml"), sitemap_schema)
    october = valid_xml(client.get("/sitemap-articles-2026-10.xml"), sitemap_schema)

    urls = november.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    expected = Article.objects.published().filter(
        first_published_at__gte=beijing(2026, 11, 1), first_published_at__lt=beijing(2026, 12, 1)
    )
    assert sorted(urls) == sorted(f"http://testserver{a.get_absolute_url()}" for a in expected)
    assert "十一月的稿件" in {a.title for a in expected}
    assert october.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP_NS) == ["2026-10-30"]


def test_channel_sitemap_lists_every_channel(client, newsroom, sitemap_schema):
    document = valid_xml(client.get("/sitemap-channels.xml"), sitemap_schema)

    urls = document.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert "http://testserver/channel/xianshiqu/" in urls
    assert "http://testserver/channel/luxixian/" in urls


def test_pages_sitemap_lists_home_topics_and_only_public_tags_and_authors(
    client, newsroom, sitemap_schema
):
    topic = Topic.objects.create(title="乡村振兴在湘西", slug="xiangcun")
    hidden_author = AuthorFactory(name="只写草稿的人")
    draft = ArticleFactory(title="草稿", draft=True)
    draft.tags.add("只在草稿里的标签")
    ArticleAuthor.objects.create(article=draft, author=hidden_author, position=0)

    document = valid_xml(client.get("/sitemap-pages.xml"), sitemap_schema)

    urls = document.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    credited = newsroom.credits.first().author
    assert urls[0] == "http://testserver/"
    assert f"http://testserver{topic.get_absolute_url()}" in urls
    assert f"http://testserver{credited.get_absolute_url()}" in urls
    assert any("/tag/" in url for url in urls)
    assert f"http://testserver{hidden_author.get_absolute_url()}" not in urls
    assert not any("只在草稿里的标签" in url for url in urls)


def test_unknown_sitemap_section_is_not_found(client, newsroom):
    assert client.get("/sitemap-articles-1999-01.xml").status_code == HTTPStatus.NOT_FOUND


def test_news_sitemap_holds_the_last_48_hours_in_chinese(client, sitemap_schema):
    fresh = ArticleFactory(
        title="今晨发布", first_published_at=timezone.now() - timedelta(hours=3)
    )
    ArticleFactory(title="三天前的稿件", first_published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(title="草稿", draft=True)

    document = valid_xml(client.get("/sitemap-news.xml"), sitemap_schema)

    assert document.xpath("//n:title/text()", namespaces=NEWS_NS) == ["今晨发布"]
    assert document.xpath("//n:language/text()", namespaces=NEWS_NS) == ["zh-cn"]
    assert document.xpath("//n:name/text()", namespaces=NEWS_NS) == ["红岭网湘西站"]
    assert document.xpath("//s:loc/text()", namespaces=NEWS_NS) == [
        f"http://testserver{fresh.get_absolute_url()}"
    ]


def test_news_sitemap_stops_at_1000_urls(client, sitemap_schema):
    channel = ChannelFactory()
    moment = timezone.now() - timedelta(hours=1)
    Article.objects.bulk_create(
        Article(
            title=f"快讯{n}",
            channel=channel,
            section=channel,
            status="published",
            first_published_at=moment,
        )
        for n in range(1005)
    )

    document = valid_xml(client.get("/sitemap-news.xml"), sitemap_schema)

    assert len(document.xpath("//s:url", namespaces=NEWS_NS)) == 1000


SITEMAP_PATHS = ["/sitemap.xml", "/sitemap-articles-2026-11.xml", "/sitemap-news.xml"]


def test_sitemaps_do_not_query_more_with_more_data(client, newsroom, queries_for):
    counts = {path: (queries_for(path), queries_for(path, warm=True)) for path in SITEMAP_PATHS}
    for n in range(5):
        ArticleFactory(title=f"新增{n}", first_published_at=beijing(2026, 11, 5 + n))

    assert {path: (queries_for(path), queries_for(path, warm=True)) for path in SITEMAP_PATHS} == (
        counts
    )
    # Warm: the months are kept; the index asks only for the channels (and their count)
    # and for the list pages (topics, public tags, credited authors: what it counts), a
    # month's sitemap only for its rows.
    assert [warm for _cold, warm in counts.values()] == [5, 1, 1]


def test_sitemap_index_and_months_follow_publishing_at_once(client, desk):
    ArticleFactory(title="十月的稿件", first_published_at=beijing(2026, 10, 3, 8))
    client.get("/sitemap.xml")  # the months are kept

    article = desk.go_live("刚刚发布的新闻")
    month = f"{timezone.localtime(article.first_published_at):%Y-%m}"
    published = client.get("/sitemap.xml").content.decode()
    listed = client.get(f"/sitemap-articles-{month}.xml").content.decode()
    with desk.committed():
        article.withdraw(by=desk.chief, note="事实有误")
    withdrawn = client.get("/sitemap.xml").content.decode()

    assert f"sitemap-articles-{month}.xml" in published
    assert article.get_absolute_url() in listed
    assert f"sitemap-articles-{month}.xml" not in withdrawn
    assert "sitemap-articles-2026-10.xml" in withdrawn


def test_a_change_has_only_its_own_month_counted_again(late_november, client, desk, monkeypatch):
    ArticleFactory(title="十月的稿件", first_published_at=beijing(2026, 10, 3, 8))
    ArticleFactory(title="十一月初的稿件", first_published_at=beijing(2026, 11, 2, 8))
    client.get("/sitemap.xml")  # every month is counted, and kept
    counted = []
    count_months = sitemaps.count_months
    monkeypatch.setattr(
        sitemaps, "count_months", lambda *span: counted.append(span) or count_months(*span)
    )

    article = desk.go_live("刚刚发布的新闻")
    index = client.get("/sitemap.xml").content.decode()

    month = sitemaps.month_of(article.first_published_at)
    assert counted == [(month, month)]
    assert f"sitemap-articles-{month:%Y-%m}.xml" in index
    assert "sitemap-articles-2026-10.xml" in index


def test_month_sitemap_of_many_articles_is_paginated_by_its_kept_count(client, monkeypatch):
    channel = ChannelFactory()
    Article.objects.bulk_create(
        Article(
            title=f"快讯{n}", channel=channel, section=channel, status="published",
            first_published_at=beijing(2026, 3, 1 + n % 28, 8),
        )
        for n in range(5)
    )  # fmt: skip
    monkeypatch.setattr(sitemaps.MonthSitemap, "limit", 2)

    index = client.get("/sitemap.xml").content.decode()
    last = client.get("/sitemap-articles-2026-03.xml?p=3").content.decode()
    past = client.get("/sitemap-articles-2026-03.xml?p=4")

    assert "sitemap-articles-2026-03.xml?p=3" in index
    assert "sitemap-articles-2026-03.xml?p=4" not in index
    assert last.count("<url>") == 1
    assert past.status_code == HTTPStatus.NOT_FOUND


def test_sitemap_sections_are_drawn_as_the_framework_draws_them():
    urlset = [
        {"location": "http://testserver/a?b=1&c=<2>", "lastmod": beijing(2026, 3, 1, 0, 30),
         "changefreq": "monthly", "priority": "", "alternates": []},
        {"location": "http://testserver/channel/x/", "lastmod": None, "changefreq": None,
         "priority": "0.6", "alternates": []},
        {"location": "http://testserver/d/", "lastmod": date(2026, 2, 3), "changefreq": "hourly",
         "priority": "", "alternates": [{"lang_code": "en", "location": "http://testserver/en/d/"}]},
    ]  # fmt: skip

    ours = render_to_string("sitemaps/section.xml", {"urlset": urlset})

    assert ours == render_to_string("sitemap.xml", {"urlset": urlset})
    assert "<lastmod>2026-03-01</lastmod>" in ours  # the day in Beijing, not in UTC


# --- robots.txt -------------------------------------------------------------------------


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
