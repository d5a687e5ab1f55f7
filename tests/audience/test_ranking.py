"""点击排行 and 阅读量 on the site: numbers from the database, read from the cache, no query."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audience import counter, ranking, totals
from audience.models import HourlyReads
from audience.tasks import fold_and_refresh
from tests import factories
from tests.audience.conftest import BROWSER

pytestmark = pytest.mark.django_db


def reads(article, count: int, hours_ago: int) -> None:
    hour = (timezone.now() - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    HourlyReads.objects.create(article=article, channel=article.channel, hour=hour, reads=count)


@pytest.fixture
def read_stories(county_channel):
    """Three stories in 泸溪县, one in another section, with reads over the last week."""
    other = factories.ChannelFactory(name="社会", slug="shehui")
    stories = {
        name: factories.ArticleFactory(title=name, channel=channel)
        for name, channel in [
            ("昨天最热", county_channel),
            ("本周最热", county_channel),
            ("冷门", county_channel),
            ("别的栏目", other),
        ]
    }
    reads(stories["昨天最热"], 50, hours_ago=2)
    reads(stories["昨天最热"], 10, hours_ago=30)
    reads(stories["本周最热"], 30, hours_ago=5)
    reads(stories["本周最热"], 100, hours_ago=100)
    reads(stories["冷门"], 1, hours_ago=1)
    reads(stories["别的栏目"], 40, hours_ago=3)
    reads(stories["别的栏目"], 999, hours_ago=24 * 8)  # older than a week
    return stories


def titles(entries) -> list[tuple[str, int]]:
    return [(entry.title, entry.reads) for entry in entries]


def test_the_lists_rank_by_reads_in_their_window(read_stories, county_channel):
    ranking.refresh()
    site = {window: entries for window, _label, entries in ranking.ranking()}
    assert titles(site["day"]) == [
        ("昨天最热", 50),
        ("别的栏目", 40),
        ("本周最热", 30),
        ("冷门", 1),
    ]
    assert titles(site["week"]) == [
        ("本周最热", 130), ("昨天最热", 60), ("别的栏目", 40), ("冷门", 1),
    ]  # fmt: skip
    county = {window: entries for window, _label, entries in ranking.ranking(county_channel)}
    assert titles(county["day"]) == [("昨天最热", 50), ("本周最热", 30), ("冷门", 1)]
    section = {w: e for w, _label, e in ranking.ranking(county_channel.parent)}
    assert titles(section["week"]) == titles(county["week"])


def test_a_list_holds_at_most_the_ranking_size(read_stories, settings):
    settings.NEWSROOM_RANKING_SIZE = 2
    ranking.refresh()
    site = {window: entries for window, _label, entries in ranking.ranking()}
    assert titles(site["week"]) == [("本周最热", 130), ("昨天最热", 60)]


def test_withdrawn_stories_leave_the_lists(read_stories):
    story = read_stories["本周最热"]
    story.status = story.Status.WITHDRAWN
    story.save()
    ranking.refresh()
    site = {window: entries for window, _label, entries in ranking.ranking()}
    assert "本周最热" not in [entry.title for entry in site["week"]]


def test_the_lists_are_read_from_the_cache_until_the_next_refresh(
    read_stories, django_assert_num_queries
):
    assert ranking.ranking() == []  # not worked out yet: nothing shown
    ranking.refresh()
    reads(read_stories["冷门"], 500, hours_ago=0)
    with django_assert_num_queries(0):
        site = {window: entries for window, _label, entries in ranking.ranking()}
    assert site["day"][0].title == "昨天最热"
    ranking.refresh()
    site = {window: entries for window, _label, entries in ranking.ranking()}
    assert site["day"][0].title == "冷门"


def test_home_and_channel_pages_show_the_ranking_without_a_query_more(
    client, read_stories, county_channel
):
    for path in ["/", county_channel.get_absolute_url()]:
        cache.clear()
        with CaptureQueriesContext(connection) as without:
            assert "点击排行" not in client.get(path).content.decode()
        cache.clear()
        ranking.refresh()
        with CaptureQueriesContext(connection) as shown:
            page = client.get(path).content.decode()
        assert "点击排行" in page
        assert "昨天最热" in page
        assert len(shown) == len(without)


def test_reads_show_under_the_headline_only_where_the_channel_turns_them_on(
    client, read_stories, county_channel
):
    story = read_stories["本周最热"]
    totals.remember([story.pk])
    page = client.get(story.get_absolute_url()).content.decode()
    assert "阅读量" not in page
    county_channel.show_reads = True
    county_channel.save()
    cache.clear()
    totals.remember([story.pk])
    page = client.get(story.get_absolute_url()).content.decode()
    assert "阅读量 130" in page


def test_the_article_page_carries_the_beacon_and_its_noscript_image(client, full_article):
    page = client.get(full_article.get_absolute_url()).content.decode()
    url = f"/read/{full_article.pk}/"
    assert f'data-url="{url}"' in page
    assert f'<noscript><img class="read-beacon" src="{url}"' in page
    assert "<script>" not in page  # no inline script: the CSP allows none


def test_after_a_burst_of_reads_the_site_shows_the_databases_numbers(
    client, reads_redis, county_channel
):
    county_channel.show_reads = True
    county_channel.save()
    story = factories.ArticleFactory(title="椪柑丰收", channel=county_channel)
    for reader in range(7):
        counter.record(story.pk, f"10.0.0.{reader}", BROWSER)

    fold_and_refresh()

    in_database = HourlyReads.objects.filter(article=story).aggregate(n=Sum("reads"))["n"]
    assert in_database == 7
    home = client.get("/").content.decode()
    assert '椪柑丰收</a> <span class="ranking__reads">7 次阅读' in home
    assert "阅读量 7" in client.get(story.get_absolute_url()).content.decode()


def test_the_demo_burst_of_reads_reaches_the_database_and_the_ranking(reads_redis, read_stories):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        call_command("simulate_reads", reads=200, seed=1, stdout=io.StringIO())

    added = HourlyReads.objects.filter(hour=now.replace(minute=0, second=0, microsecond=0))
    assert added.aggregate(n=Sum("reads"))["n"] == 200
    site = {window: entries for window, _label, entries in ranking.ranking()}
    top = site["week"][0]
    everything = HourlyReads.objects.filter(article=top.pk).aggregate(n=Sum("reads"))["n"]
    assert top.reads == everything


def test_the_demo_burst_needs_a_redis(settings, read_stories):
    with pytest.raises(CommandError, match="No Redis"):
        call_command("simulate_reads", reads=1)
