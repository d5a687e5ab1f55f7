"""The video library: an upload is checked, kept privately and transcoded to web copies
at 720p and 480p with a poster frame; what is not a video is refused with nothing stored."""

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import video_files
from tests.factories import UserFactory
from tests.videos.conftest import needs_ffmpeg
from videos import ffmpeg, library
from videos.models import Video

pytestmark = [pytest.mark.django_db, needs_ffmpeg]


def streams(name: str) -> dict:
    """What ffprobe reads in a stored public copy: codecs, size and whether the index is first."""
    path = default_storage.path(name)
    found = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
         "-of", "compact=p=0:nk=1", path],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    with open(path, "rb") as file:
        head = file.read(4096)
    return {"streams": found, "moov_first": head.find(b"moov") < head.find(b"mdat")}


def test_upload_is_transcoded_to_720p_and_480p_h264_aac_with_index_first(clips):
    video = library.add_video(
        video_files.upload(clips.landscape), title="云海漫过矮寨大桥", caption="矮寨大桥云海"
    )

    assert video.status == Video.Status.READY
    assert [(c["width"], c["height"]) for c in video.source_urls()] == [(960, 540), (854, 480)]
    for copy in video.sources:
        found = streams(copy["name"])
        assert found["streams"] == [f"h264|{copy['width']}|{copy['height']}", "aac"]
        assert found["moov_first"]  # +faststart: playback starts before the whole file arrives


def test_duration_and_size_of_the_original_are_stored(clips):
    video = library.add_video(video_files.upload(clips.landscape), title="时长")

    assert video.duration == pytest.approx(2.0, abs=0.1)
    assert (video.width, video.height) == (960, 540)
    assert video.iso_duration() == "PT2S"


def test_original_is_kept_privately_under_its_fingerprint(clips, stored_files):
    video = library.add_video(video_files.upload(clips.landscape), title="原始文件")

    assert video.original.name == f"videos/{video.sha256[:2]}/{video.sha256}.mp4"
    assert f"videos/{video.sha256[:2]}/{video.sha256}.mp4" in stored_files()
    assert not default_storage.exists(video.original.name)  # not in public media


def test_a_poster_frame_is_taken_and_the_editor_may_pick_another(
    clips, django_capture_on_commit_callbacks
):
    video = library.add_video(video_files.upload(clips.landscape), title="封面", poster_at=0.2)
    first = video.poster
    with default_storage.open(first, "rb") as file:
        assert file.read(3) == b"\xff\xd8\xff"  # a JPEG

    video.poster_at = 1.5
    with django_capture_on_commit_callbacks(execute=True):
        library.choose_poster(video)
    video.refresh_from_db()

    assert video.poster != first
    assert video.poster.endswith("-poster-1500.jpg")
    assert default_storage.exists(video.poster)
    assert not default_storage.exists(first)  # the old one is gone once committed


def test_a_poster_asked_for_past_the_end_is_the_last_frame(clips):
    video = library.add_video(video_files.upload(clips.landscape), title="封面", poster_at=0.5)

    video.poster_at = 30
    library.choose_poster(video)

    assert default_storage.exists(video.poster)
    assert video.poster.endswith("-poster-1900.jpg")


def test_phone_footage_shot_upright_stays_upright(clips):
    video = library.add_video(video_files.upload(clips.upright), title="竖屏")

    assert (video.width, video.height) == (540, 960)
    assert [(c["width"], c["height"]) for c in video.source_urls()] == [(540, 960), (480, 854)]


def test_a_clip_without_sound_is_transcoded_without_an_audio_track(clips):
    video = library.add_video(video_files.upload(clips.silent, "phone.mov"), title="无声")

    assert video.status == Video.Status.READY
    assert video.original.name.endswith(".mov")
    # Never made larger than it was: 360p stays 360p in both copies.
    assert {c["height"] for c in video.sources} == {360}
    assert streams(video.sources[0]["name"])["streams"] == ["h264|640|360"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.mp4", "这是一段文字，不是视频。".encode()),
        ("photo.mp4", b"\xff\xd8\xff\xe0" + b"\x00" * 2000),
        ("empty.mov", b""),
    ],
)
def test_what_is_not_a_video_is_refused_with_nothing_stored(name, data, stored_files):
    with pytest.raises(ValidationError) as refused:
        library.add_video(SimpleUploadedFile(name, data), title="不是视频")

    assert refused.value.code in {"not_video", "empty"}
    assert "视频" in refused.value.messages[0]
    assert stored_files() == []
    assert not Video.objects.exists()


def test_a_real_photo_is_not_a_video(tmp_path, stored_files):
    photo = tmp_path / "frame.jpg"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1",
         str(photo)],
        check=True,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="这不是可以播放的视频文件"):
        library.add_video(video_files.upload(photo, "frame.mp4"), title="照片")

    assert stored_files() == []


def test_size_cap_refuses_a_larger_upload_before_reading_it(clips, settings, stored_files):
    settings.NEWSROOM_VIDEO_MAX_MB = 0

    with pytest.raises(ValidationError) as refused:
        library.add_video(video_files.upload(clips.landscape), title="太大")

    assert refused.value.code == "too_big"
    assert "超过 0 MB" in refused.value.messages[0]
    assert stored_files() == []


def test_duration_cap_refuses_a_longer_clip(clips, settings, stored_files):
    settings.NEWSROOM_VIDEO_MAX_SECONDS = 1

    with pytest.raises(ValidationError) as refused:
        library.add_video(video_files.upload(clips.landscape), title="太长")

    assert refused.value.messages == ["视频时长超过 1 秒，请剪短后再上传。"]
    assert stored_files() == []


def test_a_failed_transcode_is_marked_on_the_video_and_leaves_no_public_file(
    clips, settings, stored_files
):
    settings.NEWSROOM_VIDEO_FFMPEG_TIMEOUT = 0.01  # FFmpeg cannot finish in time

    video = library.add_video(video_files.upload(clips.landscape), title="超时")

    assert video.status == Video.Status.FAILED
    assert video.problem == "处理超过 0 秒仍未完成，已停止。请剪短或压缩视频后重新上传。"
    assert [name for name in stored_files() if not name.startswith("videos/")] == []
    assert stored_files() == [video.original.name]  # the original waits for another try


def test_a_transcode_that_breaks_unexpectedly_fails_its_video_instead_of_leaving_it_waiting(
    clips, monkeypatch, django_capture_on_commit_callbacks
):
    def disk_full(source, folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ffmpeg, "transcode", disk_full)

    with django_capture_on_commit_callbacks(execute=True):
        video = library.add_video(video_files.upload(clips.silent), title="写不下")

    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert video.problem == "转码时出现意外错误，没有完成。请重新上传；再次失败请联系技术人员。"


def test_transcoding_again_is_safe_and_keeps_the_same_files(clips):
    video = library.add_video(video_files.upload(clips.silent), title="再转一次")
    before = sorted(c["name"] for c in video.sources)

    assert library.transcode(video.pk)
    video.refresh_from_db()

    assert sorted(c["name"] for c in video.sources) == before
    assert all(default_storage.exists(name) for name in before)


def test_webvtt_subtitles_are_an_optional_track(clips):
    video = library.add_video(video_files.upload(clips.silent), title="字幕")
    assert video.subtitles == ""

    library.attach_subtitles(video, library.check_subtitles(SimpleUploadedFile(
        "zh.vtt", video_files.webvtt()
    )))  # fmt: skip

    with default_storage.open(video.subtitles, "rb") as file:
        assert file.read().startswith(b"WEBVTT")


@pytest.mark.parametrize(
    "data", [b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n", "WEBVTT\n".encode("utf-16"), b"WEBVTTX"]
)
def test_subtitles_that_are_not_webvtt_are_refused(data):
    with pytest.raises(ValidationError, match="WebVTT"):
        library.check_subtitles(SimpleUploadedFile("zh.vtt", data))


def test_deleting_a_video_removes_its_files(
    clips, stored_files, django_capture_on_commit_callbacks
):
    video = library.add_video(
        video_files.upload(clips.silent), title="删除", uploaded_by=UserFactory()
    )
    assert len(stored_files()) == 4  # original, two copies, poster

    with django_capture_on_commit_callbacks(execute=True):
        video.delete()
        library.delete_files(video)

    assert stored_files() == []


def test_missing_ffmpeg_is_said_plainly(clips, monkeypatch, stored_files):
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(ValidationError, match="未安装 FFmpeg"):
        library.add_video(video_files.upload(clips.silent), title="没有 FFmpeg")

    assert not ffmpeg.available()
    assert stored_files() == []
