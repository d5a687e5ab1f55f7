"""The desk's search box finds a story by its body text and byline, published or not;
the public search still finds only what the public may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from search import search
from tests.factories import ArticleFactory, AuthorFactory, credit

pytestmark = pytest.mark.django_db

BODY = "<p>今年入秋以后，沅水流域的<strong>橘园</strong>迎来采摘高峰，果农忙着分拣装箱。</p>"


def changelist(client, query: str) -> str:
    return client.get(reverse("admin:articles_article_changelist"), {"q": query}).content.decode()


@pytest.fixture
def stories(staff, county_channel):
    live = ArticleFactory(title="泸溪县秋收见闻", body=BODY, channel=county_channel)
    search.index_article(live)
    draft = ArticleFactory(
        draft=True, title="一篇还在写的稿子", body=BODY, created_by=staff.writer,
        channel=county_channel,
    )  # fmt: skip
    in_review = ArticleFactory(
        draft=True, title="送审中的稿子", body=BODY, created_by=staff.writer,
        channel=county_channel,
    )  # fmt: skip
    in_review.submit(by=staff.writer)
    other = ArticleFactory(title="吉首大学开学", body="<p>新生报到。</p>", channel=county_channel)
    search.index_article(other)
    return live, draft, in_review, other


def test_an_editor_finds_stories_by_a_phrase_only_in_their_body(client, staff, stories):
    live, draft, in_review, other = stories
    client.force_login(staff.editor)

    html = changelist(client, "沅水 橘园")

    for found in (live, draft, in_review):
        assert found.title in html
    assert other.title not in html


def test_a_word_cut_in_two_by_the_index_is_still_found(client, staff, stories):
    client.force_login(staff.editor)

    html = changelist(client, "采摘高峰")

    assert "泸溪县秋收见闻" in html
    assert "一篇还在写的稿子" in html


def test_every_word_must_be_in_the_body(client, staff, stories):
    client.force_login(staff.editor)

    html = changelist(client, "橘园 大桥")

    assert "泸溪县秋收见闻" not in html
    assert "一篇还在写的稿子" not in html


def test_an_editor_finds_a_story_by_its_author(client, staff, stories):
    _live, draft, _in_review, other = stories
    credit(draft, AuthorFactory(name="杨丽芳", role="reporter"), 0)
    Article.objects.filter(pk=other.pk).update(byline_override="本报记者 向明辉")
    client.force_login(staff.editor)

    assert draft.title in changelist(client, "杨丽芳")
    assert other.title in changelist(client, "向明辉")
    assert other.title not in changelist(client, "杨丽芳")


def test_a_writer_finds_only_what_they_may_see(client, staff, stories):
    live, draft, _in_review, _other = stories
    someone_elses = ArticleFactory(draft=True, title="别人的草稿", body=BODY)
    client.force_login(staff.writer)

    html = changelist(client, "橘园")

    assert live.title in html
    assert draft.title in html
    assert someone_elses.title not in html


def test_the_public_search_still_finds_only_published_stories(client, stories):
    html = client.get(reverse("articles:search"), {"q": "橘园"}).content.decode()

    assert "泸溪县秋收见闻" in html
    assert "一篇还在写的稿子" not in html
    assert "送审中的稿子" not in html


def test_searching_the_list_costs_the_same_queries_whatever_it_finds(client, staff, stories):
    client.force_login(staff.editor)
    url = reverse("admin:articles_article_changelist")
    client.get(url, {"q": "新生报到"})  # warm up the word list and the session

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"q": "新生报到"})
    for n in range(5):
        ArticleFactory(draft=True, title=f"更多稿件{n}", body="<p>新生报到。</p>")
    with CaptureQueriesContext(connection) as six:
        client.get(url, {"q": "新生报到"})

    assert len(six) == len(one)
