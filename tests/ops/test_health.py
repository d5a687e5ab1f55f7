"""/healthz says the process answers; /readyz says its database and cache answer too."""

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
def test_readyz_reports_the_database_and_the_cache_ready(client):
    answer = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")

    assert answer.status_code == HTTPStatus.OK
    body = answer.json()
    assert body["status"] == "ready"
    assert body["checks"]["database:default"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True


@pytest.mark.django_db
def test_readyz_answers_503_when_the_cache_is_unreachable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    answer = Client().get("/readyz")

    assert answer.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = json.loads(answer.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert "Connection" in body["checks"]["cache"]["error"]
