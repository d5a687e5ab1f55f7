"""Two editors in two browsers open the same article and both save: the second is told
what the first changed, and keeps what they typed."""

import pytest

from articles.models import Article, Revision
from desk import revisions
from tests.browser.test_review_chain import sign_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_second_of_two_editors_saving_the_same_article_is_refused_and_keeps_their_text(
    browser, live_server, screenshot_path
):
    for username in ("editor-a", "editor-b"):
        UserFactory(username=username, is_superuser=True)
    article = ArticleFactory(draft=True, title="吉首新增三处停车场")
    revisions.store(article, article.created_by, Revision.Reason.SAVED)
    first = sign_in(browser, live_server, "editor-a")
    second = sign_in(browser, live_server, "editor-b")
    form = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    first.goto(form)
    second.goto(form)

    first.fill("#id_title", "吉首新增五处停车场")
    first.locator("input[name=_save]").click()
    first.wait_for_load_state()
    second.fill("#id_title", "吉首停车场今起开放")
    second.fill("#id_summary", "乙编辑写下的摘要")
    second.locator("input[name=_save]").click()
    second.wait_for_load_state()

    second.screenshot(path=screenshot_path("edit-conflict"), full_page=True)
    assert "这次保存没有生效" in second.locator("ul.errorlist.nonfield").inner_text()
    conflict = second.locator(".edit-conflict").inner_text()
    assert "吉首新增三处停车场" in conflict
    assert "吉首新增五处停车场" in conflict
    assert second.input_value("#id_title") == "吉首停车场今起开放"
    assert second.input_value("#id_summary") == "乙编辑写下的摘要"
    assert Article.objects.get(pk=article.pk).title == "吉首新增五处停车场"
