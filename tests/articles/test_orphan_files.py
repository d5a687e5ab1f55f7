"""manage.py clean_orphan_files: files no photo names are listed, deleted only when asked
and only once they are old enough; photos whose files are gone are reported."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Image
from articles.storage import originals_storage
from tests import photo_files
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

HOUR = 3600


def left_behind(path: Path, data: bytes = b"\xff\xd8 half a photo", age: int = 2 * HOUR) -> Path:
    """A file as a failed upload leaves it, written ``age`` seconds ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.fixture
def photo():
    return ImageFactory(file=photo_files.upload(photo_files.camera_jpeg()))


@pytest.fixture
def strays(settings, tmp_path, photo) -> dict[str, Path]:
    media, private = Path(settings.MEDIA_ROOT), tmp_path / "private"
    return {
        "old original": left_behind(private / "originals/ab/abandoned.jpg"),
        "old copy": left_behind(media / "photos/ab/abandoned-480.webp"),
        "fresh original": left_behind(private / "originals/cd/in-flight.jpg", age=60),
    }


def test_dry_run_lists_old_orphans_and_deletes_nothing(photo, strays, capsys):
    call_command("clean_orphan_files")

    output = capsys.readouterr().out
    assert "originals/originals/ab/abandoned.jpg" in output
    assert "media/photos/ab/abandoned-480.webp" in output
    assert "in-flight" not in output, "an upload in progress is not an orphan yet"
    assert photo.file.name not in output
    assert not any(copy["name"] in output for copy in photo.renditions)
    assert "发现 2 个无主文件（加 --delete 删除）" in output
    assert all(path.exists() for path in strays.values())


def test_delete_removes_old_orphans_only(photo, strays, capsys):
    call_command("clean_orphan_files", "--delete")

    assert not strays["old original"].exists()
    assert not strays["old copy"].exists()
    assert strays["fresh original"].exists()
    assert originals_storage.exists(photo.file.name)
    assert all(default_storage.exists(copy["name"]) for copy in photo.renditions)
    assert "已删除 2 个无主文件" in capsys.readouterr().out


def test_min_age_decides_what_counts_as_in_flight(strays):
    call_command("clean_orphan_files", "--delete", "--min-age", "0")

    assert not strays["fresh original"].exists()


def test_files_linked_from_an_article_body_and_photos_before_the_pipeline_are_kept(settings):
    linked = left_behind(Path(settings.MEDIA_ROOT) / "uploads/2019/map.png")
    ArticleFactory(body='<p><img src="/media/uploads/2019/map.png" alt="地图"></p>')
    legacy = left_behind(Path(settings.MEDIA_ROOT) / "photos/2018/old.jpg")
    Image.objects.create(file="photos/2018/old.jpg", caption="旧照片")

    call_command("clean_orphan_files", "--delete")

    assert linked.exists()
    assert legacy.exists()


def test_photos_whose_files_are_missing_are_reported(photo, capsys):
    originals_storage.delete(photo.file.name)
    gone_copy = photo.renditions[0]["name"]
    default_storage.delete(gone_copy)

    call_command("clean_orphan_files")

    captured = capsys.readouterr()
    assert f"图片 {photo.pk} 缺少文件：{photo.file.name}" in captured.err
    assert f"图片 {photo.pk} 缺少文件：{gone_copy}" in captured.err
    assert "1 张图片缺少文件" in captured.out
