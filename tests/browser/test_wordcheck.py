"""The word check beside the article form follows what is typed."""

import pytest
from playwright.sync_api import expect

from proofing import wordlist
from proofing.models import Word
from tests.browser.test_review_chain import sign_in
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_typo_typed_into_the_title_is_listed_with_its_correction(browser, live_server, staff):
    Word.objects.get_or_create(
        text="再接再励", defaults={"category": Word.Category.TYPO, "correction": "再接再厉"}
    )
    wordlist.changed()
    article = ArticleFactory(draft=True, created_by=staff.writer, title="吉首新增停车场")
    page = sign_in(browser, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    panel = page.locator("#wordcheck")
    expect(panel.locator(".wordcheck__summary")).to_have_text("没有发现禁用词、慎用词或错别字。")

    page.fill("#id_title", "队员们再接再励，吉首新增停车场")

    item = panel.locator(".wordcheck__item--typo")
    expect(item).to_have_count(1)
    expect(item.locator(".wordcheck__mark")).to_have_text("再接再励")
    expect(item).to_contain_text("建议改为“再接再厉”")
    expect(panel.locator(".wordcheck__source")).to_have_text("（正在编辑的内容）")
    item.click()
    selected = page.evaluate(
        "() => { const t = document.getElementById('id_title');"
        " return t.value.slice(t.selectionStart, t.selectionEnd) }"
    )
    assert selected == "再接再励"
