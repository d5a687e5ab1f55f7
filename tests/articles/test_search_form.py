"""The search form's limits: every bad input gets a page in Chinese with the error on its
field, never a server error or a bare refusal."""

import re
import runpy
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache

from search.search import MAX_QUERY_CHARS, index_article
from tests.factories import ArticleFactory, beijing

pytestmark = pytest.mark.django_db


def described_error(html: str, field: str) -> str:
    """The error text the field's aria-describedby points at (it must exist)."""
    form = html[html.index('<form class="search-form"') :]
    tag = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', form).group(0)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    message = re.search(rf'<p class="search-form__error" id="{described}">(.*?)</p>', html)
    assert message, f"nothing on the page has the id {described}"
    return message.group(1)


def test_a_date_past_any_calendar_is_an_error_on_its_field_not_a_server_error(client):
    index_article(ArticleFactory(title="猕猴桃丰收", first_published_at=beijing(2024, 9, 1)))

    response = client.get("/search/", {"q": "猕猴桃", "date_to": "9999-12-31"})

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "1900-01-01 至 2100-12-31" in described_error(html, "date_to")
    assert "<mark>猕猴桃</mark>丰收" in html  # searched without the date


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_outside_the_range_are_refused_on_their_field(client, day):
    html = client.get("/search/", {"q": "猕猴桃", "date_from": day}).content.decode()

    assert "1900-01-01 至 2100-12-31" in described_error(html, "date_from")


def test_a_reversed_range_is_described_on_the_end_date(client):
    html = client.get(
        "/search/", {"q": "猕猴桃", "date_from": "2024-12-01", "date_to": "2024-01-01"}
    ).content.decode()

    assert "截止日期不能早于起始日期" in described_error(html, "date_to")


def test_a_500_character_query_is_answered_in_chinese_naming_the_limit(client):
    response = client.get("/search/", {"q": "湘西椪柑丰收" * 84})  # 504 characters

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert described_error(html, "q") == (
        f"关键词最多 {MAX_QUERY_CHARS} 个字（现有 504 个），请缩短后再搜索。"
    )


def test_a_query_at_the_limit_is_searched(client):
    index_article(ArticleFactory(title="猕猴桃丰收"))

    query = "猕猴桃，" * (MAX_QUERY_CHARS // 4)
    assert len(query) == MAX_QUERY_CHARS

    html = client.get("/search/", {"q": query}).content.decode()

    assert "<mark>猕猴桃</mark>丰收" in html
    assert "search-form__error" not in html


def test_both_search_boxes_stop_typing_at_the_limit(client):
    html = client.get("/search/").content.decode()

    boxes = re.findall(r'<input[^>]*name="q"[^>]*>', html)
    assert len(boxes) == 2  # the header's and the page's
    assert all(f'maxlength="{MAX_QUERY_CHARS}"' in box for box in boxes)


def test_the_app_server_reads_a_pasted_500_character_search_link():
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    query = urlencode({"q": "湘西椪柑丰收" * 84, "channel": "xianshiqu", "date_to": "2024-12-31"})
    request_line = f"GET /search/?{query} HTTP/1.1"

    assert len(request_line.encode()) > 4094  # gunicorn's default would refuse it
    assert config["limit_request_line"] >= len(request_line.encode())


def filters_of(html: str) -> str:
    start = html.index('<div class="search-form__filters">')
    return html[start : html.index("</form>", start)]


FILTER_STATES = [
    {},
    {"channel": ""},
    {"channel": "xianshiqu"},
    {"channel": "luxixian", "sort": "date"},
    {"sort": "date"},
    {"channel": "nowhere"},
    {"sort": "oldest"},
    {"date_from": "2024-01-01", "channel": "xianshiqu"},
    {"date_to": "9999-12-31"},
]


@pytest.mark.parametrize("state", FILTER_STATES)
def test_the_kept_filters_are_the_filters_drawn_afresh(client, county_channel, state):
    for drawn in FILTER_STATES:  # each drawn, and kept if it may be
        client.get("/search/", {"q": "椪柑", **drawn})
    kept = client.get("/search/", {"q": "猕猴桃", **state}).content.decode()
    cache.clear()  # a new channel tree: nothing drawn yet

    fresh = client.get("/search/", {"q": "猕猴桃", **state}).content.decode()

    assert filters_of(kept) == filters_of(fresh)


def test_the_filters_are_drawn_once_per_channel_tree_and_state(client, county_channel):
    first = client.get("/search/", {"q": "椪柑", "channel": "luxixian"})

    again = client.get("/search/", {"q": "猕猴桃", "channel": "luxixian"})
    other = client.get("/search/", {"q": "猕猴桃", "channel": "xianshiqu"})
    dated = client.get("/search/", {"q": "猕猴桃", "date_from": "2024-01-01"})

    drawn = [{t.name for t in response.templates} for response in (first, again, other, dated)]
    select = "django/forms/widgets/select.html"
    assert [select in names for names in drawn] == [True, False, True, True]
    assert 'value="luxixian" selected' in filters_of(again.content.decode())
