"""A reviewer opens a shared preview link on a phone; the 总编辑 switches the admin preview
between phone and full width."""

import pytest
from django.test import Client
from PIL import Image as PILImage

from articles.models import Revision
from desk import preview, revisions
from tests.factories import (
    ArticleFactory,
    ChannelFactory,
    full_article,
    member,
    review_through_chain,
)

PASSWORD = "correct horse battery"  # every factory-made account's

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def story(db):
    """A complete story, back to a draft that has never appeared, saved once in the desk."""
    channel = ChannelFactory(name="民生", slug="minsheng", position=1)
    ArticleFactory(title="同栏目已发布的稿件", channel=channel)
    writer = member("通讯员/记者", "writer")
    article = full_article(channel, created_by=writer, title="湘西州新建三所乡村学校")
    article.status, article.first_published_at = article.Status.DRAFT, None
    article.save()
    revisions.store(article, writer, Revision.Reason.SAVED)
    return article


def test_a_reviewer_opens_the_share_link_on_a_phone(browser, live_server, story, screenshot_path):
    link = preview.share(story, by=story.created_by)
    # A fresh browser: no session, no cookies, at a small phone's width.
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()

    response = page.goto(f"{live_server.url}{preview.path(link)}")

    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    band = page.get_by_role("note")
    assert band.is_visible()
    assert band.locator(".preview-band__title").inner_text() == "预览"
    assert band.bounding_box()["y"] == 0  # the first thing on the page
    assert page.get_by_role("heading", level=1).inner_text() == "湘西州新建三所乡村学校"
    assert page.locator(".article__body figure img").is_visible()
    assert "阅读下一篇" in page.locator("body").inner_text()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert context.cookies() == []
    path = screenshot_path("preview-share-link-phone")
    page.screenshot(path=path, full_page=True)
    with PILImage.open(path) as shot:
        assert shot.width == 360
    context.close()


def test_the_chief_editor_approves_from_a_phone_through_the_share_link(
    browser, live_server, story, screenshot_path
):
    """The link reaches the 总编辑's phone (by QR code): she reads the story, signs in there
    and gives it 终审."""
    first, second = member("编辑", "first"), member("主编", "second")
    chief = member("总编辑", "chief")
    review_through_chain(story, [first, second])
    story.refresh_from_db()
    link = preview.share(story, by=first)
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()

    page.goto(f"{live_server.url}{preview.path(link)}")
    assert page.get_by_role("heading", level=1).inner_text() == "湘西州新建三所乡村学校"
    page.get_by_role("link", name="审阅人：登录后审批这篇稿件").click()
    page.fill("#id_username", chief.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    panel = page.locator(".workflow-panel")
    assert panel.is_visible()
    page.screenshot(path=screenshot_path("preview-approve-phone"), full_page=True)
    with page.expect_navigation():
        panel.get_by_role("button", name="审核通过", exact=True).click()

    story.refresh_from_db()
    assert story.status == story.Status.APPROVED
    assert story.transitions.order_by("pk").last().actor == chief
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_chief_editor_switches_the_preview_to_phone_width(browser, live_server, story):
    chief = member("总编辑", "chief")
    client = Client()
    client.force_login(chief)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    refused, failed = [], []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.get_by_role("link", name="预览", exact=True).click()
    frame = page.locator("iframe")
    inside = page.frame_locator("iframe")
    assert inside.get_by_role("heading", level=1).inner_text() == "湘西州新建三所乡村学校"
    assert inside.locator(".preview-band").is_visible()
    # The width the framed page gets, as a phone of that width would give it.
    full = frame.evaluate("iframe => iframe.contentWindow.innerWidth")

    phone = page.get_by_role("button", name="手机（375 像素）")
    phone.click()
    assert frame.evaluate("iframe => iframe.contentWindow.innerWidth") == 375
    assert phone.get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="电脑（全宽）").click()
    assert frame.evaluate("iframe => iframe.contentWindow.innerWidth") == full > 375

    page.get_by_role("button", name="生成预览链接").click()
    assert page.locator(".preview-links svg").is_visible()
    assert refused == []  # the admin's CSP let the script and the framed page through
    assert failed == []
    context.close()
