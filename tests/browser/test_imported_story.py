"""A reader follows a link to the old site: the imported story opens at its old URL, and
each photo shows its caption right under it."""

import pytest

from importer import profile as profiles
from importer.run import run
from importer.sources import FolderSource
from tests.importer.oldsite import build_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CAPTIONS = [
    "展销会开幕当天，市民在展位前挑选年货。",
    "合作社展出的腊肉和香肠。",
    "椪柑展区人气最旺。",
    "工作人员向顾客介绍自制辣椒酱。",
    "主播在直播间推介泸溪特产。",
    "展销会上的踏虎凿花手工艺品。",
]


def test_an_imported_story_opens_at_its_old_url_with_captions_under_photos(
    live_server, page, tmp_path, screenshot_path
):
    run(FolderSource(build_site(tmp_path / "oldsite")), profiles.load())

    page.goto(f"{live_server.url}/content/2021/11/18/987.html")

    assert page.get_by_role("heading", level=1).inner_text().startswith("泸溪冬季农产品展销会开幕")
    figures = page.locator(".article__body figure")
    assert figures.count() == len(CAPTIONS)
    for index, caption in enumerate(CAPTIONS):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        photo, under = figure.locator("img").bounding_box(), figure.locator("figcaption")
        assert under.inner_text().startswith(caption)
        assert under.bounding_box()["y"] >= photo["y"] + photo["height"] - 1
        assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=screenshot_path("imported-story"), full_page=True)

    page.goto(f"{live_server.url}/news.php?id=987")
    assert page.url == f"{live_server.url}/content/2021/11/18/987.html"
