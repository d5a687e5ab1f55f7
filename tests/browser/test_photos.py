"""Photos in a real browser: upload, insert into an article, read; focal point; galleries."""

import base64

import pytest
from playwright.sync_api import expect

from articles.models import Article, Channel, GalleryPhoto, Image
from tests import photo_files
from tests.browser.images import loaded_image_source
from tests.factories import ArticleFactory, ChannelFactory, ImageFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "correct horse battery"


@pytest.fixture
def desk(browser, live_server):
    """A signed-in editor at a desktop-sized window."""
    UserFactory(username="chief", is_superuser=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    yield page
    context.close()


def test_editor_uploads_a_photo_inserts_it_and_readers_see_it(
    desk, live_server, page, screenshot_path
):
    channel = ChannelFactory(name="民生", slug="minsheng")
    article = ArticleFactory(
        channel=channel,
        title="矮寨大桥迎来客流高峰",
        body="<p>第一段。</p><p>第二段。</p>",
        draft=True,
    )

    desk.goto(f"{live_server.url}/admin/articles/image/add/")
    desk.set_input_files(
        "#id_file",
        {
            "name": "aizhai.jpg",
            "mimeType": "image/jpeg",
            "buffer": photo_files.camera_jpeg(size=(2000, 1333), colour="#4f7565"),
        },
    )
    desk.fill("#id_caption", "矮寨大桥云海")
    desk.fill("#id_credit", "石磊")
    desk.fill("#id_alt_text", "云海中的悬索桥")
    desk.click("input[name=_save]")
    desk.locator(".messagelist .success").wait_for()

    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    desk.locator(".ProseMirror").get_by_text("第一段。").click()
    desk.keyboard.press("End")
    desk.get_by_role("button", name="插入图库照片").click()
    desk.locator(".photo-picker__item", has_text="矮寨大桥云海").click()
    desk.click("input[name=_save]")
    desk.locator(".messagelist .success").wait_for()
    # The review chain has browser tests of its own; here the article has passed it.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    desk.locator(".workflow-panel__action").get_by_role("button", name="发布", exact=True).click()
    desk.get_by_text("稿件已发布。").wait_for()

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    body = page.locator(".article__body")
    figure = body.locator("figure")
    loaded = loaded_image_source(figure.locator("img"))
    assert ".webp" in loaded
    assert figure.locator("figcaption").inner_text() == "矮寨大桥云海（摄影：石磊）"
    assert figure.locator("img").get_attribute("alt") == "云海中的悬索桥"
    text = body.inner_text()
    assert text.index("第一段") < text.index("矮寨大桥云海") < text.index("第二段")
    page.screenshot(path=screenshot_path("photo-in-article"), full_page=True)

    # Opened again (a live article is edited in a working copy) and saved, the figure
    # still knows which library photo it shows.
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    desk.locator(".workflow-panel__action").get_by_role("button", name="修改已发布稿件").click()
    desk.locator(".ProseMirror figure img").wait_for()
    desk.click("input[name=_save]")
    desk.locator(".messagelist .success").wait_for()
    copy = Article.objects.get(revision_of=article)
    photo = Image.objects.get(caption="矮寨大桥云海")
    assert f'<figure data-photo="{photo.pk}">' in copy.body
    assert "<picture>" in copy.body_html


def test_photos_dropped_on_the_upload_page_are_uploaded_together(desk, live_server):
    files = {
        "a.jpg": photo_files.camera_jpeg(colour="#335577"),
        "b.png": photo_files.transparent_png(),
    }
    desk.goto(f"{live_server.url}/admin/articles/image/upload/")

    desk.evaluate(
        """(files) => {
            const transfer = new DataTransfer()
            for (const [name, data] of Object.entries(files)) {
                const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
                transfer.items.add(new File([bytes], name))
            }
            const zone = document.querySelector("[data-drop-zone]")
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true }))
        }""",
        {name: base64.b64encode(data).decode() for name, data in files.items()},
    )
    assert desk.locator("[data-drop-list] li").all_inner_texts()[0].startswith("a.jpg")
    desk.click("input[type=submit]")

    assert desk.locator("fieldset.photo-describe").count() == 2
    assert Image.objects.count() == 2


def test_clicking_the_photo_sets_its_focal_point(desk, live_server):
    photo = ImageFactory(file=photo_files.upload(photo_files.camera_jpeg(size=(1200, 800))))
    desk.goto(f"{live_server.url}/admin/articles/image/{photo.pk}/change/")

    picture = desk.locator(".focal-picker img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    desk.click("input[name=_save]")

    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.25, abs=0.02)
    assert photo.focal_y == pytest.approx(0.75, abs=0.02)


@pytest.fixture
def photo_set():
    channel = ChannelFactory(name="红图", slug="hongtu", kind=Channel.Kind.PHOTO)
    article = ArticleFactory(channel=channel, title="赶秋节组图")
    for position, colour in enumerate(["#aa3322", "#2233aa", "#22aa33"]):
        image = ImageFactory(
            file=photo_files.upload(photo_files.camera_jpeg(colour=colour)),
            caption=f"第{position + 1}张",
        )
        GalleryPhoto.objects.create(article=article, image=image, position=position)
    return article


# The gallery shows one photo at a time: the one wholly inside the scrolling strip.
# (An assertion, not page.wait_for_function: that evaluates a string in the page, which
# the Content-Security-Policy forbids, as it should.)
def shows(page, photo_id: str) -> None:
    expect(page.locator(f"#{photo_id}")).to_be_in_viewport(ratio=0.95)


def test_gallery_moves_with_the_arrow_keys(live_server, page, photo_set):
    page.goto(f"{live_server.url}{photo_set.get_absolute_url()}")

    page.locator(".gallery__slides").focus()
    page.keyboard.press("ArrowRight")

    shows(page, "photo-2")


def test_gallery_moves_with_a_swipe(browser, live_server, photo_set):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{photo_set.get_absolute_url()}")
    page.locator(".gallery__slides").scroll_into_view_if_needed()
    box = page.locator(".gallery__slides").bounding_box()
    touch = context.new_cdp_session(page)

    start, y = box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 3
    touch.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start, "y": y}]}
    )
    for step in range(1, 11):  # the finger moves left across most of the photo
        x = start - box["width"] * 0.07 * step
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    shows(page, "photo-2")
    context.close()


def test_gallery_works_without_javascript(browser, live_server, photo_set):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{photo_set.get_absolute_url()}")

    # The step links are for pointers only (aria-hidden, no tab stop): found by their class.
    page.locator("#photo-1 a.gallery__next", has_text="下一张").click()
    page.locator("#photo-2 a.gallery__next", has_text="下一张").click()

    assert page.url.endswith("#photo-3")
    assert page.locator("#photo-3 figcaption").is_visible()
    assert page.locator("#photo-3").bounding_box()["x"] == pytest.approx(
        page.locator(".gallery__slides").bounding_box()["x"], abs=2
    )
    context.close()
