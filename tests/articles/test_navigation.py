"""The channel tree every page shows: read from the cache, kept between requests only while
the ``site`` version and the cached copy it came from are unchanged."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import freshness, navigation
from articles.models import Channel
from tests.factories import ChannelFactory

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
