"""The body editor as an 编辑 uses it: menus in the admin's language, photos only from the
library (dropped or pasted files go there first), clean pastes from WeChat, a way out of a
photo's caption, and the live 字数."""

import base64
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article, Image
from tests import photo_files
from tests.factories import ArticleFactory, ChannelFactory, ImageFactory, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "correct horse battery"
DATA = Path(__file__).resolve().parents[1] / "data"
EDITOR = ".ProseMirror[contenteditable=true]"
MENU = ".prose-menubar"
# As if the editor had written it: the editor's own update, as typing makes.
SET_CONTENT = "(dom, html) => dom.editor.commands.setContent(html, { emitUpdate: true })"


@pytest.fixture
def editor_user(db):
    return member("编辑", "bianji")


def signed_in(browser, live_server, user, language: str = "zh-hans"):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def desk(browser, live_server, editor_user):
    """The 编辑's browser, in Chinese."""
    page = signed_in(browser, live_server, editor_user)
    yield page
    page.context.close()


@pytest.fixture
def draft(editor_user):
    channel = ChannelFactory(name="民生", slug="minsheng")
    return ArticleFactory(
        channel=channel,
        title="浦市古镇迎来赏秋客流高峰",
        body="<p>第一段。</p><p>第二段。</p>",
        draft=True,
        created_by=editor_user,
    )


def open_story(page, live_server, article: Article) -> None:
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(EDITOR).wait_for()
    page.locator(".word-count").wait_for()


def menu_titles(page) -> list[str]:
    return page.locator(f"{MENU} [title]").evaluate_all("nodes => nodes.map(n => n.title)")


def block_names(page) -> list[str]:
    return page.locator(".prose-menubar__option").all_inner_texts()


def saved_body(page, article: Article) -> str:
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    article.refresh_from_db()
    return article.body


def test_menus_speak_chinese_and_offer_no_image_by_url(desk, live_server, draft, screenshot_path):
    open_story(desk, live_server, draft)

    titles = menu_titles(desk)
    assert {"加粗", "斜体", "正文段落", "无序列表", "插入链接", "撤销"} <= set(titles), titles
    assert not [title for title in titles if title.isascii()]
    desk.locator(".prose-menubar__selected").first.click()
    assert {"正文段落", "2 级标题", "3 级标题", "4 级标题"} <= set(block_names(desk))
    # The package's figure button (material icon "image") asked for an image URL.
    assert desk.locator(f"{MENU} button", has_text="image").count() == 0
    assert desk.locator(f"{MENU} [data-name=figure]").count() == 0
    desk.keyboard.press("Escape")
    desk.locator(EDITOR).get_by_text("第一段。").click()
    desk.keyboard.type("![图](https://example.com/a.jpg) ")
    assert desk.locator(f"{EDITOR} img").count() == 0
    desk.screenshot(path=screenshot_path("body-editor-menus-zh"))


def test_link_dialog_speaks_chinese(desk, live_server, draft):
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第一段。").dblclick()
    # The link button acts on a selection: wait for the word to be selected, not for luck.
    desk.wait_for_function("() => !document.getSelection().isCollapsed")
    desk.locator(f"{MENU} [data-name=link]").click()

    dialog = desk.locator("dialog[open]")
    expect(dialog).to_contain_text("链接地址")
    expect(dialog).to_contain_text("编辑链接")
    expect(dialog.get_by_role("button", name="取消")).to_be_visible()


def test_menus_speak_english_in_the_english_admin(browser, live_server, editor_user, draft):
    page = signed_in(browser, live_server, editor_user, language="en")
    open_story(page, live_server, draft)

    titles = menu_titles(page)
    assert {"bold", "paragraph", "unordered list", "undo"} <= set(titles)
    assert all(title.isascii() for title in titles)
    page.locator(".prose-menubar__selected").first.click()
    assert {"Paragraph", "Heading 2", "Heading 3", "Heading 4"} <= set(block_names(page))
    page.context.close()


def paste_html(page, html: str) -> None:
    page.locator(EDITOR).evaluate(
        """(editor, html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "")
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }))
        }""",
        html,
    )


def test_a_wechat_paste_keeps_structure_and_drops_indents_styles_and_empty_paragraphs(
    desk, live_server, draft, screenshot_path
):
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第二段。").click()
    desk.keyboard.press("End")
    desk.keyboard.press("Enter")

    paste_html(desk, (DATA / "wechat_paste.html").read_text(encoding="utf-8"))
    desk.locator(f"{EDITOR} img").wait_for()
    desk.screenshot(path=screenshot_path("body-editor-wechat-paste"))
    body = saved_body(desk, draft)

    assert "\u3000" not in body
    assert "<p></p>" not in body
    for dropped in ("style=", "class=", "<span", "data-src"):
        assert dropped not in body
    assert "<h2>浦市古镇迎来赏秋客流高峰</h2>" in body  # the <h1> is the editor's top heading
    lead = "本报讯（记者 向明辉）<strong>国庆假期</strong>，泸溪县浦市古镇接待游客12.6万人次。"
    assert f"<p>{lead}</p>" in body
    assert '<a href="https://www.example.cn/pushi" rel="noopener noreferrer">吉首大学</a>' in body
    assert "<h2>游客说</h2>" in body
    assert "<ul><li><p>“吊脚楼很有味道。”</p></li><li><p>“米粉好吃。”</p></li></ul>" in body
    assert "<p><em>（编辑：石磊）</em></p>" in body
    # The remote picture stays where it was, marked, for the library to take in on saving.
    assert '<img src="https://mmbiz.qpic.cn/mmbiz_jpg/pushi/640?wx_fmt=jpeg"' in body
    expect(desk.locator(f"{EDITOR} .remote-image-note")).to_have_text(
        "外链图片：须转存到图库后才能发稿"
    )


def test_a_word_paste_keeps_its_list_and_leaves_local_pictures_behind(desk, live_server, draft):
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第二段。").click()
    desk.keyboard.press("End")
    desk.keyboard.press("Enter")

    paste_html(desk, (DATA / "word_paste.html").read_text(encoding="utf-8"))
    desk.locator(f"{EDITOR} ol").wait_for()
    body = saved_body(desk, draft)

    assert body == (
        "<p>第一段。</p><p>第二段。</p><h2>矮寨大桥通车十周年</h2>"
        "<p>本报讯<strong>十年来</strong>，大桥累计通行车辆超过3000万辆次。</p>"
        "<ol><li><p>通车初期日均车流4000辆次；</p></li><li><p>如今节假日超过2万辆次。</p></li></ol>"
        '<p>详见<a href="https://www.example.cn/aizhai" rel="noopener noreferrer">'
        "专题报道</a>。</p>"
    )


def drop_photo(page, name: str, data: bytes, target) -> None:
    """Drop a file on ``target``, in view first: the editor ignores a drop at a point where
    it finds no position, and the page finds none outside the window."""
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.locator(EDITOR).evaluate(
        """(editor, [name, encoded, x, y]) => {
            const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))
            const data = new DataTransfer()
            data.items.add(new File([bytes], name, { type: "image/jpeg" }))
            editor.dispatchEvent(new DragEvent("drop", {
                dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true,
            }))
        }""",
        [name, base64.b64encode(data).decode(), box["x"] + 5, box["y"] + box["height"] / 2],
    )


def test_a_dropped_photo_joins_the_library_and_lands_after_its_paragraph(
    desk, live_server, draft, editor_user, screenshot_path
):
    open_story(desk, live_server, draft)
    first = desk.locator(EDITOR).get_by_text("第一段。")

    drop_photo(desk, "pushi.jpg", photo_files.camera_jpeg(size=(1600, 1067)), first)
    figure = desk.locator(f"{EDITOR} figure")
    figure.wait_for()
    expect(desk.locator(".photo-picker__status")).to_contain_text("已存入图库")
    desk.keyboard.type("浦市古镇码头")
    desk.screenshot(path=screenshot_path("body-editor-dropped-photo"))
    body = saved_body(desk, draft)

    photo = Image.objects.get()
    assert photo.uploaded_by == editor_user
    assert photo.is_ready  # its copies were drawn by the render task
    assert photo.camera == photo_files.CAMERA_MODEL  # read from the original...
    assert body.startswith(f'<p>第一段。</p><figure data-photo="{photo.pk}"><img src="/media/')
    assert body.endswith("<figcaption>浦市古镇码头</figcaption></figure><p>第二段。</p>")


def test_a_refused_file_is_named_and_nothing_is_inserted(desk, live_server, draft):
    open_story(desk, live_server, draft)

    drop_photo(desk, "broken.jpg", b"not a photo", desk.locator(EDITOR).get_by_text("第一段。"))

    expect(desk.locator(".photo-picker__status")).to_contain_text("“broken.jpg”")
    expect(desk.locator(".photo-picker__status")).to_have_class("photo-picker__status is-error")
    assert desk.locator(f"{EDITOR} figure").count() == 0
    assert Image.objects.count() == 0


def test_a_pasted_photo_file_goes_through_the_library(desk, live_server, draft):
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第二段。").click()
    encoded = base64.b64encode(photo_files.camera_jpeg()).decode()

    desk.locator(EDITOR).evaluate(
        """(editor, encoded) => {
            const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))
            const data = new DataTransfer()
            data.items.add(new File([bytes], "screenshot.jpg", { type: "image/jpeg" }))
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }))
        }""",
        encoded,
    )
    desk.locator(f"{EDITOR} figure").wait_for()
    body = saved_body(desk, draft)

    photo = Image.objects.get()
    assert body.startswith(f'<p>第一段。</p><p>第二段。</p><figure data-photo="{photo.pk}"><img')
    assert body.endswith("<figcaption></figcaption></figure>")


def test_no_style_sheet_arrives_after_the_page_moving_the_text_under_the_cursor(
    desk, live_server, draft
):
    """The editor's extensions are styled from the page's head. A sheet they added once
    running moved the body by 16 px whenever it arrived, under a click already aimed."""
    desk.add_init_script(
        """window.lateSheets = []
        new MutationObserver((changes) => {
          for (const change of changes) for (const node of change.addedNodes) {
            if (node.rel === "stylesheet" && document.readyState !== "loading") {
              window.lateSheets.push(node.href)
            }
          }
        }).observe(document, { childList: true, subtree: true })"""
    )
    open_story(desk, live_server, draft)
    desk.wait_for_load_state("networkidle")

    assert desk.evaluate("window.lateSheets") == []


def test_a_library_photo_goes_after_the_paragraph_not_into_it(desk, live_server, draft):
    photo = ImageFactory(caption="沅水码头")
    open_story(desk, live_server, draft)
    desk.locator(EDITOR).get_by_text("第一段。").click()
    desk.keyboard.press("Home")
    desk.keyboard.press("ArrowRight")  # between 第 and 一

    desk.get_by_role("button", name="插入图库照片").click()
    desk.locator(".photo-picker__item", has_text="沅水码头").click()
    body = saved_body(desk, draft)

    assert body.startswith(f'<p>第一段。</p><figure data-photo="{photo.pk}">')


@pytest.mark.parametrize("key", ["Enter", "ArrowDown"])
def test_the_cursor_leaves_a_final_figure_for_a_new_paragraph(desk, live_server, editor_user, key):
    ImageFactory(caption="沅水码头", credit="")
    article = ArticleFactory(body="<p>开头。</p>", draft=True, created_by=editor_user)
    open_story(desk, live_server, article)
    desk.locator(EDITOR).get_by_text("开头。").click()
    desk.get_by_role("button", name="插入图库照片").click()
    desk.locator(".photo-picker__item", has_text="沅水码头").click()

    desk.keyboard.press(key)
    desk.keyboard.type("图后的段落。")
    body = saved_body(desk, article)

    assert body.endswith("<figcaption>沅水码头</figcaption></figure><p>图后的段落。</p>")


def test_the_word_count_follows_the_rule_and_the_typing(desk, live_server, draft, screenshot_path):
    examples = json.loads((DATA / "word_counts.json").read_text(encoding="utf-8"))["examples"]
    open_story(desk, live_server, draft)
    count = desk.locator(".word-count")
    expect(count).to_have_text("字数：8")  # 第一段。第二段。

    shown = {}
    for example in examples:
        desk.locator(EDITOR).evaluate(SET_CONTENT, example["html"])
        shown[example["html"]] = int(count.get_attribute("data-count"))
    assert shown == {example["html"]: example["count"] for example in examples}

    desk.locator(EDITOR).evaluate(SET_CONTENT, "<p>湘西</p>")
    desk.locator(EDITOR).get_by_text("湘西").click()
    desk.keyboard.press("End")
    desk.keyboard.type("G56 杭瑞高速")
    expect(count).to_have_text("字数：7")
    desk.screenshot(path=screenshot_path("body-editor-word-count"))
