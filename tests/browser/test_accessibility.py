"""axe-core, run in Chromium, finds no serious accessibility problems on public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from articles.models import Article, Channel

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SERIOUS = {"serious", "critical"}
# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                               "wcag22aa"]}}  # fmt: skip


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
)
def test_public_pages_have_no_serious_accessibility_violations(browser, live_server, viewport):
    call_command("load_demo", verbosity=0)
    article = Article.objects.published().filter(picks__isnull=False).first()
    pages = {
        "home": "/",
        "channel": Channel.objects.get(slug="xianshiqu").get_absolute_url(),
        "article": article.get_absolute_url(),
        "not found": "/no/such/page/",
        "search": "/search/?q=%E6%A4%AA%E6%9F%91",
    }
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        violations = axe.run(page, options=RULES).response["violations"]
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in SERIOUS
        ]
    context.close()

    assert found == {name: [] for name in pages}
