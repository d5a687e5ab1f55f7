"""The daily flow in a real browser: a writer files, three reviewers approve, the chief
publishes, readers see it; and a returned article shows its author why."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, ChannelFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "correct horse battery"


def sign_in(browser, live_server, username: str):
    """A fresh browser context signed in to the admin as ``username``."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def act(page, live_server, article: Article, button: str, note: str = "") -> None:
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    # A button of its own small form, or inside the article form where the page may edit it.
    pressed = page.get_by_role("button", name=button, exact=True)
    form = page.locator(".workflow-panel__action", has=pressed)
    if note:
        form.locator("textarea").fill(note)
    form.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_a_writer_files_three_reviewers_approve_and_readers_see_it(
    browser, live_server, staff, screenshot_path
):
    ChannelFactory(name="民生", slug="minsheng", position=1)
    writer = sign_in(browser, live_server, "writer")

    writer.goto(f"{live_server.url}/admin/articles/article/add/")
    writer.fill("#id_title", "吉首新增三处便民停车场")
    writer.locator(".field-channel .select2-selection").click()
    writer.locator(".select2-search__field").fill("民生")
    writer.locator(".select2-results__option", has_text="民生").click()
    writer.locator(".ProseMirror[contenteditable=true]").click()
    writer.keyboard.type("吉首市在老城区新增三处便民停车场，共提供车位四百余个。")
    writer.get_by_role("button", name="保存并送审").click()
    writer.wait_for_load_state()
    article = Article.objects.get(title="吉首新增三处便民停车场")
    assert (article.status, article.review_level) == ("in_review", 1)
    assert "吉首市在老城区新增三处便民停车场" in article.body

    for username, note in [
        ("editor", "初审同意"),
        ("managing", "复审同意"),
        ("chief", "终审同意"),
    ]:
        act(sign_in(browser, live_server, username), live_server, article, "审核通过", note)
    chief = sign_in(browser, live_server, "chief")
    act(chief, live_server, article, "发布")
    chief.screenshot(path=screenshot_path("review-chain-published"), full_page=True)

    reader = browser.new_page()
    reader.goto(f"{live_server.url}/channel/minsheng/")
    reader.get_by_role("link", name="吉首新增三处便民停车场").click()
    assert reader.get_by_role("heading", level=1).inner_text() == "吉首新增三处便民停车场"
    notes = list(article.transitions.values_list("actor_name", "note"))
    assert notes[1:4] == [("editor", "初审同意"), ("managing", "复审同意"), ("chief", "终审同意")]


def test_a_returned_article_shows_its_author_the_reason(browser, live_server, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="县医院门诊楼投入使用")
    article.submit(by=staff.writer)
    editor = sign_in(browser, live_server, "editor")

    act(editor, live_server, article, "退回", "请补充门诊量数据的来源")

    writer = sign_in(browser, live_server, "writer")
    dashboard = writer.locator(".dashboard-desk")
    assert "县医院门诊楼投入使用" in dashboard.inner_text()
    assert "请补充门诊量数据的来源" in dashboard.inner_text()
    writer.get_by_role("link", name="县医院门诊楼投入使用").first.click()
    assert "退回意见：请补充门诊量数据的来源" in writer.locator(".workflow-panel").inner_text()
    assert writer.get_by_role("button", name="保存并送审").is_visible()
