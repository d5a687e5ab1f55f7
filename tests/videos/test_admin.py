"""The video library on the editors' desk, as each role uses it: upload with title,
caption, credit and poster choice; refusals named in the form; share links of the
allowed sites; who may change whose video."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import video_files
from tests.factories import ArticleFactory
from tests.videos.conftest import needs_ffmpeg, ready_video, video_figure
from videos.models import Video

pytestmark = pytest.mark.django_db

ADD = "admin:videos_video_add"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


@needs_ffmpeg
def test_contributor_uploads_a_clip_with_its_caption_credit_and_poster_second(staff, clips):
    writer = as_user(staff.writer)

    response = writer.post(
        reverse(ADD),
        {
            "file": video_files.upload(clips.landscape),
            "title": "云海漫过矮寨大桥",
            "caption": "矮寨大桥云海",
            "credit": "向明辉",
            "poster_at": "1.5",
            "subtitle_file": SimpleUploadedFile("zh.vtt", video_files.webvtt()),
        },
    )

    assert response.status_code == HTTPStatus.FOUND, form_errors(response)
    video = Video.objects.get()
    assert video.status == Video.Status.READY
    assert (video.title, video.caption, video.credit) == (
        "云海漫过矮寨大桥",
        "矮寨大桥云海",
        "向明辉",
    )
    assert video.uploaded_by == staff.writer
    assert video.poster.endswith("-poster-1500.jpg")
    assert video.subtitles.endswith(".vtt")
    assert len(video.sources) == 2
    page = writer.get(reverse("admin:videos_video_change", args=[video.pk])).content.decode()
    assert '<video controls preload="none"' in page


def test_a_text_file_is_refused_in_the_form_with_nothing_stored(staff, stored_files):
    response = as_user(staff.writer).post(
        reverse(ADD),
        {"file": SimpleUploadedFile("clip.mp4", "会议纪要".encode()), "title": "不是视频",
         "poster_at": "1"},
    )  # fmt: skip

    assert response.status_code == HTTPStatus.OK
    assert form_errors(response) == [
        "这不是可以播放的视频文件。请上传手机或相机拍摄的 MP4、MOV 视频。"
    ]
    assert not Video.objects.exists()
    assert stored_files() == []


def test_neither_a_file_nor_a_link_is_asked_for(staff):
    response = as_user(staff.writer).post(reverse(ADD), {"title": "空", "poster_at": "1"})

    assert "请上传视频文件，或粘贴一个分享链接。" in response.content.decode()
    assert not Video.objects.exists()


def test_a_share_link_of_an_allowed_site_becomes_its_player(staff):
    response = as_user(staff.writer).post(
        reverse(ADD),
        {"share_url": "https://v.qq.com/x/cover/mzc00200abcdefg/x3512ab4cde.html",
         "title": "腾讯视频", "poster_at": "1"},
    )  # fmt: skip

    assert response.status_code == HTTPStatus.FOUND, form_errors(response)
    video = Video.objects.get()
    assert video.player_url == "https://v.qq.com/txp/iframe/player.html?vid=x3512ab4cde"
    assert video.status == Video.Status.READY


def test_a_link_from_any_other_site_is_refused(staff):
    response = as_user(staff.writer).post(
        reverse(ADD),
        {"share_url": "https://www.youtube.com/watch?v=abcdefghijk", "title": "外站",
         "poster_at": "1"},
    )  # fmt: skip

    assert form_errors(response) == [
        "只能嵌入央视频、腾讯视频或哔哩哔哩的视频；请粘贴这些网站的分享链接。"
    ]
    assert not Video.objects.exists()


def test_contributor_cannot_change_a_video_someone_else_uploaded(staff):
    theirs = ready_video(uploaded_by=staff.editor)
    mine = ready_video(uploaded_by=staff.writer)
    writer = as_user(staff.writer)

    assert writer.get(reverse("admin:videos_video_change", args=[mine.pk])).status_code == 200
    response = writer.post(
        reverse("admin:videos_video_change", args=[theirs.pk]),
        {"title": "改标题", "poster_at": "1"},
    )

    theirs.refresh_from_db()
    assert theirs.title == "云海漫过矮寨大桥"
    assert response.status_code in {HTTPStatus.FORBIDDEN, HTTPStatus.OK}
    assert "改标题" not in response.content.decode()


def test_editor_changes_any_video_caption(staff):
    video = ready_video(uploaded_by=staff.writer)

    response = as_user(staff.editor).post(
        reverse("admin:videos_video_change", args=[video.pk]),
        {"title": video.title, "caption": "新的说明", "credit": "", "poster_at": "1"},
    )

    assert response.status_code == HTTPStatus.FOUND, form_errors(response)
    video.refresh_from_db()
    assert video.caption == "新的说明"


def test_only_the_chief_may_delete_and_never_a_video_a_published_story_shows(staff):
    video = ready_video(uploaded_by=staff.writer)
    ArticleFactory(title="云海", body=video_figure(video))
    delete = reverse("admin:videos_video_delete", args=[video.pk])

    assert as_user(staff.managing).get(delete).status_code == HTTPStatus.FORBIDDEN
    response = as_user(staff.chief).post(delete, {"post": "yes"})

    assert "已发布稿件《云海》正在使用" in response.content.decode()
    assert Video.objects.filter(pk=video.pk).exists()
