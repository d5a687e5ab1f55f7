"""A reader searches from the page header, with JavaScript switched off."""

import pytest

from search import search
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_reader_searches_from_the_header_without_javascript(live_server, browser, screenshot_path):
    article = ArticleFactory(title="泸溪椪柑进入采摘季", summary="今年椪柑优质果率提升至七成。")
    search.index_article(article)
    ArticleFactory(title="凤凰猕猴桃喜获丰收")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()

    page.goto(live_server.url)
    page.get_by_role("searchbox", name="搜索本站稿件").fill("椪柑")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")

    results = page.locator(".search-hit")
    assert results.count() == 1
    assert results.locator("mark").first.inner_text() == "椪柑"
    assert page.get_by_role("searchbox", name="关键词").input_value() == "椪柑"
    page.screenshot(path=screenshot_path("search-results"), full_page=True)
    results.get_by_role("link", name="泸溪椪柑进入采摘季").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    context.close()
