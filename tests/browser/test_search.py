"""A reader searches from the page header, with JavaScript switched off."""

import pytest

from search import search, vocabulary
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
    # The keyword box offers suggestions (a list): a combobox, as assistive technology says.
    assert page.get_by_role("combobox", name="关键词").input_value() == "椪柑"
    page.screenshot(path=screenshot_path("search-results"), full_page=True)
    results.get_by_role("link", name="泸溪椪柑进入采摘季").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    context.close()


def test_reader_typing_gets_suggestions_once_they_pause(live_server, browser):
    for title in ("泸溪椪柑进入采摘季", "泸溪修建新学校", "芦笙节开幕"):
        search.index_article(article := ArticleFactory(title=title))
        vocabulary.learn([article.title])
    vocabulary.changed()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    asked = []
    page.on("request", lambda request: "/search/suggest/" in request.url and asked.append(1))

    page.goto(f"{live_server.url}/search/")
    box = page.get_by_role("combobox", name="关键词")
    box.press_sequentially("lu", delay=30)  # typed quickly: one request after the pause
    options = page.locator("#search-suggestions option")
    options.first.wait_for(state="attached")

    assert [options.nth(n).get_attribute("value") for n in range(options.count())] == [
        "泸溪",
        "芦笙",
    ]
    assert len(asked) == 1
    context.close()


def test_without_javascript_the_suggestion_list_stays_empty(live_server, browser):
    search.index_article(article := ArticleFactory(title="泸溪椪柑进入采摘季"))
    vocabulary.learn([article.title])
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/search/")
    page.get_by_role("combobox", name="关键词").fill("lu")

    assert page.locator("#search-suggestions option").count() == 0
    context.close()
