"""List links are built from a URL shape reverse() made once: always what reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from articles.links import url_for

ARTICLE = {"year": "2024", "month": "02", "day": "09", "pk": "8123"}


@pytest.fixture
def script_prefix():
    """Serve the site under a path for one test, as a reverse proxy may."""
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/xiangxi/", "/7777/88/", "/%7B%7D/", "/湘西/"])
def test_links_match_reverse_under_any_script_prefix(script_prefix, prefix):
    script_prefix(prefix)

    assert url_for("articles:article", **ARTICLE) == reverse("articles:article", kwargs=ARTICLE)
    assert url_for("articles:channel", slug="xianshiqu") == reverse(
        "articles:channel", kwargs={"slug": "xianshiqu"}
    )


def test_links_follow_a_change_of_script_prefix(script_prefix):
    before = url_for("articles:channel", slug="minsheng")
    script_prefix("/xiangxi/")

    assert before == "/channel/minsheng/"
    assert url_for("articles:channel", slug="minsheng") == "/xiangxi/channel/minsheng/"


def test_values_that_need_quoting_get_exactly_what_reverse_gives():
    assert url_for("articles:tag", slug="乡村振兴") == reverse(
        "articles:tag", kwargs={"slug": "乡村振兴"}
    )


def test_links_are_the_same_in_every_language():
    with translation.override("en"):
        english = url_for("articles:article", **ARTICLE)

    assert english == url_for("articles:article", **ARTICLE) == "/content/2024/02/09/8123.html"
