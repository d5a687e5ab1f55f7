"""Clips for the video tests, made once per run; FFmpeg is required under CI."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import video_files
from videos import ffmpeg

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
