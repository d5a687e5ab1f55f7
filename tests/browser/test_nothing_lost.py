"""Nothing typed is lost in the article form: a workflow button saves the page's edits
first, a closed tab leaves an autosave to restore, and leaving unsaved edits asks first."""

import pytest

from articles.models import Article, Autosave
from tests.browser.test_review_chain import sign_in
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EDITOR = ".ProseMirror[contenteditable=true]"


def change_url(live_server, article: Article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def draft(staff) -> Article:
    return ArticleFactory(
        draft=True,
        created_by=staff.writer,
        title="吉首新增三处停车场",
        body="<p>吉首市新增三处停车场。</p>",
    )


def test_an_unsaved_edit_survives_the_submit_button(browser, live_server, draft, screenshot_path):
    writer = sign_in(browser, live_server, "writer")
    dialogs = []
    writer.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    writer.goto(change_url(live_server, draft))

    writer.fill("#id_title", "吉首新增五处停车场")
    writer.locator(EDITOR).click()
    writer.keyboard.press("End")
    writer.keyboard.type("共提供车位四百余个。")
    writer.locator(".workflow-panel").get_by_role("button", name="送审", exact=True).click()
    writer.wait_for_load_state()

    writer.screenshot(path=screenshot_path("nothing-lost-submit"), full_page=True)
    draft.refresh_from_db()
    assert draft.title == "吉首新增五处停车场"
    assert "共提供车位四百余个。" in draft.body
    assert (draft.status, draft.review_level) == ("in_review", 1)
    assert "稿件已送审。" in writer.locator(".messagelist").inner_text()
    assert dialogs == []  # a workflow button is no reason to warn about leaving


def test_an_unsaved_edit_survives_a_closed_tab(
    browser, live_server, staff, draft, settings, screenshot_path
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    writer = sign_in(browser, live_server, "writer")
    writer.goto(change_url(live_server, draft))

    writer.fill("#id_title", "吉首新增五处停车场")
    # The editor keeps focus: the timer, not a blur, sends the body typed last.
    with writer.expect_response(
        lambda r: r.url.endswith("/autosave/") and "四百余个" in (r.request.post_data or "")
    ) as autosaved:
        writer.locator(EDITOR).click()
        writer.keyboard.press("End")
        writer.keyboard.type("共提供车位四百余个。")
    assert autosaved.value.ok
    assert "已自动保存" in writer.locator("#article-autosave").inner_text()
    context = writer.context
    writer.close()  # as a crash or a closed tab: no chance to save

    draft.refresh_from_db()
    assert draft.title == "吉首新增三处停车场"
    record = Autosave.objects.get(article=draft, user=staff.writer)
    assert "共提供车位四百余个。" in record.fields["body"][0]
    again = context.new_page()
    again.goto(change_url(live_server, draft))
    banner = again.locator(".autosave-banner")
    assert "有未保存的内容" in banner.inner_text()
    banner.get_by_role("link", name="恢复未保存的内容").click()
    again.wait_for_load_state()
    again.screenshot(path=screenshot_path("nothing-lost-restored"), full_page=True)
    assert again.input_value("#id_title") == "吉首新增五处停车场"
    assert "共提供车位四百余个。" in again.locator(EDITOR).inner_text()
    again.locator("input[name=_save]").click()
    again.wait_for_load_state()

    draft.refresh_from_db()
    assert draft.title == "吉首新增五处停车场"
    assert "共提供车位四百余个。" in draft.body
    assert not Autosave.objects.exists()


def test_leaving_unsaved_edits_asks_first_and_saving_does_not(browser, live_server, draft):
    writer = sign_in(browser, live_server, "writer")
    writer.goto(change_url(live_server, draft))
    writer.locator("#id_title").click()
    writer.keyboard.type("（续）")

    with writer.expect_event("dialog") as leaving:
        writer.close(run_before_unload=True)
    assert leaving.value.type == "beforeunload"
    leaving.value.dismiss()  # stay on the page

    dialogs = []
    writer.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    writer.locator("input[name=_save]").click()
    writer.wait_for_load_state()
    assert dialogs == []
    draft.refresh_from_db()
    assert draft.title == "吉首新增三处停车场（续）"


def test_enter_in_a_field_saves_and_never_takes_a_workflow_step(browser, live_server, draft):
    writer = sign_in(browser, live_server, "writer")
    writer.goto(change_url(live_server, draft))

    writer.locator("#id_title").click()
    writer.keyboard.press("End")
    writer.keyboard.type("（续）")
    with writer.expect_navigation():
        writer.keyboard.press("Enter")

    draft.refresh_from_db()
    assert draft.title == "吉首新增三处停车场（续）"
    assert draft.status == "draft"
    assert writer.url == change_url(live_server, draft)
