"""Uploads never half-store: a failure after the file was written leaves no file and no
row, and uploads arriving together each keep their own file."""

import hashlib
import io
import threading
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageStat

from articles.models import Image
from photos import photos
from photos.admin import ImageAdmin
from tests import photo_files
from tests.factories import UserFactory


def stored(settings, tmp_path) -> list[Path]:
    """Every file in public media and in the private originals."""
    roots = [Path(settings.MEDIA_ROOT), tmp_path / "private"]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def mean_colour(data: bytes) -> list[float]:
    with PILImage.open(io.BytesIO(data)) as image:
        return ImageStat.Stat(image.convert("RGB")).mean


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def desk(db, client):
    client.force_login(UserFactory(username="chief", is_superuser=True))
    client.raise_request_exception = False  # the editor sees an error page, as in production
    return client


def add_form(data: bytes) -> dict:
    return {
        "file": photo_files.upload(data),
        "caption": "吉首夜景",
        "alt_text": "灯火中的峒河",
        "watermark": "on",
    }


# --- A failure after the file was written ------------------------------------------------


def fail_with_database_error(*args, **kwargs) -> None:
    """The database refuses a write about the photo (its focal-point constraint)."""
    photo = next(arg for arg in args if isinstance(arg, Image))
    Image.objects.filter(pk=photo.pk).update(focal_x=2)


def fail_with_bug(*args, **kwargs) -> None:
    raise RuntimeError("processing failed")


@pytest.mark.parametrize("failure", [fail_with_database_error, fail_with_bug])
def test_a_single_upload_failing_after_its_copies_were_drawn_leaves_nothing(
    desk, settings, tmp_path, monkeypatch, failure
):
    written = []
    draw = photos.store_copy
    monkeypatch.setattr(photos, "store_copy", lambda copy: written.append(1) or draw(copy))
    monkeypatch.setattr(ImageAdmin, "log_addition", failure)  # after save: original + copies

    response = desk.post(
        reverse("admin:articles_image_add"), add_form(photo_files.camera_jpeg((1800, 1200)))
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert written, "the copies were drawn before the failure"
    assert not Image.objects.exists()
    assert stored(settings, tmp_path) == []


@pytest.mark.parametrize("failure", [fail_with_database_error, fail_with_bug])
def test_a_batch_upload_failing_after_the_original_was_written_leaves_nothing(
    desk, settings, tmp_path, monkeypatch, failure
):
    monkeypatch.setattr(photos, "schedule_rendering", failure)

    response = desk.post(
        reverse("admin:articles_image_upload"),
        {"files": [photo_files.upload(photo_files.camera_jpeg())], "credit": "石磊"},
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Image.objects.exists()
    assert stored(settings, tmp_path) == []


def test_a_replacement_that_fails_keeps_the_old_file_and_drops_the_new_one(
    desk, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    photo = photos.add_photo(photo_files.upload(photo_files.camera_jpeg()), caption="旧图")
    before = {path: sha256(path) for path in stored(settings, tmp_path)}
    monkeypatch.setattr(ImageAdmin, "log_change", fail_with_database_error)

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("admin:articles_image_change", args=[photo.pk]),
            {**add_form(photo_files.camera_jpeg((900, 600), colour="#884422")), "caption": "旧图"},
        )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert {path: sha256(path) for path in stored(settings, tmp_path)} == before
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1200, 800)


# --- Uploads arriving together -----------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are PostgreSQL's; SQLite serialises them with one lock",
)
@pytest.mark.django_db(transaction=True)
def test_photos_uploaded_at_the_same_moment_each_keep_their_own_file(settings, tmp_path):
    editor = UserFactory(username="chief", is_superuser=True)
    # Two different photos and two identical ones, all sent at once (one pooled database
    # connection each: the pool holds four).
    sent = [photo_files.camera_jpeg(colour="#112233"), photo_files.noisy_jpeg()]
    sent += [photo_files.camera_jpeg(colour="#aa3300")] * 2
    clients = [Client() for _ in sent]
    for client in clients:
        client.force_login(editor)
    connection.close()
    start, answers = threading.Barrier(len(sent), timeout=30), []

    def upload(client: Client, data: bytes, number: int) -> None:
        start.wait()
        try:
            files = [photo_files.upload(data, f"{number}.jpg")]
            answers.append(client.post(reverse("admin:articles_image_upload"), {"files": files}))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=upload, args=(clients[n], data, n)) for n, data in enumerate(sent)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers] == [HTTPStatus.FOUND] * len(sent)
    photos_stored = list(Image.objects.all())
    assert len(photos_stored) == len(sent)
    assert len({photo.file.name for photo in photos_stored}) == len(sent), "no name shared"
    private = tmp_path / "private"
    assert sorted(sha256(private / p.file.name) for p in photos_stored) == sorted(
        hashlib.sha256(data).hexdigest() for data in sent
    )
    assert len(list(private.rglob("*.*"))) == len(sent), "no stray originals"
    for photo in photos_stored:
        assert photo.is_ready
        original = mean_colour((private / photo.file.name).read_bytes())
        for copy in photo.renditions:
            with PILImage.open(Path(settings.MEDIA_ROOT) / copy["name"]) as drawn:
                assert drawn.size == (copy["width"], copy["height"])
        shown = (Path(settings.MEDIA_ROOT) / photo.copies()[-1]["name"]).read_bytes()
        assert max(abs(a - b) for a, b in zip(mean_colour(shown), original, strict=True)) < 15
