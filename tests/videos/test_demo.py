"""The demo station's 精彩视频: real short clips made with FFmpeg, not stills."""

import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article, Channel
from tests.videos.conftest import needs_ffmpeg
from videos.figures import leads_with_video, shown_videos
from videos.models import Video

pytestmark = pytest.mark.django_db


@needs_ffmpeg
def test_the_video_channel_carries_at_least_three_real_clips(capsys, client):
    call_command("load_demo")

    channel = Channel.objects.get(name="精彩视频")
    stories = list(Article.objects.published().in_channel(channel))
    with_video = [story for story in stories if leads_with_video(story)]
    assert len(with_video) >= 3
    for story in with_video:
        (video,) = shown_videos(story)
        assert video.status == Video.Status.READY
        assert 2.5 <= video.duration <= 6
        assert {copy["height"] for copy in video.sources} == {720, 480}
        path = default_storage.path(video.sources[0]["name"])
        frames = subprocess.run(
            ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
             "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert int(frames) > 30  # moving pictures, not a still
        page = client.get(story.get_absolute_url()).content.decode()
        assert page.count("<source ") == 2


def test_without_ffmpeg_the_demo_says_so_and_loads_everything_else(capsys, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "FFmpeg is not installed" in out
    assert not Video.objects.exists()
    channel = Channel.objects.get(name="精彩视频")
    assert Article.objects.published().in_channel(channel).count() >= 3
