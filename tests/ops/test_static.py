"""Static files: gathered with hashed names and gzip copies, served for ever by WhiteNoise."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic with the production storage, into a folder of this test's own."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_the_hashed_stylesheet_which_is_served_for_ever(collected):
    client = Client()
    page = client.get("/").content.decode()
    hashed = next(p.name for p in (collected / "css").glob("site.*.css"))
    assert f"/static/css/{hashed}" in page

    answer = client.get(f"/static/css/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
    answer.close()

    assert answer.status_code == HTTPStatus.OK
    assert answer["Content-Encoding"] == "gzip"
    assert "immutable" in answer["Cache-Control"]
    assert (collected / "css" / f"{hashed}.gz").exists()
