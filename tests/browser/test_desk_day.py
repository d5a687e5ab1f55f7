"""A whole desk day in a real browser, by desk accounts only (no superuser anywhere): a
通讯员 files a story with a photo and a credited author, three reviewers take it live (the
编辑 fixes a typo on the way), the 总编辑 corrects it after publication, and a photo
without alt text stops a story at 送审. Each person's clicks are counted, from the page
they land on after signing in to the step that is theirs."""

from collections import Counter

import pytest

from articles.models import Article, Author, Image
from tests import photo_files
from tests.factories import ArticleFactory, ChannelFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "correct horse battery"
EDITOR = ".ProseMirror[contenteditable=true]"


class Person:
    """One desk member's browser at 1366 px, counting the clicks they make."""

    def __init__(self, browser, live_server, username: str, clicks: Counter) -> None:
        self.username = username
        self.server = live_server.url
        self.clicks = clicks
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.goto(f"{self.server}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{self.server}/admin/")

    def click(self, locator) -> None:
        self.clicks[self.username] += 1
        locator.click()

    def press(self, button: str) -> None:
        """A button of the 审核流程 panel, then the page it leads to."""
        panel = self.page.locator(".workflow-panel")
        with self.page.expect_navigation():
            self.click(panel.get_by_role("button", name=button, exact=True))

    def open_from_desk(self, title: str) -> None:
        """The story, from the box on the admin home that lists it."""
        self.page.goto(f"{self.server}/admin/")
        self.click(self.page.locator(".dashboard-desk").get_by_role("link", name=title).first)
        self.page.wait_for_load_state()

    def message(self) -> str:
        return self.page.locator(".messagelist").inner_text()

    def shoot(self, screenshot_path, name: str) -> None:
        self.page.screenshot(path=screenshot_path(f"desk-day-{name}"), full_page=True)


def open_add_page(person: Person, model: str) -> None:
    """The 增加 link beside a model on the admin home, and the add page loaded in full: the
    admin's own script puts the cursor in the form's first field as the page finishes, so
    typing before then lands in that field (引题) instead of the one filled."""
    link = person.page.locator(f"a.addlink[href$='/articles/{model}/add/']")
    with person.page.expect_navigation():
        person.click(link)


def upload_photo(person: Person, caption: str, alt_text: str) -> Image:
    """A photo uploaded on the 图片 add page, reached from the admin home."""
    page = person.page
    page.goto(f"{person.server}/admin/")
    open_add_page(person, "image")
    with page.expect_file_chooser() as chooser:
        person.click(page.locator("#id_file"))
    chooser.value.set_files(
        {
            "name": "dianwei.jpg",
            "mimeType": "image/jpeg",
            "buffer": photo_files.camera_jpeg(size=(1600, 1067), colour="#5a7d6b"),
        }
    )
    page.fill("#id_caption", caption)
    page.fill("#id_credit", "向明辉")
    page.fill("#id_alt_text", alt_text)
    person.click(page.locator("input[name=_save]"))
    page.locator(".messagelist .success").wait_for()
    return Image.objects.get(caption=caption)


def write_story(person: Person, title: str, body: str, caption: str) -> None:
    """Title, channel and body on the article add page, the library photo after the text."""
    page = person.page
    page.goto(f"{person.server}/admin/")
    open_add_page(person, "article")
    page.fill("#id_title", title)
    person.click(page.locator(".field-channel .select2-selection"))
    page.locator(".select2-search__field").fill("民生")
    person.click(page.locator(".select2-results__option", has_text="民生"))
    person.click(page.locator(EDITOR))
    page.keyboard.type(body)
    person.click(page.get_by_role("button", name="插入图库照片"))
    person.click(page.locator(".photo-picker__item", has_text=caption))


def credit_new_author(person: Person, name: str) -> None:
    """The 作者 row's picker, and 增加 beside it for someone not yet on file."""
    page = person.page
    with page.expect_popup() as popup:
        person.click(page.locator("#add_id_credits-0-author"))
    form = popup.value
    form.wait_for_load_state()
    form.fill("#id_name", name)
    person.click(form.locator("input[name=_save]"))
    form.wait_for_event("close")
    assert name in page.locator("#select2-id_credits-0-author-container").inner_text()


def test_a_desk_day_from_a_reporters_draft_to_a_published_correction(
    browser, live_server, staff, screenshot_path
):
    channel = ChannelFactory(name="民生", slug="minsheng", position=1)
    clicks = Counter()
    title = "吉首新增三处便民停车厂"  # 厂 for 场: the 编辑 catches it at 初审
    fixed = "吉首新增三处便民停车场"

    # 1. The reporter files: photo, story, author credit, 送审.
    reporter = Person(browser, live_server, "writer", clicks)
    photo = upload_photo(reporter, "乾州新区停车场入口", "停车场入口的指示牌和车辆")
    write_story(
        reporter, title, "吉首市在老城区新增三处便民停车场，共提供车位四百余个。", photo.caption
    )
    credit_new_author(reporter, "向明辉")
    reporter.shoot(screenshot_path, "1-reporter-files")
    with reporter.page.expect_navigation():
        reporter.click(reporter.page.get_by_role("button", name="保存并送审"))
    assert "稿件已送审。" in reporter.message()
    story = Article.objects.get(title=title)
    assert (story.status, story.review_level) == ("in_review", 1)
    assert f'<figure data-photo="{photo.pk}">' in story.body
    assert [credit.author.name for credit in story.credit_list] == ["向明辉"]
    assert Author.objects.get(name="向明辉").user is None

    # 2. 初审: the 编辑 corrects the title while holding the story; it stays at 初审.
    editor = Person(browser, live_server, "editor", clicks)
    editor.open_from_desk(title)
    editor.page.fill("#id_title", fixed)
    with editor.page.expect_navigation():
        editor.click(editor.page.locator("input[name=_continue]"))
    story.refresh_from_db()
    assert (story.title, story.status, story.review_level) == (fixed, "in_review", 1)
    # Reading the history is not part of the step: those clicks are not counted.
    editor.page.get_by_role("link", name="修订历史").click()
    newest = editor.page.locator("#content-main tbody tr").first.inner_text()
    assert "editor" in newest
    assert "审核中修改" in newest
    editor.page.get_by_role("button", name="对比所选版本").click()
    assert "厂" in editor.page.locator("del").all_inner_texts()
    assert "场" in editor.page.locator("ins").all_inner_texts()
    editor.shoot(screenshot_path, "2-editor-diff")
    editor.page.locator(".breadcrumbs").get_by_role("link", name=fixed).click()
    editor.page.fill("#note-approve", "初审同意，已改标题错字")
    editor.press("审核通过")
    assert "已审核通过。" in editor.message()

    # 复审 and 终审, each by their own account, from their own desk.
    managing = Person(browser, live_server, "managing", clicks)
    managing.open_from_desk(fixed)
    managing.shoot(screenshot_path, "3-managing-review")
    managing.press("审核通过")
    chief = Person(browser, live_server, "chief", clicks)
    chief.open_from_desk(fixed)
    chief.press("审核通过")
    chief.press("发布")
    assert "稿件已发布。" in chief.message()
    chief.shoot(screenshot_path, "4-chief-published")
    story.refresh_from_db()
    assert story.status == "published"
    steps = list(story.transitions.values_list("actor_name", "action", "level"))
    assert steps == [
        ("writer", "submit", 0),
        ("editor", "edit", 1),
        ("editor", "approve", 1),
        ("managing", "approve", 2),
        ("chief", "approve", 3),
        ("chief", "publish", 0),
    ]

    # A reader finds it on the channel page, with its 作者 line.
    reader = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    reader.goto(f"{live_server.url}/channel/{channel.slug}/")
    reader.get_by_role("link", name=fixed).click()
    assert reader.get_by_role("heading", level=1).inner_text() == fixed
    assert reader.locator(".article__byline").inner_text() == "通讯员 向明辉"
    credits = reader.locator(".article__meta div").filter(has_text="作者：")
    assert credits.inner_text().replace("\n", "") == "作者：向明辉"
    assert reader.locator("figure img").get_attribute("alt") == "停车场入口的指示牌和车辆"
    reader.screenshot(path=screenshot_path("desk-day-5-reader"), full_page=True)

    # Clicks from draft to live: what each role's part of the day costs.
    assert dict(clicks) == {"writer": 12, "editor": 3, "managing": 2, "chief": 3}

    # 3. The 总编辑 corrects the live story; the chain takes it live again.
    chief.page.goto(f"{chief.server}/admin/articles/article/{story.pk}/change/")
    chief.press("修改已发布稿件")
    chief.page.locator(EDITOR).click()
    chief.page.keyboard.press("Control+End")
    chief.page.keyboard.type("停车场首月免费。")
    chief.press("送审")
    assert "稿件已送审。" in chief.message()
    copy = Article.objects.get(revision_of=story)
    assert (copy.created_by, copy.status, copy.review_level) == (staff.chief, "in_review", 1)
    for person in (editor, managing, chief):
        person.open_from_desk(fixed)
        person.press("审核通过")
        assert "已审核通过。" in person.message()
    chief.press("发布")
    chief.shoot(screenshot_path, "6-chief-correction-live")
    story.refresh_from_db()
    assert "停车场首月免费。" in story.body
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert "停车场首月免费。" in reader.locator(".article__body").inner_text()


def test_a_photo_without_alt_text_stops_the_story_at_submit_with_the_reason(
    browser, live_server, staff, screenshot_path
):
    ChannelFactory(name="民生", slug="minsheng", position=1)
    reporter = Person(browser, live_server, "writer", Counter())
    photo = upload_photo(reporter, "老城区新停车场", alt_text="")
    write_story(reporter, "老城区停车场启用", "老城区停车场今天启用。", photo.caption)

    with reporter.page.expect_navigation():
        reporter.page.get_by_role("button", name="保存并送审").click()

    reporter.shoot(screenshot_path, "7-no-alt-refused")
    story = Article.objects.get(title="老城区停车场启用")
    assert story.status == "draft"  # refused, but what was typed is saved
    assert "老城区停车场今天启用。" in story.body
    assert "稿件还不能送审：以下图片缺少替代文字：老城区新停车场" in reporter.message()
    shown = reporter.page.locator(".workflow-panel__blockers").inner_text()
    assert "以下图片缺少替代文字：老城区新停车场" in shown

    # Described, the photo lets the story through the door.
    reporter.page.goto(f"{live_server.url}/admin/articles/image/{photo.pk}/change/")
    reporter.page.fill("#id_alt_text", "新停车场的入口")
    reporter.page.click("input[name=_save]")
    reporter.page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    reporter.press("送审")
    story.refresh_from_db()
    assert (story.status, story.review_level) == ("in_review", 1)


def test_the_storys_history_diff_review_sheet_and_slip_keep_the_admin_breadcrumb_bar(
    browser, live_server, staff
):
    story = ArticleFactory(draft=True, created_by=staff.writer, title="老城区停车场启用")
    reporter = Person(browser, live_server, "writer", Counter())
    page = reporter.page
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    for title in ("老城区停车场今起启用", "老城区两处停车场今起启用"):
        page.fill("#id_title", title)
        with page.expect_navigation():
            page.click("input[name=_continue]")
    bar = page.locator(".breadcrumbs")
    change_form_bar = bar.evaluate("bar => getComputedStyle(bar).backgroundColor")

    for link, button in (
        ("修订历史", None),
        ("修订历史", "对比所选版本"),
        ("审稿单", None),
        ("稿签", None),
    ):
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.locator(".object-tools").get_by_role("link", name=link).click()
        if button:
            page.get_by_role("button", name=button).click()
        assert bar.evaluate("bar => getComputedStyle(bar).backgroundColor") == change_form_bar
        bar.get_by_role("link", name="老城区两处停车场今起启用").click()
        assert page.url.endswith(f"/admin/articles/article/{story.pk}/change/")
