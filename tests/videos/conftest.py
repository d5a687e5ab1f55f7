"""Clips for the video tests, made once per run; FFmpeg is required under CI."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import video_files
from videos import ffmpeg
from videos.models import Video

needs_ffmpeg = pytest.mark.skipif(
    not ffmpeg.available() and not os.environ.get("CI"),
    reason="FFmpeg is missing: install Debian's ffmpeg package",
)


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> SimpleNamespace:
    folder: Path = tmp_path_factory.mktemp("clips")
    return SimpleNamespace(
        landscape=video_files.make_clip(folder / "landscape.mp4", seconds=2, size="960x540"),
        silent=video_files.make_clip(folder / "silent.mov", size="640x360", audio=False),
        upright=video_files.make_clip(folder / "upright.mp4", size="960x540", rotate=90),
    )


@pytest.fixture
def stored_files(settings):
    """Every file in public media and in private storage, as relative paths."""

    def found() -> list[str]:
        roots = [
            Path(settings.MEDIA_ROOT),
            Path(settings.STORAGES["originals"]["OPTIONS"]["location"]),
        ]
        return sorted(
            str(path.relative_to(root)) for root in roots if root.exists()
            for path in root.rglob("*") if path.is_file()
        )  # fmt: skip

    return found


def ready_video(**fields) -> Video:
    """A transcoded video as the library records it (the files themselves are not read)."""
    pk_hint = Video.objects.count() + 1
    sha = f"{pk_hint:064x}"
    defaults = {
        "title": "云海漫过矮寨大桥",
        "caption": "雨后初晴，矮寨大桥云海翻涌",
        "credit": "向明辉",
        "sha256": sha,
        "status": Video.Status.READY,
        "duration": 65.4,
        "width": 1920,
        "height": 1080,
        "poster": f"videos/{sha[:2]}/{sha}-poster-1000.jpg",
        "sources": [
            {"height": 480, "width": 854, "name": f"videos/{sha[:2]}/{sha}-480.mp4", "bytes": 1},
            {"height": 720, "width": 1280, "name": f"videos/{sha[:2]}/{sha}-720.mp4", "bytes": 2},
        ],
    }
    return Video.objects.create(**(defaults | fields))


def video_figure(video: Video, caption: str = "") -> str:
    """A library video as the body editor stores it: which video, its poster, the caption."""
    return (
        f'<figure data-video="{video.pk}"><img src="/media/{video.poster}" alt="">'
        f"<figcaption>{caption}</figcaption></figure>"
    )
