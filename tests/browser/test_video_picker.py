"""Videos in the body editor as an 编辑 inserts them: the 插入视频 button opens the
library's ready videos, the chosen one lands after the paragraph (never inside it) with
its caption, the cursor can leave it, and readers get the player with the caption under
it. A share link pasted on its own line is offered as an embed."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests import video_files
from tests.browser.test_body_editor import EDITOR, open_story, saved_body, signed_in
from tests.factories import ArticleFactory, ChannelFactory, member
from tests.videos.conftest import needs_ffmpeg
from videos import library
from videos.models import Video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_user(db):
    return member("编辑", "bianji")


@pytest.fixture
def desk(browser, live_server, editor_user):
    page = signed_in(browser, live_server, editor_user)
    yield page
    page.context.close()


@pytest.fixture
def draft(editor_user):
    return ArticleFactory(
        channel=ChannelFactory(name="精彩视频", slug="jingcaishipin"),
        title="云海漫过矮寨大桥",
        body="<p>第一段。</p><p>第二段。</p>",
        draft=True,
        created_by=editor_user,
    )


@needs_ffmpeg
def test_editor_inserts_a_library_video_and_readers_see_the_player_with_its_caption(
    desk, live_server, draft, tmp_path, screenshot_path, page
):
    clip = video_files.make_clip(tmp_path / "clip.mp4", seconds=1, size="640x360")
    video = library.add_video(
        video_files.upload(clip), title="矮寨大桥云海", caption="矮寨大桥云海", credit="向明辉"
    )
    Video.objects.create(title="还在转码的视频")
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第一段。").click()
    desk.keyboard.press("Home")
    desk.keyboard.press("ArrowRight")  # between 第 and 一

    desk.get_by_role("button", name="插入视频").click()
    dialog = desk.locator("dialog.video-picker[open]")
    expect(dialog.locator(".photo-picker__item")).to_have_count(1)
    expect(dialog).not_to_contain_text("还在转码")
    desk.screenshot(path=screenshot_path("video-picker"))
    dialog.locator(".photo-picker__item", has_text="矮寨大桥云海").click()
    desk.keyboard.press("Enter")  # out of the caption
    desk.keyboard.type("视频后的段落。")
    body = saved_body(desk, draft)

    assert body.startswith(f'<p>第一段。</p><figure data-video="{video.pk}"><img')
    assert (
        "<figcaption>矮寨大桥云海（摄像：向明辉）</figcaption></figure><p>视频后的段落。</p>"
        in body
    )
    assert body.endswith("<p>第二段。</p>")
    # The review chain has browser tests of its own; here the story has passed it.
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.APPROVED)
    draft.refresh_from_db()
    draft.publish(by=member("总编辑", "zongbian"))
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    player = page.locator(".article__body figure.video video")
    caption = page.locator(".article__body figure.video figcaption")
    expect(caption).to_have_text("矮寨大桥云海（摄像：向明辉）")
    box = player.bounding_box()
    assert caption.bounding_box()["y"] >= box["y"] + box["height"] - 1  # under the player
    assert player.locator("source").first.get_attribute("src").endswith("-720.mp4")
    page.screenshot(path=screenshot_path("video-picked-story"), full_page=True)


def new_line_after(page, paragraph: str) -> None:
    """Start an empty line after a paragraph: a link is offered as a video only when pasted
    on a line of its own. The editor takes the caret from the page a moment after a click
    or a key, and now and then Enter still splits at the start of the clicked line; the
    split is then undone and the line started again, so that what the test checks is the
    paste, not where a click lands."""
    paragraphs = page.locator(f"{EDITOR} > p")
    texts = paragraphs.all_inner_texts()
    after = texts.index(paragraph) + 1
    for _ in range(3):
        page.locator(EDITOR).get_by_text(paragraph).click()
        page.keyboard.press("End")
        page.wait_for_timeout(150)  # the editor reads the moved caret
        page.keyboard.press("Enter")
        expect(paragraphs).to_have_count(len(texts) + 1)
        if paragraphs.nth(after).inner_text().strip() == "":
            return
        page.keyboard.press("ControlOrMeta+z")
        expect(paragraphs).to_have_text(texts)
    raise AssertionError(f"no empty line could be started after {paragraph!r}")


def paste_text(page, text: str) -> None:
    page.locator(EDITOR).evaluate(
        """(editor, text) => {
            const data = new DataTransfer()
            data.setData("text/plain", text)
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }))
        }""",
        text,
    )


def test_a_share_link_pasted_on_its_own_line_becomes_an_embedded_video(
    desk, live_server, draft, screenshot_path
):
    open_story(desk, live_server, draft)
    new_line_after(desk, "第一段。")

    paste_text(desk, "https://www.bilibili.com/video/BV1xx411c7mD")
    offer = desk.locator(".video-offer")
    expect(offer).to_contain_text("这是视频分享链接吗？")
    offer.get_by_placeholder("视频标题").fill("沅水龙舟赛")
    desk.screenshot(path=screenshot_path("video-link-offer"))
    offer.get_by_role("button", name="转为视频").click()
    expect(offer).to_contain_text("已转为嵌入视频")
    expect(offer.get_by_role("button", name="转为视频")).to_be_hidden()
    desk.screenshot(path=screenshot_path("video-link-embedded"))
    desk.keyboard.type("龙舟赛现场")
    body = saved_body(desk, draft)

    video = Video.objects.get(title="沅水龙舟赛")
    assert video.player_url.startswith("https://player.bilibili.com/")
    assert body == (
        f'<p>第一段。</p><figure data-video="{video.pk}"><img src="" alt="">'
        "<figcaption>龙舟赛现场</figcaption></figure><p>第二段。</p>"
    )


def test_a_link_from_a_site_the_desk_may_not_embed_gets_the_librarys_message(
    desk, live_server, draft
):
    open_story(desk, live_server, draft)
    new_line_after(desk, "第二段。")

    paste_text(desk, "https://www.youtube.com/watch?v=abcdefghijk")
    offer = desk.locator(".video-offer")
    offer.get_by_placeholder("视频标题").fill("外站视频")
    offer.get_by_role("button", name="转为视频").click()

    expect(offer.locator(".is-error")).to_have_text(
        "只能嵌入央视频、腾讯视频或哔哩哔哩的视频；请粘贴这些网站的分享链接。"
    )
    assert not Video.objects.exists()
    body = saved_body(desk, draft)
    assert (
        body == "<p>第一段。</p><p>第二段。</p><p>https://www.youtube.com/watch?v=abcdefghijk</p>"
    )


def test_the_video_button_speaks_english_in_the_english_admin(
    browser, live_server, editor_user, draft
):
    page = signed_in(browser, live_server, editor_user, language="en")
    open_story(page, live_server, draft)

    expect(page.get_by_role("button", name="Insert video")).to_be_visible()
    page.get_by_role("button", name="Insert video").click()
    expect(page.locator("dialog.video-picker[open] h2")).to_have_text(
        "Choose a video from the library"
    )
    page.context.close()
