"""/healthz: the process answers; /readyz: the primary answers; /admin/status/: every part."""

import json
from http import HTTPStatus

import pytest
from django.test import Client

from tests.scaleout.servers import free_port


def test_healthz_answers_whatever_the_host_without_touching_the_database(client):
    # No django_db mark: any query would raise here.
    answer = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert answer.status_code == HTTPStatus.OK
    assert answer.json() == {"status": "ok"}
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_the_primary_database_ready(client):
    answer = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")

    assert answer.status_code == HTTPStatus.OK
    assert answer["Cache-Control"] == "no-store"
    body = answer.json()
    assert body["status"] == "ready"
    assert body["checks"]["database:default"]["ok"] is True


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "ops.cache.FailOpenRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1},
    }
}


@pytest.mark.django_db
def test_readyz_stays_ready_with_the_cache_unreachable_as_pages_still_serve(settings):
    settings.CACHES = UNREACHABLE_CACHE

    answer = Client().get("/readyz")

    assert answer.status_code == HTTPStatus.OK
    assert "cache" not in json.loads(answer.content)["checks"]


def test_readyz_answers_503_when_the_primary_database_is_unreachable(settings):
    # No django_db mark: any query raises, as the database out of reach does.
    answer = Client().get("/readyz")

    assert answer.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert answer["Cache-Control"] == "no-store"
    assert json.loads(answer.content)["checks"]["database:default"]["ok"] is False


@pytest.mark.django_db
def test_status_is_for_staff_only(client):
    answer = client.get("/admin/status/")

    assert answer.status_code == HTTPStatus.FOUND
    assert answer["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_status_shows_staff_every_part_and_a_failing_cache_uncached(admin_client, settings):
    settings.CACHES = UNREACHABLE_CACHE

    answer = admin_client.get("/admin/status/")

    assert answer.status_code == HTTPStatus.OK
    assert "no-store" in answer["Cache-Control"]
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database:default"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False


@pytest.mark.django_db
def test_status_answers_the_status_token_and_refuses_a_wrong_one(client, settings):
    settings.NEWSROOM_STATUS_TOKEN = "s3cret-token"

    right = client.get("/admin/status/", HTTP_AUTHORIZATION="Bearer s3cret-token")
    wrong = client.get("/admin/status/", HTTP_AUTHORIZATION="Bearer s3cret-tokeN")

    assert right.status_code == HTTPStatus.OK
    assert right.json()["status"] == "ok"
    assert wrong.status_code == HTTPStatus.FOUND
