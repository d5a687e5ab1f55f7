"""Hostile text in every field, loaded in Chromium: nothing runs, no dialog opens, and the
pages' own content never trips the Content-Security-Policy (public pages and the editor)."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.trust.hostile import hostile_site
from tests.trust.payloads import PAYLOADS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
# Long fields hold every payload; short ones hold the start (titles, names) or the end
# (kickers, datelines, tags, the author's name) of the text. Breakouts from <title>,
# <script> and attributes go first, event attributes last, so both ends hold some.
BREAKOUTS = [p for p in PAYLOADS if p.startswith(("</", '"', "'"))]
EVENTS = [p for p in PAYLOADS if " on" in p and p not in BREAKOUTS]
PAYLOAD = " ".join(BREAKOUTS + [p for p in PAYLOADS if p not in BREAKOUTS + EVENTS] + EVENTS)
# Installed before any page script: every policy violation the page causes is kept.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


class Watched:
    """A browser tab that notes every dialog, uncaught error and policy violation."""

    def __init__(self, context) -> None:
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def visit(self, url: str) -> dict[str, object]:
        """Load ``url`` and report what ran: dialogs, errors, ``window.__xss``, violations."""
        self.dialogs.clear()
        self.errors.clear()
        self.page.goto(url)
        return {
            "dialogs": list(self.dialogs),
            "errors": list(self.errors),
            "__xss": self.page.evaluate("typeof window.__xss"),
            "violations": self.page.evaluate("window.__violations"),
        }


CLEAN = {"dialogs": [], "errors": [], "__xss": "undefined", "violations": []}


@pytest.fixture
def site(db):
    desk = UserFactory(username="desk", is_superuser=True)
    return hostile_site(PAYLOAD, desk)


def signed_in(browser, live_server, user):
    """A browser context carrying ``user``'s admin session."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def test_hostile_text_runs_nothing_on_public_pages(browser, live_server, site):
    context = browser.new_context(locale="zh-CN")
    tab = Watched(context)

    seen = {path: tab.visit(live_server.url + path) for path in site.public_paths()}

    context.close()
    assert seen == dict.fromkeys(site.public_paths(), CLEAN)


def test_hostile_text_runs_nothing_in_the_admin(browser, live_server, site):
    article = site.article
    copy = article.start_revision(by=article.created_by)  # opens the editor on the body
    context = signed_in(browser, live_server, article.created_by)
    tab = Watched(context)
    # Every admin screen the site's rows appear on: the article's changelist (searched for
    # the payload), change form, history, revisions and their comparison, 审稿单, the
    # schedule, and the channel, author, editor, photo, tag and topic; last the working
    # copy's rich-text editor.
    editing = f"/admin/articles/article/{copy.pk}/change/"
    paths = site.admin_paths()

    seen = {path: tab.visit(live_server.url + path) for path in [*paths, editing]}
    editor = tab.page.locator(".ProseMirror[contenteditable=true]")

    assert "正常标题" in editor.inner_text()  # the editor shows the body, as text
    context.close()
    assert seen == dict.fromkeys([*paths, editing], CLEAN)
