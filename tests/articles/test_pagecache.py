"""The page cache: anonymous readers get stored pages, and no stored page outlives a change
to anything it shows."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Placement, Topic
from delivery import freshness, pagecache
from delivery.pagecache import PageCacheMiddleware, depends_on
from tests.factories import ArticleFactory, ChannelFactory, go_live, review_through_chain
from tests.shared_redis import redis_cache  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def page_cache_on(request, settings):
    """Every rule holds on the in-process cache and on Redis, whose look-up checks the
    versions in the same round trip (ops/cache.py)."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    if request.param == "redis":
        settings.CACHES = {"default": request.getfixturevalue("redis_cache")}


@pytest.fixture
def clock_travels(settings):
    """Time travel moves this process's clock, not Redis's, which expires keys by its own."""
    if "Redis" in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("Redis expires stored pages by its own clock")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the work that waits for a commit (the purges), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page(client, path: str, **headers) -> tuple[HttpResponse, str]:
    response = client.get(path, headers=headers)
    return response, response.content.decode()


@pytest.fixture
def desk(staff, committed):
    """A channel with a live article from last week, and the staff to move articles."""
    staff.channel = ChannelFactory(name="民生", slug="minsheng")
    staff.older = ArticleFactory(
        title="上周的民生新闻", channel=staff.channel,
        first_published_at=timezone.now() - timedelta(days=7),
    )  # fmt: skip
    staff.older.tags.set(["民生实事"])
    staff.committed = committed
    return staff


# --- Serving ----------------------------------------------------------------------------


def test_a_second_reader_gets_the_stored_page_for_at_most_one_single_row_query(
    client, desk, monkeypatch
):
    """The page generation is read from the database at most once per COPY_SECONDS."""
    now = [1000.0]
    monkeypatch.setattr(pagecache, "monotonic", lambda: now[0])
    path = desk.older.get_absolute_url()
    first, _ = page(client, path)

    with CaptureQueriesContext(connection) as soon:
        second, _ = page(client, path)
    now[0] += pagecache.COPY_SECONDS
    with CaptureQueriesContext(connection) as later:
        third, _ = page(client, path)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("MISS", "HIT")
    assert len(soon) == 0
    assert third["X-Page-Cache"] == "HIT"
    assert len(later) == 1
    assert "ops_pagegeneration" in later[0]["sql"]
    assert second.content == third.content == first.content
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_signed_in_editors_always_get_fresh_private_pages(client, desk):
    client.force_login(desk.chief)

    page(client, "/")
    response, _ = page(client, "/")

    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_each_language_has_its_own_copy(client, desk):
    _, chinese = page(client, "/")
    _, english = page(client, "/", cookie="django_language=en")

    assert "最新稿件" in chinese
    assert "Latest articles" in english


def test_a_stored_page_answers_conditional_requests_with_304(client, desk):
    first, _ = page(client, "/")

    again = client.get("/", headers={"if-none-match": first["ETag"]})

    assert first["ETag"]
    assert again.status_code == HTTPStatus.NOT_MODIFIED


# --- Publishing, editing, withdrawing -----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/channel/minsheng/",
        "/feeds/rss/",
        "/sitemap-news.xml",
        "/search/?q=%E6%B0%91%E7%94%9F",
    ],
)
def test_a_published_article_shows_at_once_on_every_list_of_its_channel(client, desk, path):
    page(client, path)  # stored before the news breaks

    go_live(desk, title="民生实事新进展")

    response, html = page(client, path)
    assert "新进展" in html  # search results mark the words found: <mark>民生</mark>实事新进展
    assert response["X-Page-Cache"] == "MISS"


def test_a_published_article_shows_on_its_tag_and_author_pages(client, desk):
    article = ArticleFactory(draft=True, created_by=desk.writer, channel=desk.channel)
    article.tags.set(["民生实事"])
    tag_page = reverse("articles:tag", args=[article.tags.get().slug])
    page(client, tag_page)

    review_through_chain(article, [desk.editor, desk.managing, desk.chief])
    with desk.committed():
        article.publish(by=desk.chief)

    assert article.title in page(client, tag_page)[1]


def test_the_previous_article_links_to_the_new_one_at_once(client, desk):
    older_page = desk.older.get_absolute_url()
    assert "上一篇" not in page(client, older_page)[1]

    go_live(desk, title="最新的一篇")

    assert "上一篇：" in page(client, older_page)[1]
    assert "最新的一篇" in page(client, older_page)[1]


def test_an_edit_through_a_working_copy_shows_everywhere_at_once(client, desk):
    live = go_live(desk, title="原来的标题")
    live.tags.set(["旧标签"])
    old_tag = reverse("articles:tag", args=[live.tags.get().slug])
    for path in (live.get_absolute_url(), "/", old_tag):
        page(client, path)
    copy = live.start_revision(by=desk.writer)
    copy.title = "改过的标题"
    copy.save()
    copy.tags.set(["新标签"])
    review_through_chain(copy, [desk.editor2, desk.managing, desk.chief])

    with desk.committed():
        copy.publish(by=desk.chief, note="更正了标题")

    article_page = page(client, live.get_absolute_url())[1]
    assert "改过的标题" in article_page
    assert "更正了标题" in article_page
    assert "改过的标题" in page(client, "/")[1]
    assert "原来的标题" not in page(client, old_tag)[1]


def test_a_withdrawn_article_leaves_every_stored_page_at_once(client, desk):
    article = go_live(desk, title="将被撤下的稿件")
    article.tags.set(["民生实事"])
    desk.older.picks.create(to_article=article)
    Topic.objects.create(title="专题", slug="zt").sections.create(title="版块").entries.create(
        article=article
    )
    from search import related

    related.refresh(desk.older)
    paths = ["/", "/channel/minsheng/", desk.older.get_absolute_url(), "/topic/zt/",
             "/feeds/rss/", reverse("articles:tag", args=[article.tags.get().slug])]  # fmt: skip
    for path in [article.get_absolute_url(), *paths]:
        assert "将被撤下的稿件" in page(client, path)[1], path

    with desk.committed():
        article.withdraw(by=desk.chief, note="事实有误")

    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.GONE
    for path in paths:
        assert "将被撤下的稿件" not in page(client, path)[1], path


# --- Time ---------------------------------------------------------------------------------


def test_a_scheduled_article_appears_on_stored_pages_at_its_time(client, desk, clock_travels):
    moment = timezone.now() + timedelta(minutes=30)
    go_live(desk, title="半小时后发布的稿件", at=moment)

    before = page(client, "/channel/minsheng/")[1]
    with time_machine.travel(moment + timedelta(seconds=1)):
        after = page(client, "/channel/minsheng/")[1]

    assert "半小时后发布的稿件" not in before
    assert "半小时后发布的稿件" in after


def test_a_headline_drops_off_stored_pages_when_its_time_ends(client, desk, clock_travels):
    end = timezone.now() + timedelta(minutes=10)
    Placement.objects.create(article=desk.older, slot="headline", ends_at=end)
    freshness.touch("home")

    before = page(client, "/")[1]
    with time_machine.travel(end + timedelta(seconds=1)):
        after = page(client, "/")[1]

    assert "上周的民生新闻" in before[: before.index("最新稿件")]
    assert "上周的民生新闻" not in after[: after.index("最新稿件")]


# --- Admin changes ------------------------------------------------------------------------


def test_placing_an_article_in_the_admin_shows_on_the_stored_home_page(client, desk):
    anonymous_home = page(client, "/")[1]
    assert "头条" not in anonymous_home
    editor = client.__class__()
    editor.force_login(desk.chief)

    editor.post(
        reverse("admin:articles_placement_add"),
        {"slot": "headline", "article": desk.older.pk, "position": 0},
    )

    home = page(client, "/")[1]
    assert "上周的民生新闻" in home[: home.index("最新稿件")]


def test_renaming_a_channel_in_the_admin_shows_on_every_stored_page(client, desk):
    page(client, desk.older.get_absolute_url())
    editor = client.__class__()
    editor.force_login(desk.chief)

    editor.post(
        reverse("admin:articles_channel_change", args=[desk.channel.pk]),
        {"name": "民生服务", "slug": "minsheng", "position": 1, "in_navigation": "on",
         "kind": "news", "description": ""},
    )  # fmt: skip

    assert "民生服务" in page(client, desk.older.get_absolute_url())[1]


# --- Building while something changes -----------------------------------------------------


def test_a_page_built_while_anything_changed_is_not_stored(settings):
    def view_that_sees_a_change(request):
        depends_on(request, "home")
        freshness.touch("article:1")  # an editor publishes while this page is built
        return HttpResponse("旧的首页")

    middleware = PageCacheMiddleware(view_that_sees_a_change)
    request = RequestFactory().get("/")

    middleware(request)
    again = middleware(RequestFactory().get("/"))

    assert again["X-Page-Cache"] == "MISS"


def test_a_copy_stored_in_the_middle_of_a_change_never_pairs_new_versions_with_the_old_epoch(
    monkeypatch,
):
    topics = {f"article:{pk}" for pk in range(1, 21)} | {"home", "feeds", "sitemaps"}
    freshness.touch(*topics)  # every key exists: each step of the next change is one incr
    start = freshness.versions(topics | {freshness.EPOCH})
    backend, seen = caches["default"], []
    incr = backend.incr

    def incr_then_look(key, *args, **kwargs):
        value = incr(key, *args, **kwargs)
        seen.append(freshness.versions(topics | {freshness.EPOCH}))  # a reader storing now
        return value

    monkeypatch.setattr(backend, "incr", incr_then_look)

    freshness.touch(*topics)

    assert len(seen) == len(topics) + 1
    for now in seen:
        if any(now[topic] != start[topic] for topic in topics):
            assert now[freshness.EPOCH] != start[freshness.EPOCH]


def wsgi_get(path: str, **headers: str) -> tuple[str, dict, bytes]:
    """Ask the WSGI application for a page, as gunicorn would."""
    from wsgiref.util import setup_testing_defaults

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from newsroom.wsgi import application

    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", **headers}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status: str, headers: list) -> None:
        answer.update(status=status, headers=dict(headers))

    # The test's database connection stays open across the request, as the test client's.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_a_stored_page_is_answered_in_the_readers_language(client, desk):
    page(client, "/", cookie="django_language=en")

    status, headers, body = wsgi_get("/", HTTP_COOKIE="django_language=en")

    assert (status, headers["X-Page-Cache"]) == ("200 OK", "HIT")
    assert "Latest articles" in body.decode()


def test_a_stored_page_answers_head_and_conditional_requests(client, desk):
    stored, _ = page(client, "/")

    head = wsgi_get("/", REQUEST_METHOD="HEAD")
    unchanged = wsgi_get("/", HTTP_IF_NONE_MATCH=stored["ETag"])

    assert (head[0], head[1]["Content-Length"], head[2]) == (
        "200 OK",
        str(len(stored.content)),
        b"",
    )
    assert (unchanged[0], unchanged[2]) == ("304 Not Modified", b"")
    assert "Content-Length" not in unchanged[1]


def test_a_stored_page_costs_one_round_trip_to_redis(client, desk, settings, monkeypatch):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("round trips are Redis's")
    from redis.connection import Connection

    page(client, "/")
    sent = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection, "send_packed_command", lambda *a, **k: sent.append(1) or send(*a, **k)
    )

    status, headers, _ = wsgi_get("/")

    assert (status, headers["X-Page-Cache"]) == ("200 OK", "HIT")
    assert len(sent) == 1


def test_a_stored_page_is_not_answered_once_a_topic_it_shows_moves(client, desk):
    page(client, desk.older.get_absolute_url())

    freshness.touch(f"article:{desk.older.pk}")

    assert page(client, desk.older.get_absolute_url())[0]["X-Page-Cache"] == "MISS"


def test_readers_with_a_session_never_get_a_stored_page(client, desk):
    page(client, "/")

    with_session = wsgi_get("/", HTTP_COOKIE="sessionid=abc; theme=dark")
    lookalike = wsgi_get("/", HTTP_COOKIE="old_sessionid_note=1")

    assert with_session[1].get("X-Page-Cache") != "HIT"
    assert lookalike[1]["X-Page-Cache"] == "HIT"
