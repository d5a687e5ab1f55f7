"""The body editor's video picker as the desk uses it: every role lists the library's
ready videos (uploads transcoded, players embedded), searched by title, in a fixed number
of queries; a share link pasted into a body becomes an embed by the library's rules."""

import html
import json
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.videos.conftest import ready_video
from videos.embeds import MESSAGES
from videos.models import Video

pytestmark = pytest.mark.django_db

PICKER = "admin:videos_video_picker"
FROM_LINK = "admin:videos_video_from_link"
BILIBILI = "https://www.bilibili.com/video/BV1xx411c7mD?p=2"
QUERIES = 5
EDITOR_CONFIG = re.compile(r'data-django-prose-editor-configurable="([^"]*)"')


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, **query) -> list[dict]:
    response = client.get(reverse(PICKER), query)
    assert response.status_code == HTTPStatus.OK
    return response.json()["videos"]


@pytest.mark.parametrize("role", ["writer", "editor", "managing", "chief"])
def test_every_desk_role_lists_ready_videos_only(staff, role):
    clip = ready_video(title="矮寨大桥云海")
    embed = ready_video(title="沅水龙舟", player_url="https://player.bilibili.com/player.html?bvid=1",
                        poster="", sources=[], credit="")  # fmt: skip
    ready_video(title="还在转码", status=Video.Status.PROCESSING)
    ready_video(title="转码失败", status=Video.Status.FAILED)

    videos = listed(as_user(getattr(staff, role)))

    assert [v["id"] for v in videos] == [embed.pk, clip.pk]  # newest first
    assert videos[1] == {
        "id": clip.pk,
        "title": "矮寨大桥云海",
        "poster": f"/media/{clip.poster}",
        "caption": "雨后初晴，矮寨大桥云海翻涌（摄像：向明辉）",
        "embed": False,
    }
    assert videos[0]["embed"] is True
    assert videos[0]["poster"] == ""


def test_the_picker_searches_titles(staff):
    bridge = ready_video(title="矮寨大桥云海")
    ready_video(title="沅水龙舟赛")

    found = listed(as_user(staff.editor), q="大桥 云海")
    missing = listed(as_user(staff.editor), q="没有这段")

    assert [v["id"] for v in found] == [bridge.pk]
    assert missing == []


@pytest.mark.parametrize("count", [1, 13])
def test_the_picker_asks_the_same_queries_for_one_video_or_many(
    staff, django_assert_num_queries, count
):
    editor = as_user(staff.editor)
    for number in range(count):
        ready_video(title=f"视频{number}")

    # The session, the user, the user's permissions, then the videos.
    with django_assert_num_queries(QUERIES):
        assert len(listed(editor)) == count


def test_the_picker_is_for_the_desk_only(client, db):
    response = client.get(reverse(PICKER))

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_a_pasted_share_link_becomes_an_embed_the_picker_lists(staff):
    editor = as_user(staff.editor)

    response = editor.post(reverse(FROM_LINK), {"share_url": BILIBILI, "title": "龙舟赛直击"})

    assert response.status_code == HTTPStatus.CREATED
    video = Video.objects.get()
    assert video.player_url.startswith("https://player.bilibili.com/player.html?bvid=BV1xx411c7mD")
    assert video.status == Video.Status.READY
    assert video.uploaded_by == staff.editor
    assert response.json()["video"] == {
        "id": video.pk, "title": "龙舟赛直击", "poster": "", "caption": "", "embed": True,
    }  # fmt: skip
    assert [v["id"] for v in listed(editor)] == [video.pk]


def test_the_same_link_pasted_again_reuses_the_library_embed(staff):
    writer = as_user(staff.writer)
    first = writer.post(reverse(FROM_LINK), {"share_url": BILIBILI, "title": "龙舟赛"}).json()

    again = writer.post(reverse(FROM_LINK), {"share_url": BILIBILI, "title": ""})

    assert again.status_code == HTTPStatus.CREATED
    assert again.json()["video"]["id"] == first["video"]["id"]
    assert Video.objects.count() == 1


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("https://www.youtube.com/watch?v=abcdefghijk", MESSAGES["host"]),
        ("https://b23.tv/abcdef", MESSAGES["short"]),
        ("https://www.bilibili.com/video/", MESSAGES["no_id"]),
        ("http://[bilibili.com/video/BV1xx411c7mD", MESSAGES["host"]),
    ],
)
def test_a_link_the_library_refuses_gets_its_message_and_adds_nothing(staff, link, message):
    response = as_user(staff.editor).post(reverse(FROM_LINK), {"share_url": link, "title": "外站"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": str(message)}
    assert not Video.objects.exists()


def test_a_new_embed_needs_a_title(staff):
    response = as_user(staff.editor).post(reverse(FROM_LINK), {"share_url": BILIBILI})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": "请填写视频标题。"}
    assert not Video.objects.exists()


def test_links_are_only_posted(staff):
    response = as_user(staff.editor).get(reverse(FROM_LINK), {"share_url": BILIBILI})

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_story_form_loads_the_video_picker_into_the_body_editor(staff):
    article = ArticleFactory(draft=True, created_by=staff.editor)

    page = as_user(staff.editor).get(reverse("admin:articles_article_change", args=[article.pk]))

    config = json.loads(html.unescape(EDITOR_CONFIG.search(page.content.decode())[1]))
    assert "/static/articles/admin/video-editor.js" in config["js_modules"]
    picker = config["extensions"]["VideoPicker"]
    assert picker["url"] == reverse(PICKER)
    assert picker["linkUrl"] == reverse(FROM_LINK)
