"""The desk's dashboard at a common laptop width: every box caption on one line."""

import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"

# How many text lines each element's own text takes in the page.
LINES = """elements => elements.map(element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    return [element.textContent.trim(), tops.size];
})"""


def waiting_at_every_step(staff) -> None:
    chain = [staff.editor, staff.managing, staff.chief]
    for level in range(4):
        for number in range(3):
            article = ArticleFactory(
                draft=True, created_by=staff.writer, title=f"第{level}级的稿件之{number}"
            )
            article.submit(by=staff.writer)
            for reviewer in chain[:level]:
                article.approve(by=reviewer)


def test_dashboard_captions_do_not_wrap_at_1366_pixels(
    browser, live_server, staff, screenshot_path
):
    waiting_at_every_step(staff)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    captions = page.locator(".desk-box caption").evaluate_all(LINES)
    page.screenshot(path=screenshot_path("dashboard-1366"), full_page=True)
    context.close()

    assert {text.split("（")[0] for text, _ in captions} >= {"初审", "复审", "终审", "待发布"}
    assert [text for text, lines in captions if lines != 1] == []
