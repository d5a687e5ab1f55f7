"""A video story on a phone: the player loads its clip's metadata and the caption sits
under it."""

import pytest

from tests import video_files
from tests.factories import ArticleFactory, ChannelFactory
from tests.videos.conftest import needs_ffmpeg
from videos import library
from videos.figures import editor_figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_ffmpeg]


def test_video_story_plays_on_a_360_pixel_phone(browser, live_server, tmp_path, screenshot_path):
    clip = video_files.make_clip(tmp_path / "clip.mp4", seconds=2, size="960x540")
    video = library.add_video(
        video_files.upload(clip), title="云海漫过矮寨大桥", caption="矮寨大桥云海", credit="向明辉"
    )
    channel = ChannelFactory(name="精彩视频", slug="jingcaishipin")
    article = ArticleFactory(
        channel=channel,
        title="视频｜云海漫过矮寨大桥",
        body=f"{editor_figure(video)}<p>雨后初晴，峡谷云雾升腾。</p>",
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    player = page.locator(".article__body video")
    assert player.get_attribute("preload") == "none"  # nothing fetched until asked
    # What a tap on play starts: the browser reads the clip's header.
    player.evaluate("video => { video.preload = 'metadata'; video.load(); }")
    page.wait_for_function(
        "() => document.querySelector('.article__body video').readyState >= 1", timeout=15_000
    )

    duration = player.evaluate("video => video.duration")
    assert duration == pytest.approx(2.0, abs=0.2)
    assert player.evaluate("video => video.currentSrc").endswith("-720.mp4")
    box = player.bounding_box()
    caption = page.locator(".article__body figure.video figcaption")
    assert caption.inner_text() == "矮寨大桥云海（摄像：向明辉）"
    assert caption.bounding_box()["y"] >= box["y"] + box["height"] - 1  # under the player
    assert box["width"] <= 360  # as wide as the column, never wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_path("video-story-360"), full_page=False)
    context.close()
