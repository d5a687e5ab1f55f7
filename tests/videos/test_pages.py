"""Videos as readers get them: a player with both copies and the caption under it, the
poster as the story's picture, a VideoObject for search engines, embedded players."""

import json
import re

import pytest

from tests.articles.test_views import ARTICLE_PAGE_QUERIES
from tests.factories import ArticleFactory, ImageFactory, full_article
from tests.photo_files import camera_jpeg, upload
from tests.trust.test_headers import CSP, directives
from tests.videos.conftest import ready_video, video_figure
from videos import library
from videos.embeds import PLAYERS
from videos.models import Video

pytestmark = pytest.mark.django_db

# The videos a body shows are read in one query, inside the cached part of the page.
VIDEO_PAGE_QUERIES = {"cold": ARTICLE_PAGE_QUERIES["cold"] + 1, "warm": 1}


def body_of(html: str) -> str:
    return html[html.index('class="article__body"') : html.index('class="article__meta"')]


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found[1])


def og_image(html: str) -> str | None:
    found = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    return found[1] if found else None


def test_body_video_is_a_player_with_both_copies_then_its_caption(client):
    video = ready_video()
    article = ArticleFactory(body=f"<p>导语。</p>{video_figure(video)}<p>正文。</p>")

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    figure = re.search(r"<figure.*?</figure>", body, re.S)[0]
    sha = video.sha256
    assert re.search(
        rf'<video controls preload="none" poster="/media/videos/{sha[:2]}/{sha}-poster-1000.jpg"'
        r' playsinline width="1280" height="720">',
        figure,
    )
    sources = re.findall(r'<source src="([^"]+)" type="video/mp4">', figure)
    assert sources == [
        f"/media/videos/{sha[:2]}/{sha}-720.mp4",
        f"/media/videos/{sha[:2]}/{sha}-480.mp4",
    ]
    assert figure.index("</video>") < figure.index(
        "<figcaption>雨后初晴，矮寨大桥云海翻涌（摄像：向明辉）</figcaption>"
    )
    assert "<track" not in figure
    assert body.index("导语") < body.index("<video") < body.index("正文。")


def test_the_editors_own_caption_is_kept_for_this_use(client):
    video = ready_video()
    article = ArticleFactory(body=video_figure(video, "<strong>本台记者</strong>拍摄的云海"))

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    assert "<figcaption><strong>本台记者</strong>拍摄的云海</figcaption>" in body


def test_subtitles_are_offered_as_a_track(client):
    video = ready_video(subtitles="videos/ab/zh.vtt")
    article = ArticleFactory(body=video_figure(video))

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    assert '<track kind="subtitles" src="/media/videos/ab/zh.vtt" srclang="zh-Hans"' in body


@pytest.mark.parametrize("status", [Video.Status.PROCESSING, Video.Status.FAILED])
def test_a_video_not_ready_is_not_shown_at_all(client, status):
    video = ready_video(status=status)
    article = ArticleFactory(body=f"<p>导语。</p>{video_figure(video)}")

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    assert "<figure" not in body
    assert "导语" in body


def test_a_deleted_video_leaves_no_empty_figure(client):
    video = ready_video()
    article = ArticleFactory(body=video_figure(video))
    video.delete()

    assert "<figure" not in body_of(client.get(article.get_absolute_url()).content.decode())


def test_hostile_markup_around_a_video_figure_is_removed(client):
    video = ready_video()
    hostile = video_figure(video, '<img src=x onerror="alert(1)">说明').replace(
        "<figure ", '<figure onclick="alert(1)" '
    )
    article = ArticleFactory(body=hostile + "<video src=x autoplay></video><iframe src=x>")

    body = body_of(client.get(article.get_absolute_url()).content.decode()).lower()

    assert "onerror" not in body
    assert "onclick" not in body
    assert body.count("<video") == 1  # ours; the pasted one was removed with the iframe
    assert "<iframe" not in body


def test_video_story_is_pictured_by_its_poster_and_described_as_a_video(client, county_channel):
    video = ready_video()
    cover = ImageFactory(file=upload(camera_jpeg()), caption="截图")
    article = full_article(county_channel, body=video_figure(video), cover_image=cover)

    html = client.get(article.get_absolute_url()).content.decode()

    poster = f"http://testserver/media/{video.poster}"
    assert og_image(html) == poster
    data = json_ld(html)
    assert data["image"][0] == poster
    assert data["video"] == [
        {
            "@type": "VideoObject",
            "name": "云海漫过矮寨大桥",
            "description": "雨后初晴，矮寨大桥云海翻涌",
            "uploadDate": data["video"][0]["uploadDate"],
            "thumbnailUrl": [poster],
            "duration": "PT1M5S",
            "contentUrl": f"http://testserver/media/{video.sources[1]['name']}",
        }
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", data["video"][0]["uploadDate"])


def test_a_video_further_down_is_described_but_the_cover_stays_the_picture(client, county_channel):
    video = ready_video()
    cover = ImageFactory(file=upload(camera_jpeg()), caption="封面")
    article = full_article(
        county_channel, body=f"<p>导语。</p>{video_figure(video)}", cover_image=cover
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert video.poster not in og_image(html)
    assert [v["name"] for v in json_ld(html)["video"]] == ["云海漫过矮寨大桥"]


def test_article_without_video_has_no_video_object(client, full_article):
    assert "video" not in json_ld(client.get(full_article.get_absolute_url()).content.decode())


@pytest.mark.parametrize("count", [1, 4])
def test_article_page_reads_its_videos_in_one_query(client, county_channel, queries_for, count):
    videos = [ready_video(title=f"视频{n}") for n in range(count)]
    article = full_article(county_channel, body="".join(video_figure(v) for v in videos))
    url = article.get_absolute_url()

    assert queries_for(url) == VIDEO_PAGE_QUERIES["cold"]
    assert queries_for(url, warm=True) == VIDEO_PAGE_QUERIES["warm"]
    assert client.get(url).content.decode().count("<video ") == count


def test_embedded_player_is_an_iframe_of_the_allowed_site(client):
    video = library.add_embed(
        "https://www.bilibili.com/video/BV1GJ411x7h7/?spm_id_from=333.1007", title="哔哩哔哩"
    )
    article = ArticleFactory(body=video_figure(video, "外站视频"))

    response = client.get(article.get_absolute_url())
    body = body_of(response.content.decode())

    assert (
        '<iframe src="https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&amp;page=1'
        '&amp;autoplay=0&amp;isOutside=true" title="哔哩哔哩" loading="lazy"'
    ) in body
    assert "<figcaption>外站视频</figcaption>" in body
    assert directives(response[CSP])["frame-src"] == sorted(PLAYERS.values())
    assert directives(response[CSP])["media-src"] == ["'self'", "https:"]
