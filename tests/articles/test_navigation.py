"""The channel tree every page shows: read from the cache, kept between requests only while
the ``site`` version and the cached copy it came from are unchanged."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Channel
from delivery import freshness
from tests.factories import ChannelFactory
from website import navigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels():
    parent = ChannelFactory(name="县市区", slug="xianshiqu", position=1)
    ChannelFactory(name="泸溪县", slug="luxixian", parent=parent)
    return parent


def test_the_tree_links_sub_channels_and_parents(channels):
    tree = navigation.tree()

    county = tree.get("luxixian")
    assert county.parent is tree.get("xianshiqu")
    assert [c.slug for c in tree.get("xianshiqu").sub_channels] == ["luxixian"]


def test_the_tree_is_built_once_while_the_site_is_unchanged(channels):
    first = navigation.tree()

    with CaptureQueriesContext(connection) as queries:
        second = navigation.tree()

    assert second is first
    assert len(queries) == 0


def test_a_site_change_gives_every_process_the_new_tree(channels):
    navigation.tree()
    Channel.objects.filter(slug="xianshiqu").update(name="县市")

    freshness.touch("site")

    assert navigation.tree().get("xianshiqu").name == "县市"


def test_a_cleared_cache_gives_a_tree_read_afresh(channels):
    navigation.tree()
    Channel.objects.filter(slug="xianshiqu").update(name="县市")

    cache.clear()

    assert navigation.tree().get("xianshiqu").name == "县市"


def test_a_copy_cached_again_by_another_process_replaces_the_kept_tree(channels):
    navigation.tree()
    renamed = list(Channel.objects.order_by("position", "id"))
    next(c for c in renamed if c.slug == "xianshiqu").name = "县市"

    # Another process found the copy gone and cached the channels again, same version.
    cache.set("channels:0", renamed)
    cache.set(navigation.LOADED_KEY, (0, "another"))

    assert navigation.tree().get("xianshiqu").name == "县市"


# --- Header and footer: drawn once per tree ------------------------------------------


def nav_of(html: str) -> str:
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def test_header_and_footer_are_drawn_once_per_tree_without_asking_the_cache(
    client, channels, monkeypatch
):
    client.get("/")
    asked = []
    backend = caches["default"]
    real = backend.get
    monkeypatch.setattr(
        backend, "get", lambda key, *a, **k: asked.append(key) or real(key, *a, **k)
    )

    html = client.get("/").content.decode()

    assert '<a href="/channel/xianshiqu/">县市区</a>' in nav_of(html)
    assert "site-footer" in html
    assert asked  # the tree's version, the home page's lists...
    assert not [key for key in asked if "header" in key or "footer" in key]


def test_the_header_shows_a_renamed_channel_at_once(client, channels):
    client.get("/")
    Channel.objects.filter(slug="xianshiqu").update(name="县市")

    freshness.touch("site")  # as saving a channel does
    html = client.get("/").content.decode()

    assert '<a href="/channel/xianshiqu/">县市</a>' in nav_of(html)


def test_a_cleared_cache_draws_the_header_afresh(client, channels):
    client.get("/")
    Channel.objects.filter(slug="xianshiqu").update(name="县市")

    cache.clear()
    html = client.get("/").content.decode()

    assert '<a href="/channel/xianshiqu/">县市</a>' in nav_of(html)


def test_header_and_footer_are_drawn_in_the_reader_s_language(client, channels):
    chinese = client.get("/", headers={"cookie": "django_language=zh-hans"}).content.decode()
    english = client.get("/", headers={"cookie": "django_language=en"}).content.decode()
    again = client.get("/", headers={"cookie": "django_language=zh-hans"}).content.decode()

    assert '<a href="/">首页</a>' in nav_of(chinese)
    assert '<a href="/">Home</a>' in nav_of(english)
    assert again == chinese


def test_every_page_links_its_feeds_and_style_sheet_in_each_language(client, channels):
    for language in ("zh-hans", "en", "zh-hans"):
        for path in ("/", "/channel/xianshiqu/"):
            html = client.get(
                path, headers={"cookie": f"django_language={language}"}
            ).content.decode()
            head = html[: html.index("</head>")]

            assert 'type="application/rss+xml" title="红岭网湘西站" href="/feeds/rss/"' in head
            assert 'type="application/atom+xml" title="红岭网湘西站" href="/feeds/atom/"' in head
            assert '<link rel="stylesheet" href="/static/css/site' in head
