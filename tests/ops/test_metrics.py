"""/metrics: what operators can watch, and who may read it."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from delivery.edge import purge_edge_caches
from tests.factories import ArticleFactory, member

TOKEN = "s3cret-scraper-token"


@pytest.fixture
def metrics_on(settings):
    settings.NEWSROOM_METRICS_TOKEN = TOKEN


def scrape(**headers) -> dict[str, float]:
    """Every sample of /metrics, keyed as it is written: name{label="value",...}."""
    answer = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert answer.status_code == HTTPStatus.OK, answer.content[:500]
    samples = {}
    for family in text_string_to_metric_families(answer.content.decode()):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return samples


@pytest.mark.django_db
def test_without_a_token_configured_there_are_no_metrics(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""

    answer = client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything")

    assert answer.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("authorization", ["", "Bearer wrong", f"Basic {TOKEN}x"])
def test_metrics_are_refused_without_the_right_token(metrics_on, authorization):
    answer = Client().get("/metrics", HTTP_AUTHORIZATION=authorization)

    assert answer.status_code == HTTPStatus.UNAUTHORIZED
    assert answer["Cache-Control"] == "no-store"
    assert b"newsroom" not in answer.content


@pytest.mark.django_db
def test_metrics_answer_any_host_and_are_never_stored(metrics_on):
    answer = Client().get(
        "/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.0.11:8000"
    )

    assert answer.status_code == HTTPStatus.OK
    assert answer["Cache-Control"] == "no-store"
    assert answer["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_requests_are_counted_and_timed_by_view_and_page_cache_answer(metrics_on, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    article = ArticleFactory()
    reader = Client()
    before = scrape()

    for _ in range(3):
        assert reader.get(article.get_absolute_url()).status_code == HTTPStatus.OK
    reader.get("/no-such-page/")
    after = scrape()

    built = 'newsroom_http_requests_total{method="GET",status="2xx",view="articles:article"}'
    replayed = 'newsroom_http_requests_total{method="GET",status="2xx",view="<page cache>"}'
    missing = 'newsroom_http_requests_total{method="GET",status="4xx",view="<unresolved>"}'
    assert after[built] - before.get(built, 0) == 1
    assert after[replayed] - before.get(replayed, 0) == 2
    assert after[missing] - before.get(missing, 0) == 1
    hits = 'newsroom_page_cache_answers_total{result="hit"}'
    misses = 'newsroom_page_cache_answers_total{result="miss"}'
    assert after[hits] - before.get(hits, 0) == 2
    assert after[misses] - before.get(misses, 0) == 1
    timed = 'newsroom_http_request_duration_seconds_count{view="articles:article"}'
    assert after[timed] - before.get(timed, 0) == 1


@pytest.mark.django_db
def test_databases_and_cache_are_reported_up(metrics_on):
    samples = scrape()

    assert samples['newsroom_up{part="database:default"}'] == 1
    assert samples['newsroom_up{part="cache"}'] == 1


@pytest.mark.django_db
def test_task_queue_depth_and_stuck_tasks_are_reported(metrics_on, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_STUCK_AFTER_SECONDS = 900
    purge_edge_caches.enqueue(["/"])
    purge_edge_caches.enqueue(["/about/"])

    now = scrape()
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        later = scrape()

    assert now["newsroom_tasks_waiting{}"] == 2
    assert now["newsroom_tasks_stuck{}"] == 0
    assert later["newsroom_tasks_stuck{}"] == 2  # waiting 20 minutes: no worker is running


@pytest.mark.django_db
def test_refused_sign_ins_are_counted(metrics_on):
    member("编辑", username="zhangsan", password="correct horse battery")
    before = scrape().get("newsroom_login_failures_total{}", 0)

    Client().post("/admin/login/", {"username": "zhangsan", "password": "wrong password"})
    Client().post("/admin/login/", {"username": "nobody", "password": "wrong password"})

    assert scrape()["newsroom_login_failures_total{}"] - before == 2
