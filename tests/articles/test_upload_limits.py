"""Uploads a worker cannot afford are refused from what the file states, with a clear
Chinese message, before its pixels (or, over the size limit, its bytes) are read."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image
from photos import images, photos
from tests import photo_files
from tests.factories import member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "case", ["truncated PNG", "truncated PNG header", "100-megapixel PNG", "truncated JPEG"]
)
def test_a_contributor_dropping_a_bad_file_into_the_editor_is_told_why(client, case):
    client.force_login(member("通讯员/记者"))
    client.raise_request_exception = False
    data, name, message = photo_files.bad_files()[case]

    answer = client.post(
        reverse("admin:articles_image_from_editor"), {"file": photo_files.upload(data, name)}
    )

    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert message in answer.json()["error"]
    assert not Image.objects.exists()


def test_a_jpeg_keeps_the_higher_limit_it_can_be_drawn_within(settings):
    """A JPEG is drawn at an eighth of its size: only the general limit applies to it."""
    settings.NEWSROOM_PHOTO_MAX_FULL_DECODE_MEGAPIXELS = 0

    probe = images.check_upload(photo_files.camera_jpeg((1200, 800)))

    assert (probe.format, probe.width) == ("JPEG", 1200)
    with pytest.raises(ValidationError, match="PNG 图片像素过多"):
        images.check_upload(photo_files.transparent_png())


class ReadIsAFailure(SimpleUploadedFile):
    def read(self, *args) -> bytes:
        raise AssertionError("the upload was read before its size was checked")


def test_an_upload_over_the_size_limit_is_refused_unread(settings):
    settings.NEWSROOM_PHOTO_MAX_MB = 1
    upload = ReadIsAFailure("huge.jpg", b"\xff" * (1024 * 1024 + 1), "image/jpeg")

    with pytest.raises(ValidationError) as refused:
        photos.add_photo(upload)

    assert refused.value.messages == ["文件太大（1.0 MB），上限为 1 MB。"]


MEASURE = """
import resource, sys
sys.path.insert(0, ".")
import django
django.setup()
from photos import images
from tests import photo_files
data = photo_files.blank_png(6000, 5000)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
images.check_upload(data)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_checking_a_large_png_does_not_decode_its_pixels():
    """30 megapixels drawn would take 90 MB; the check reads headers and chunks only."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert int(done.stdout) < 30  # MB the check added to the process at its peak
