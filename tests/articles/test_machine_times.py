"""Machine-readable times are whole seconds in Beijing time, wherever the site writes them."""

import json
import re

import feedparser
import pytest

from search import search
from tests.factories import ArticleFactory, beijing

pytestmark = pytest.mark.django_db

# A moment with a fraction of a second, as timezone.now() gives it to a publication.
PUBLISHED = beijing(2026, 12, 7, 4, 12, 50, 187008)
WRITTEN = "2026-12-07T04:12:50+08:00"


@pytest.fixture
def published_now(county_channel):
    article = ArticleFactory(
        channel=county_channel, title="泸溪椪柑丰收", first_published_at=PUBLISHED
    )
    search.index_article(article)
    return article


def datetimes(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]*)"', html)


@pytest.mark.parametrize("path", ["/", "/channel/luxixian/", "/search/?q=椪柑"])
def test_lists_write_the_time_of_publication_to_the_second(client, published_now, path):
    html = client.get(path).content.decode()

    assert WRITTEN in datetimes(html)
    assert ".187008" not in html


def test_article_page_and_its_structured_data_write_whole_seconds(client, published_now):
    html = client.get(published_now.get_absolute_url()).content.decode()

    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert WRITTEN in datetimes(html)
    assert data["datePublished"] == WRITTEN
    assert ".187008" not in html


def test_feeds_write_whole_seconds(client, published_now):
    atom = client.get("/feeds/atom/").content.decode()
    entry = feedparser.parse(atom).entries[0]

    assert ".187008" not in atom
    assert entry.published == WRITTEN
