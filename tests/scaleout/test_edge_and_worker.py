"""nginx with the shipped example configuration in front of gunicorn, and the task worker.

The edge serves static and media files from disk and keeps public pages for a few
seconds; the worker (manage.py worker) purges pages from it, retrying while it is
down; failed and stuck tasks show in the admin and can be put back in the queue.
"""

import json
import socket
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse_lazy
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery import freshness
from delivery.edge import purge, purge_edge_caches
from tests.factories import ArticleFactory, ChannelFactory, UserFactory
from tests.scaleout.servers import Browser, EdgeCache, Worker, nginx_binary, require, wait_until

pytestmark = pytest.mark.scaleout

EDGE_SECONDS = 5  # proxy_cache_valid in deploy/nginx/newsroom.conf
TASKS_ADMIN = reverse_lazy("admin:django_tasks_database_dbtaskresult_changelist")


def edge_in_front_of(app_env, start_server, tmp_path_factory, name: str) -> EdgeCache:
    """Start an app server with ``app_env`` and nginx, configured by deploy/nginx/newsroom.conf,
    in front of it."""
    require(nginx_binary() is not None, "nginx is missing: apt-get install nginx")
    app = start_server(app_env, name)
    return EdgeCache(
        workdir=tmp_path_factory.mktemp(name),
        upstreams=[f"127.0.0.1:{app.port}"],
        static_root=Path(app_env["DJANGO_STATIC_ROOT"]),
        media_root=Path(app_env["DJANGO_MEDIA_ROOT"]),
    ).start()


@pytest.fixture(scope="module")
def edge(server_env, start_server, tmp_path_factory):
    """An app server behind nginx configured by deploy/nginx/newsroom.conf."""
    edge = edge_in_front_of(server_env, start_server, tmp_path_factory, "nginx")
    yield edge
    edge.stop()


@pytest.fixture(scope="module")
def https_edge(server_env, start_server, tmp_path_factory):
    """The same, with the app sending plain-HTTP requests to HTTPS as in production (nginx
    here listens on plain HTTP only, as if a reader had typed http://)."""
    https = {"DJANGO_BEHIND_HTTPS_PROXY": "on", "DJANGO_SSL_REDIRECT": "on"}
    edge = edge_in_front_of(server_env | https, start_server, tmp_path_factory, "nginx-https")
    yield edge
    edge.stop()


@pytest.fixture
def edge_site(edge, transactional_db, shared_cache):
    """The edge, up (a test may have stopped it), with committed data for this test."""
    if not edge.answers():
        edge.start()
    return edge


@pytest.fixture
def database_tasks(settings):
    """Tasks enqueued by this test go to the database queue that the worker reads."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def start_worker(server_env, tmp_path, database_tasks, transactional_db):
    """Start worker processes that purge the given edge caches; stop them afterwards."""
    workers = []

    def start(*edges: str) -> Worker:
        env = {
            **server_env,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "NEWSROOM_EDGE_CACHE_URLS": ",".join(edges),
            "NEWSROOM_EDGE_HOST": "127.0.0.1",
        }
        workers.append(Worker(env=env, log_path=tmp_path / f"worker-{len(workers)}.log"))
        return workers[-1].start()

    yield start
    for worker in workers:
        worker.stop()


def task_row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def wait_for_status(result, status: str, seconds: float = 20) -> DBTaskResult:
    return wait_until(
        lambda: (row := task_row(result)).status == status and row, seconds, f"task {status}"
    )


def fast_forward(result) -> None:
    """Let a retry wait no longer: its backoff has been tested elsewhere; time is short."""
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


# --- Files and pages at the edge -----------------------------------------------------------


def test_the_edge_serves_hashed_static_files_compressed_and_for_ever(edge_site, static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    answer = Browser().get(f"{edge_site.origin}/static/{hashed}", **{"Accept-Encoding": "gzip"})

    assert answer.status == HTTPStatus.OK
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    assert "max-age=315360000" in answer.headers["Cache-Control"]


def test_the_edge_serves_uploaded_photos_from_disk(edge_site):
    photo = edge_site.media_root / "photos" / "2026" / "11" / "jishou.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")

    answer = Browser().get(f"{edge_site.origin}/media/photos/2026/11/jishou.jpg")

    assert answer.status == HTTPStatus.OK
    assert answer.headers["Content-Type"] == "image/jpeg"


def test_the_edge_keeps_a_public_page_a_few_seconds_but_never_an_editors(edge_site):
    article = ArticleFactory(channel=ChannelFactory(), title="凤凰古城游客量创新高")
    url = f"{edge_site.origin}{article.get_absolute_url()}"
    reader = Browser()
    assert reader.get(url).headers["X-Cache-Status"] == "MISS"
    first_seen = time.monotonic()
    type(article).objects.filter(pk=article.pk).update(title="凤凰古城游客量再创新高")
    freshness.announce(article)  # as the desk does on every change

    cached = reader.get(url)

    assert cached.headers["X-Cache-Status"] == "HIT"
    assert "凤凰古城游客量创新高" in cached.text
    editor = reader.get(url, Cookie="sessionid=an-editors-session")
    assert editor.headers["X-Cache-Status"] == "BYPASS"
    assert "凤凰古城游客量再创新高" in editor.text
    # nginx counts in whole seconds: a copy kept "5 s" may live up to 6.
    time.sleep(max(0, EDGE_SECONDS + 1.5 - (time.monotonic() - first_seen)))
    assert "凤凰古城游客量再创新高" in reader.get(url).text


def test_the_edge_passes_the_request_id_and_answers_health_checks(edge_site):
    answer = Browser().get(f"{edge_site.origin}/healthz")

    assert answer.status == HTTPStatus.OK
    assert len(answer.headers["X-Request-ID"]) == 32  # nginx's $request_id, kept by the app


def test_the_edge_never_keeps_the_redirect_to_https_and_a_purge_stores_the_page(
    https_edge, transactional_db, shared_cache, settings
):
    settings.NEWSROOM_EDGE_HOST = "127.0.0.1"
    article = ArticleFactory(channel=ChannelFactory(), title="吉首至怀化城际公交开通")
    url, reader = f"{https_edge.origin}{article.get_absolute_url()}", Browser()
    language = "django_language=zh-hans"

    first, again = reader.get(url, Cookie=language), reader.get(url, Cookie=language)
    assert (first.status, again.status) == (HTTPStatus.MOVED_PERMANENTLY,) * 2
    assert again.headers["Location"].startswith("https://")
    assert again.headers["X-Cache-Status"] == "MISS"  # the redirect was not kept

    assert purge(https_edge.origin, article.get_absolute_url(), "zh-hans") == ""

    # The purge stored the HTTPS page, under the https scheme: plain HTTP still redirects.
    plain = reader.get(url, Cookie=language)
    assert plain.status == HTTPStatus.MOVED_PERMANENTLY


def test_a_language_cookie_the_edge_does_not_key_on_never_poisons_its_copy(
    edge_site, transactional_db
):
    article = ArticleFactory(channel=ChannelFactory(), title="湘西州发布暴雨预警")
    url = f"{edge_site.origin}{article.get_absolute_url()}"

    for _ in range(2):
        poisoning = Browser().get(url, Cookie="django_language=en-us")
        assert poisoning.headers["X-Cache-Status"] == "BYPASS"

    chinese = Browser().get(url, **{"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh-CN"' in chinese.text


def test_the_edge_never_keeps_a_health_check(edge_site):
    for path in ("/healthz", "/readyz"):
        answers = [Browser().get(f"{edge_site.origin}{path}") for _ in range(2)]

        assert [a.headers.get("X-Cache-Status") for a in answers] == [None, None], path
        assert answers[1].headers["Cache-Control"] == "no-store", path


def test_the_edge_never_keeps_the_status_page(edge_site):
    answers = [Browser().get(f"{edge_site.origin}/admin/status/") for _ in range(2)]

    assert [a.headers.get("X-Cache-Status") for a in answers] == [None, None]
    assert [a.status for a in answers] == [HTTPStatus.FOUND] * 2  # to the sign-in page


def test_the_edge_keeps_no_page_for_a_query_the_app_does_not_read(edge_site, transactional_db):
    ArticleFactory(channel=ChannelFactory(), title="龙山县新建三所小学")

    answers = [Browser().get(f"{edge_site.origin}/?x=1") for _ in range(2)]

    assert [a.headers["X-Page-Cache"] for a in answers] == ["NO-STORE"] * 2
    assert answers[1].headers["X-Cache-Status"] != "HIT"


# --- Purges, retries, failures -------------------------------------------------------------


def test_a_withdrawn_article_leaves_the_edge_as_soon_as_the_worker_purges_it(
    edge_site, start_worker
):
    start_worker(edge_site.origin)
    article = ArticleFactory(channel=ChannelFactory(), title="湘西州发布暴雨预警")
    path = article.get_absolute_url()
    reader, english_reader = Browser(), Browser()
    for browser, cookie in ((reader, "zh-hans"), (english_reader, "en")):
        browser.get(f"{edge_site.origin}{path}", Cookie=f"django_language={cookie}")
    article.withdraw(by=UserFactory(is_superuser=True), note="预警已解除")
    stale = reader.get(f"{edge_site.origin}{path}", Cookie="django_language=zh-hans")
    assert (stale.status, stale.headers["X-Cache-Status"]) == (HTTPStatus.OK, "HIT")

    result = purge_edge_caches.enqueue([path])

    assert (
        wait_for_status(result, TaskResultStatus.SUCCESSFUL).return_value == 4
    )  # 2 schemes x 2 languages
    for browser, cookie in ((reader, "zh-hans"), (english_reader, "en")):
        gone = browser.get(f"{edge_site.origin}{path}", Cookie=f"django_language={cookie}")
        # A HIT on a 410: the purge stored the fresh answer; the old copy did not just expire.
        assert (gone.status, gone.headers["X-Cache-Status"]) == (HTTPStatus.GONE, "HIT")
    again = purge_edge_caches.enqueue([path])  # purging twice is harmless
    assert (
        wait_for_status(again, TaskResultStatus.SUCCESSFUL).return_value == 4
    )  # 2 schemes x 2 languages


def test_a_purge_is_retried_until_the_edge_is_back(edge_site, start_worker):
    start_worker(edge_site.origin)
    edge_site.stop()

    result = purge_edge_caches.enqueue(["/"])

    waiting = wait_until(
        lambda: (row := task_row(result)).worker_ids and row.status == "READY" and row,
        20,
        "the first attempt to fail",
    )
    assert "Connection refused" in waiting.traceback  # the admin shows why it waits
    assert waiting.run_after > timezone.now()
    edge_site.start()
    fast_forward(result)
    done = wait_for_status(result, TaskResultStatus.SUCCESSFUL)
    assert len(done.worker_ids) == 2


def test_a_task_that_keeps_failing_is_shown_in_the_admin_and_can_be_requeued(
    edge_site, start_worker, admin_client
):
    start_worker(edge_site.origin)
    edge_site.stop()
    result = purge_edge_caches.enqueue(["/"])
    for attempt in range(1, 5):
        wait_until(
            lambda n=attempt: (
                len(task_row(result).worker_ids) == n and task_row(result).status == "READY"
            ),
            20,
            f"attempt {attempt} to fail",
        )
        fast_forward(result)

    failed = wait_for_status(result, TaskResultStatus.FAILED)

    assert len(failed.worker_ids) == 5
    listing = admin_client.get(f"{TASKS_ADMIN}?attention=failed")
    assert listing.status_code == HTTPStatus.OK
    assert "purge_edge_caches" in listing.text
    assert "EdgePurgeError" in listing.text
    edge_site.start()
    admin_client.post(
        TASKS_ADMIN,
        {"action": "requeue", "_selected_action": [str(failed.pk)]},
    )
    assert len(wait_for_status(result, TaskResultStatus.SUCCESSFUL).worker_ids) == 6


def test_a_task_whose_worker_died_is_shown_stuck_in_the_admin(
    edge_site, start_worker, admin_client, settings
):
    hanging_edge = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    doomed = start_worker(f"http://127.0.0.1:{hanging_edge.getsockname()[1]}")
    result = purge_edge_caches.enqueue(["/"])
    wait_for_status(result, TaskResultStatus.RUNNING)

    doomed.kill()

    settings.TASKS_STUCK_AFTER_SECONDS = 0
    listing = admin_client.get(f"{TASKS_ADMIN}?attention=stuck")
    assert "purge_edge_caches" in listing.text
    assert task_row(result).status == "RUNNING"  # and would stay so forever
    admin_client.post(
        TASKS_ADMIN,
        {"action": "requeue", "_selected_action": [str(result.id)]},
    )
    start_worker(edge_site.origin)
    assert wait_for_status(result, TaskResultStatus.SUCCESSFUL)
    hanging_edge.close()
